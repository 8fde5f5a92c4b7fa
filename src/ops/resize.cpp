// Resize (ONNX opset 18): nearest / linear / cubic sampling of an N-d tensor along the resized axes.
//
// Every output coordinate along an axis is mapped back to a real coordinate in the input
// (coordinate_transformation_mode), which becomes a short list of (input index, weight) taps: one tap for
// nearest, 2 for linear, 4 for cubic, more for antialiased downsampling, whose kernel is stretched by
// 1/scale. An output element is the sum over the cartesian product of its axes' taps of the product of
// weights times the input. Indices outside the input are clamped (edge replication) unless exclude_outside
// drops them, as ONNX does.
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "ops/op_families.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {
namespace {

struct ResizeAttributes {
  std::string mode, transform, nearest_mode, aspect_policy;
  double cubic_a = -0.75, extrapolation = 0.0;
  bool exclude_outside = false, antialias = false;
  std::vector<size_t> axes;  // the axes that roi / scales / sizes refer to, in their order
};

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

ResizeAttributes read_attributes(const Node& node, size_t rank) {
  ResizeAttributes a;
  a.mode = node.attribute_or<std::string>("mode", "nearest");
  a.transform = node.attribute_or<std::string>("coordinate_transformation_mode", "half_pixel");
  a.nearest_mode = node.attribute_or<std::string>("nearest_mode", "round_prefer_floor");
  a.aspect_policy = node.attribute_or<std::string>("keep_aspect_ratio_policy", "stretch");
  a.cubic_a = node.attribute_or<float>("cubic_coeff_a", -0.75f);
  a.extrapolation = node.attribute_or<float>("extrapolation_value", 0.0f);
  a.exclude_outside = node.attribute_or<int64_t>("exclude_outside", 0) != 0;
  a.antialias = node.attribute_or<int64_t>("antialias", 0) != 0;
  OCTET_CHECK(one_of(a.mode, {"nearest", "linear", "cubic"}), ErrorCode::kInvalidModel, node.label(),
              ": unknown mode '", a.mode, "'");
  // tf_half_pixel_for_nn left the op set in opset 13 but costs one line, so older models keep working.
  OCTET_CHECK(
      one_of(a.transform, {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_crop_and_resize", "tf_half_pixel_for_nn"}),
      ErrorCode::kInvalidModel, node.label(), ": unknown coordinate_transformation_mode '", a.transform, "'");
  OCTET_CHECK(one_of(a.nearest_mode, {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}),
              ErrorCode::kInvalidModel, node.label(), ": unknown nearest_mode '", a.nearest_mode, "'");
  OCTET_CHECK(one_of(a.aspect_policy, {"stretch", "not_larger", "not_smaller"}), ErrorCode::kInvalidModel,
              node.label(), ": unknown keep_aspect_ratio_policy '", a.aspect_policy, "'");
  const auto r = static_cast<int64_t>(rank);
  std::vector<int64_t> axes(rank);
  for (size_t i = 0; i < rank; ++i) axes[i] = static_cast<int64_t>(i);
  axes = node.attribute_or<std::vector<int64_t>>("axes", axes);
  std::vector<bool> seen(rank, false);
  for (int64_t axis : axes) {
    const auto d = static_cast<size_t>(normalize_axis(node, axis, r));
    OCTET_CHECK(!seen[d], ErrorCode::kInvalidModel, node.label(), ": axis ", axis, " is repeated in axes");
    seen[d] = true;
    a.axes.push_back(d);
  }
  return a;
}

// An omitted optional input and an empty one ("" in ONNX models, often a 0-element constant) mean the same.
const Tensor* nonempty(const Tensor* t) {
  return t && t->element_count() > 0 ? t : nullptr;
}

// Per input axis: output length, scale, and the real length of the resized axis in the coordinate formulas
// (scale * input length, which differs from the output length when the scaled size is not an integer).
struct ResizePlan {
  Dims out_dims;
  std::vector<double> scales, resized_lengths, roi_start, roi_end;
};

// Longer output axes are a corrupt model (and would overflow the conversion to int64).
constexpr double kMaxLength = 1e12;

// in_dims may hold dynamic dims (shape inference); the output dims that depend on them are dynamic.
ResizePlan plan_resize(const Node& node, const ResizeAttributes& a, const Dims& in_dims, const Tensor* roi,
                       const Tensor* scales, const Tensor* sizes) {
  const size_t rank = in_dims.size();
  const size_t n = a.axes.size();
  ResizePlan p{in_dims, std::vector<double>(rank, 1.0), std::vector<double>(rank, 0.0),
               std::vector<double>(rank, 0.0), std::vector<double>(rank, 1.0)};
  for (size_t d = 0; d < rank; ++d) p.resized_lengths[d] = static_cast<double>(in_dims[d]);
  OCTET_CHECK(!(scales && sizes), ErrorCode::kInvalidModel, node.label(),
              ": only one of 'scales' and 'sizes' may be given");
  OCTET_CHECK(scales || sizes, ErrorCode::kInvalidModel, node.label(),
              ": one of 'scales' and 'sizes' is required");
  if (a.transform == "tf_crop_and_resize") {
    OCTET_CHECK(roi, ErrorCode::kInvalidModel, node.label(), ": tf_crop_and_resize needs the 'roi' input");
    OCTET_CHECK(roi->element_count() == static_cast<int64_t>(2 * n), ErrorCode::kInvalidModel, node.label(),
                ": roi has ", roi->element_count(), " elements, expected ", 2 * n, " (starts and ends of ", n,
                " axes)");
    for (size_t i = 0; i < n; ++i) {
      p.roi_start[a.axes[i]] = roi->value_as_double(static_cast<int64_t>(i));
      p.roi_end[a.axes[i]] = roi->value_as_double(static_cast<int64_t>(n + i));
    }
  }
  const Tensor* given = scales ? scales : sizes;
  OCTET_CHECK(given->element_count() == static_cast<int64_t>(n), ErrorCode::kInvalidModel, node.label(), ": ",
              scales ? "scales" : "sizes", " has ", given->element_count(), " elements, expected ", n,
              a.axes.size() == rank ? " (the input rank)" : " (the number of axes)");
  if (scales) {
    for (size_t i = 0; i < n; ++i) {
      const size_t d = a.axes[i];
      const double s = scales->value_as_double(static_cast<int64_t>(i));
      OCTET_CHECK(s > 0, ErrorCode::kInvalidModel, node.label(), ": scale ", s, " for axis ", d,
                  " must be > 0");
      p.scales[d] = s;
      p.resized_lengths[d] = s * static_cast<double>(in_dims[d]);
      if (in_dims[d] == kDynamicDim) {
        p.out_dims[d] = kDynamicDim;
        continue;
      }
      OCTET_CHECK(p.resized_lengths[d] < kMaxLength, ErrorCode::kInvalidModel, node.label(), ": scale ", s,
                  " for axis ", d, " gives an output that is too large");
      p.out_dims[d] = static_cast<int64_t>(std::floor(p.resized_lengths[d]));
    }
    return p;
  }
  for (size_t i = 0; i < n; ++i) {
    const int64_t size = sizes->value_as_int64(static_cast<int64_t>(i));
    OCTET_CHECK(size > 0, ErrorCode::kInvalidModel, node.label(), ": size ", size, " for axis ", a.axes[i],
                " must be > 0");
  }
  if (a.aspect_policy == "stretch") {
    for (size_t i = 0; i < n; ++i) {
      const size_t d = a.axes[i];
      p.out_dims[d] = sizes->value_as_int64(static_cast<int64_t>(i));
      p.resized_lengths[d] = static_cast<double>(p.out_dims[d]);
      p.scales[d] = static_cast<double>(p.out_dims[d]) / static_cast<double>(in_dims[d]);
    }
    return p;
  }
  // not_larger / not_smaller: one scale for every resized axis, the smallest / largest that the sizes allow.
  bool dynamic = false;
  double scale = a.aspect_policy == "not_larger" ? HUGE_VAL : 0.0;
  for (size_t i = 0; i < n; ++i) {
    const size_t d = a.axes[i];
    dynamic = dynamic || in_dims[d] == kDynamicDim;
    const double s =
        static_cast<double>(sizes->value_as_int64(static_cast<int64_t>(i))) / static_cast<double>(in_dims[d]);
    scale = a.aspect_policy == "not_larger" ? std::min(scale, s) : std::max(scale, s);
  }
  for (size_t d : a.axes) {
    p.scales[d] = scale;
    p.resized_lengths[d] = scale * static_cast<double>(in_dims[d]);
    OCTET_CHECK(dynamic || p.resized_lengths[d] < kMaxLength, ErrorCode::kInvalidModel, node.label(),
                ": sizes give an output that is too large");
    p.out_dims[d] = dynamic ? kDynamicDim : static_cast<int64_t>(std::floor(p.resized_lengths[d] + 0.5));
  }
  return p;
}

void infer_resize(Node& node) {
  const ElementType type = input_type(node, 0);
  const Shape& x = input_shape(node, 0);
  if (node.has_input(1)) expect_input_type(node, 1, {ElementType::kF32});
  if (node.has_input(2)) expect_input_type(node, 2, {ElementType::kF32});
  if (node.has_input(3)) expect_input_type(node, 3, {ElementType::kI64});
  if (!x.rank_known()) return set_output(node, 0, type, Shape::unknown());
  const ResizeAttributes a = read_attributes(node, x.rank());
  if (a.mode == "nearest") {
    OCTET_CHECK(type != ElementType::kF16, ErrorCode::kUnsupported, node.label(),
                ": f16 input is not supported");
    expect_input_type(
        node, 0,
        {ElementType::kF32, ElementType::kI8, ElementType::kU8, ElementType::kI32, ElementType::kI64});
  } else {
    OCTET_CHECK(type == ElementType::kF32, ErrorCode::kUnsupported, node.label(), ": mode '", a.mode,
                "' supports only f32 input, got ", to_string(type));
  }
  // Shapes are static only when scales / sizes are constants (and roi too, for its checks).
  auto known = [&](size_t i) { return !node.has_input(i) || constant_input(node, i); };
  if (!known(2) || !known(3) || (a.transform == "tf_crop_and_resize" && !known(1))) {
    Dims dims = x.dims();
    for (size_t d : a.axes) dims[d] = kDynamicDim;
    return set_output(node, 0, type, Shape(dims));
  }
  const ResizePlan p = plan_resize(node, a, x.dims(), nonempty(constant_input(node, 1)),
                                   nonempty(constant_input(node, 2)), nonempty(constant_input(node, 3)));
  set_output(node, 0, type, Shape(p.out_dims));
}

struct Tap {
  int64_t index;
  double weight;
};

// Where output coordinate x of one axis samples the input, in input coordinates (ONNX's formulas).
double original_coordinate(const ResizeAttributes& a, double x, double scale, int64_t in_len, int64_t out_len,
                           double resized_len, double roi_start, double roi_end) {
  const auto in = static_cast<double>(in_len);
  const std::string& t = a.transform;
  if (t == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (t == "half_pixel_symmetric") {
    // Keeps the centre of the input on the centre of the output when the output length was rounded down.
    const double adjustment = static_cast<double>(out_len) / resized_len;
    const double offset = in / 2 * (1 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  if (t == "pytorch_half_pixel") return resized_len > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (t == "align_corners") return resized_len == 1 ? 0.0 : x * (in - 1) / (resized_len - 1);
  if (t == "asymmetric") return x / scale;
  if (t == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  // tf_crop_and_resize: the output samples [roi_start, roi_end] of the input, corners included.
  if (resized_len > 1) return roi_start * (in - 1) + x * (roi_end - roi_start) * (in - 1) / (resized_len - 1);
  return 0.5 * (roi_start + roi_end) * (in - 1);
}

int64_t nearest_index(const std::string& mode, double x) {
  const double lower = std::floor(x);
  if (x == lower) return static_cast<int64_t>(x);
  const double fraction = x - lower;
  bool up = false;
  if (mode == "round_prefer_floor") up = fraction > 0.5;
  if (mode == "round_prefer_ceil") up = fraction >= 0.5;
  if (mode == "ceil") up = true;
  return static_cast<int64_t>(lower) + (up ? 1 : 0);
}

double linear_kernel(double t) {
  return std::max(0.0, 1.0 - std::abs(t));
}

// Keys' cubic convolution kernel with parameter A (-0.75 as in PyTorch, -0.5 as in TensorFlow / PIL).
double cubic_kernel(double t, double a) {
  t = std::abs(t);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0.0;
}

// The taps of linear / cubic sampling at input coordinate x. The left neighbour is the last index strictly
// below x (so an integer x is the right neighbour with weight 1, as in ONNX). Antialiased downsampling
// stretches the kernel by 1/scale, which widens the footprint and averages more inputs.
std::vector<Tap> interpolation_taps(const ResizeAttributes& a, double x, double scale, int64_t in_len) {
  const double left = std::ceil(x) - 1;
  const double ratio = x - left;  // in (0, 1]
  const double stretch = a.antialias ? std::min(scale, 1.0) : 1.0;
  const double radius = a.mode == "linear" ? 1.0 : 2.0;  // kernel support
  const auto first = static_cast<int64_t>(std::floor(-radius / stretch) + 1);
  const int64_t count = 2 - 2 * first;
  std::vector<Tap> taps;
  double sum = 0;
  for (int64_t k = first; k < first + count; ++k) {
    const double t = (static_cast<double>(k) - ratio) * stretch;
    double w = a.mode == "linear" ? linear_kernel(t) : cubic_kernel(t, a.cubic_a);
    const int64_t index = static_cast<int64_t>(left) + k;
    if (a.exclude_outside && (index < 0 || index >= in_len)) w = 0;
    taps.push_back({std::clamp<int64_t>(index, 0, in_len - 1), w});
    sum += w;
  }
  // ONNX normalizes the weights when some were dropped or the kernel was stretched (they no longer sum to 1).
  if ((a.antialias || a.exclude_outside) && sum != 0)
    for (Tap& tap : taps) tap.weight /= sum;
  std::erase_if(taps, [](const Tap& tap) { return tap.weight == 0; });
  return taps;
}

// For every output coordinate of one axis: its taps, or none if it falls outside (tf_crop_and_resize only).
std::vector<std::vector<Tap>> axis_taps(const ResizeAttributes& a, const ResizePlan& p, size_t d,
                                        int64_t in_len, bool resized) {
  const int64_t out_len = p.out_dims[d];
  std::vector<std::vector<Tap>> taps(static_cast<size_t>(out_len));
  for (int64_t o = 0; o < out_len; ++o) {
    auto& list = taps[static_cast<size_t>(o)];
    if (!resized) {
      list.push_back({o, 1.0});
      continue;
    }
    const double x = original_coordinate(a, static_cast<double>(o), p.scales[d], in_len, out_len,
                                         p.resized_lengths[d], p.roi_start[d], p.roi_end[d]);
    if (a.transform == "tf_crop_and_resize" && (x < 0 || x > static_cast<double>(in_len - 1))) continue;
    if (a.mode == "nearest") {
      list.push_back({std::clamp<int64_t>(nearest_index(a.nearest_mode, x), 0, in_len - 1), 1.0});
    } else {
      list = interpolation_taps(a, x, p.scales[d], in_len);
    }
  }
  return taps;
}

template <typename T>
Tensor resample(const ResizeAttributes& a, const ResizePlan& p, const Tensor& x) {
  const size_t rank = x.rank();
  std::vector<std::vector<std::vector<Tap>>> taps(rank);
  for (size_t d = 0; d < rank; ++d) {
    const bool resized = std::find(a.axes.begin(), a.axes.end(), d) != a.axes.end();
    taps[d] = axis_taps(a, p, d, x.dims()[d], resized);
  }
  const Dims in_strides = strides_of(x.dims());
  Tensor y(x.type(), p.out_dims);
  const T* src = x.data<T>();
  T* dst = y.data<T>();
  Dims out_index(rank, 0), pick(rank, 0);
  for (int64_t flat = 0; flat < y.element_count(); ++flat) {
    bool outside = false;
    for (size_t d = 0; d < rank; ++d) outside = outside || taps[d][static_cast<size_t>(out_index[d])].empty();
    double value = a.extrapolation;
    if (!outside && a.mode == "nearest") {  // one tap per axis: copy the element exactly (any type)
      int64_t at = 0;
      for (size_t d = 0; d < rank; ++d)
        at += taps[d][static_cast<size_t>(out_index[d])][0].index * in_strides[d];
      dst[flat] = src[at];
    } else if (!outside) {
      // Sum over the cartesian product of the axes' taps (an odometer over `pick`).
      value = 0;
      std::fill(pick.begin(), pick.end(), 0);
      for (bool more = true; more;) {
        double weight = 1;
        int64_t at = 0;
        for (size_t d = 0; d < rank; ++d) {
          const Tap& tap = taps[d][static_cast<size_t>(out_index[d])][static_cast<size_t>(pick[d])];
          weight *= tap.weight;
          at += tap.index * in_strides[d];
        }
        value += weight * static_cast<double>(src[at]);
        more = false;
        for (size_t d = rank; d-- > 0;) {
          if (++pick[d] < static_cast<int64_t>(taps[d][static_cast<size_t>(out_index[d])].size())) {
            more = true;
            break;
          }
          pick[d] = 0;
        }
      }
    }
    if (outside || a.mode != "nearest") dst[flat] = static_cast<T>(value);  // only f32 gets weighted sums
    for (size_t d = rank; d-- > 0;) {
      if (++out_index[d] < p.out_dims[d]) break;
      out_index[d] = 0;
    }
  }
  return y;
}

std::vector<Tensor> evaluate_resize(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  const ResizeAttributes a = read_attributes(node, x.rank());
  auto input = [&](size_t i) { return i < in.size() ? nonempty(in[i]) : nullptr; };
  const ResizePlan p = plan_resize(node, a, x.dims(), input(1), input(2), input(3));
  // Nothing to sample from: only an empty output is possible.
  OCTET_CHECK(x.element_count() > 0 || element_count(p.out_dims) == 0, ErrorCode::kInvalidArgument,
              node.label(), ": cannot resize the empty tensor ", x.description(), " to ",
              to_string(p.out_dims));
  OCTET_CHECK(a.mode == "nearest" || x.type() == ElementType::kF32, ErrorCode::kUnsupported, node.label(),
              ": mode '", a.mode, "' supports only f32 input");
  return {dispatch_numeric(node, x.type(), [&](auto zero) { return resample<decltype(zero)>(a, p, x); })};
}

}  // namespace

void register_resize_ops(OpRegistry& registry) {
  registry.add({"Resize", 1, 4, 1, 1, infer_resize, evaluate_resize});
}

}  // namespace octet
