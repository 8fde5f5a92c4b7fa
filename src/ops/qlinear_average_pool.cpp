// ONNX Runtime's com.microsoft QLinearAveragePool: AveragePool on a u8/i8 tensor with per-tensor parameters.
//   inputs:     X [N, C, D1..Dr] ([N, D1..Dr, C] with channels_last), x_scale, x_zero_point?, y_scale,
//               y_zero_point?
//   attributes: AveragePool's (auto_pad, ceil_mode, count_include_pad, kernel_shape, pads, strides) and
//               channels_last (0)
// As QLinearGlobalAveragePool does here (qlinear_pool_concat.cpp), the mean is formed on integers: the int32
// sum of (x - x_zp) over the window's taps inside X is requantized with multiplier x_scale / (y_scale *
// count) (float), count = taps inside X (+ taps in the explicit padding with count_include_pad, which read as
// the zero point, i.e. 0.0):
//   y = saturate(round_half_to_even(float(sum) * multiplier) + y_zp).
// This is dequantize -> AveragePool -> quantize up to the float rounding of the mean.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "ops/average_pool_windows.h"
#include "ops/convolution_kernel.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kYScale = 3, kYZero = 4;

bool channels_last(const Node& node) {
  return node.attribute_or<int64_t>("channels_last", 0) != 0;
}

struct AveragePoolGeometry {
  int64_t batch = 0, channels = 0;
  Dims in, kernel, strides, pads_begin, pads_end, out;  // spatial
};

// x: the input dims in NCHW or NHWC order; dims may be kDynamicDim during shape inference.
AveragePoolGeometry geometry(const Node& node, const Dims& x) {
  OCTET_CHECK(x.size() >= 3, ErrorCode::kInvalidModel, node.label(), ": input of dims ", to_string(x),
              " needs a batch, a channel and at least one spatial axis");
  OCTET_CHECK(node.has_attribute("kernel_shape"), ErrorCode::kInvalidModel, node.label(),
              ": attribute 'kernel_shape' is required");
  const size_t rank = x.size() - 2;
  const bool nhwc = channels_last(node);
  AveragePoolGeometry g;
  g.batch = x[0];
  g.channels = nhwc ? x.back() : x[1];
  g.in.assign(x.begin() + (nhwc ? 1 : 2), x.end() - (nhwc ? 1 : 0));
  g.kernel = spatial_attribute(node, "kernel_shape", rank, 1);
  g.strides = spatial_attribute(node, "strides", rank, 1);
  const Dims dilations(rank, 1);
  const bool ceil_mode = node.attribute_or<int64_t>("ceil_mode", 0) != 0;
  ConvPadding padding = conv_padding(node, g.in, g.kernel, g.strides, dilations, ceil_mode);
  g.pads_begin = std::move(padding.begin);
  g.pads_end = std::move(padding.end);
  g.out = std::move(padding.out);
  return g;
}

Dims output_dims(const Node& node, const AveragePoolGeometry& g) {
  Dims y{g.batch};
  if (!channels_last(node)) y.push_back(g.channels);
  y.insert(y.end(), g.out.begin(), g.out.end());
  if (channels_last(node)) y.push_back(g.channels);
  return y;
}

void infer_qlinear_average_pool(Node& node) {
  for (size_t required : {kX, kXScale, kYScale})
    OCTET_CHECK(node.has_input(required), ErrorCode::kInvalidModel, node.label(), ": required input ",
                required, " is missing");
  expect_input_type(node, kX, {ElementType::kU8, ElementType::kI8});
  const ElementType type = input_type(node, kX);
  expect_per_tensor(node, check_scale_input(node, kXScale, "x_scale"), "x_scale");
  expect_per_tensor(node, check_scale_input(node, kYScale, "y_scale"), "y_scale");
  expect_per_tensor(node, check_zero_point_input(node, kXZero, type, "x_zero_point"), "x_zero_point");
  expect_per_tensor(node, check_zero_point_input(node, kYZero, type, "y_zero_point"), "y_zero_point");
  const Shape& x = input_shape(node, kX);
  set_output(node, 0, type, x.rank_known() ? Shape(output_dims(node, geometry(node, x.dims()))) : Shape());
}

template <typename T>
void average_pool(const AveragePoolWindows& w, const T* x, int32_t x_zero, float x_scale, float y_scale,
                  int32_t y_zero, T* y) {
  // Spatial element s of channel c of image n: NCHW (n*C + c)*S + s, NHWC (n*S + s)*C + c.
  auto in_at = [&](int64_t n, int64_t c, int64_t s) {
    return w.channels_last ? (n * w.in_plane + s) * w.channels + c : (n * w.channels + c) * w.in_plane + s;
  };
  auto out_at = [&](int64_t n, int64_t c, int64_t s) {
    return w.channels_last ? (n * w.out_plane + s) * w.channels + c : (n * w.channels + c) * w.out_plane + s;
  };
  for (int64_t o = 0; o < w.out_plane; ++o) {
    const float multiplier = average_pool_multiplier(x_scale, y_scale, w.divisor[static_cast<size_t>(o)]);
    const int64_t* first = w.taps.data() + w.tap_begin[static_cast<size_t>(o)];
    const int64_t* last = w.taps.data() + w.tap_begin[static_cast<size_t>(o) + 1];
    for (int64_t n = 0; n < w.batch; ++n) {
      for (int64_t c = 0; c < w.channels; ++c) {
        int64_t sum = 0;
        for (const int64_t* s = first; s != last; ++s)
          sum += static_cast<int64_t>(x[in_at(n, c, *s)]) - x_zero;
        y[out_at(n, c, o)] = requantize<T>(sum, multiplier, y_zero);
      }
    }
  }
}

}  // namespace

AveragePoolWindows qlinear_average_pool_windows(const Node& node, const Dims& x) {
  const AveragePoolGeometry g = geometry(node, x);
  const bool count_include_pad = node.attribute_or<int64_t>("count_include_pad", 0) != 0;
  const size_t rank = g.in.size();
  AveragePoolWindows w;
  w.batch = g.batch;
  w.channels = g.channels;
  w.channels_last = channels_last(node);
  w.in_plane = element_count(g.in);
  w.out_plane = element_count(g.out);
  w.y_dims = output_dims(node, g);
  const int64_t kernel_taps = element_count(g.kernel);
  // The window list holds up to out_plane * kernel_taps offsets: refuse a model that would need gigabytes
  // for it (a window this large is no real pooling) instead of exhausting memory.
  constexpr int64_t kMaxListedTaps = int64_t{1} << 27;
  OCTET_CHECK(kernel_taps > 0 && kernel_taps <= kMaxListedTaps / std::max<int64_t>(w.out_plane, 1),
              ErrorCode::kUnsupported, node.label(), ": ", w.out_plane, " output positions of ", kernel_taps,
              " taps each are more than ", kMaxListedTaps, " window taps");
  const Dims in_strides = strides_of(g.in);
  w.tap_begin.reserve(static_cast<size_t>(w.out_plane) + 1);
  w.divisor.reserve(static_cast<size_t>(w.out_plane));
  Dims o(rank, 0);
  for (int64_t out_flat = 0; out_flat < w.out_plane; ++out_flat) {
    w.tap_begin.push_back(static_cast<int64_t>(w.taps.size()));
    int64_t padded = 0;
    Dims k(rank, 0);
    for (int64_t t = 0; t < kernel_taps; ++t) {
      bool is_inside = true, within_pads = true;
      int64_t flat = 0;
      for (size_t i = 0; i < rank; ++i) {
        const int64_t pos = o[i] * g.strides[i] - g.pads_begin[i] + k[i];
        is_inside = is_inside && pos >= 0 && pos < g.in[i];
        within_pads = within_pads && pos >= -g.pads_begin[i] && pos < g.in[i] + g.pads_end[i];
        flat += pos * in_strides[i];
      }
      if (is_inside) {
        w.taps.push_back(flat);
      } else if (within_pads) {
        ++padded;
      }
      for (size_t i = rank; i-- > 0;) {
        if (++k[i] < g.kernel[i]) break;
        k[i] = 0;
      }
    }
    const int64_t inside = static_cast<int64_t>(w.taps.size()) - w.tap_begin.back();
    w.divisor.push_back(inside + (count_include_pad ? padded : 0));
    for (size_t i = rank; i-- > 0;) {
      if (++o[i] < g.out[i]) break;
      o[i] = 0;
    }
  }
  w.tap_begin.push_back(static_cast<int64_t>(w.taps.size()));
  return w;
}

namespace {

std::vector<Tensor> evaluate_qlinear_average_pool(const Node& node,
                                                  const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[kX];
  const AveragePoolWindows windows = qlinear_average_pool_windows(node, x.dims());
  const std::vector<float> x_scale = scale_values(node, *inputs[kXScale], "x_scale");
  const std::vector<float> y_scale = scale_values(node, *inputs[kYScale], "y_scale");
  const std::vector<int32_t> x_zero = zero_point_values(node, optional_input(inputs, kXZero), "x_zero_point");
  const std::vector<int32_t> y_zero = zero_point_values(node, optional_input(inputs, kYZero), "y_zero_point");
  for (const auto& [count, name] :
       {std::pair{x_scale.size(), "x_scale"}, std::pair{y_scale.size(), "y_scale"},
        std::pair{x_zero.size(), "x_zero_point"}, std::pair{y_zero.size(), "y_zero_point"}})
    expect_per_tensor(node, static_cast<int64_t>(count), name);
  Tensor y(x.type(), windows.y_dims);
  if (x.type() == ElementType::kU8) {
    average_pool(windows, x.data<uint8_t>(), x_zero[0], x_scale[0], y_scale[0], y_zero[0], y.data<uint8_t>());
  } else {
    OCTET_CHECK(x.type() == ElementType::kI8, ErrorCode::kUnsupported, node.label(), ": input X is ",
                x.description(), ", expected u8 or i8");
    average_pool(windows, x.data<int8_t>(), x_zero[0], x_scale[0], y_scale[0], y_zero[0], y.data<int8_t>());
  }
  return {y};
}

}  // namespace

void register_qlinear_average_pool_op(OpRegistry& registry) {
  registry.add({"QLinearAveragePool", 4, 5, 1, 1, infer_qlinear_average_pool, evaluate_qlinear_average_pool});
}

}  // namespace octet
