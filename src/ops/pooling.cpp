// Pooling: MaxPool (with the optional Indices output), AveragePool, LpPool, GlobalAveragePool, GlobalMaxPool
// and LRN. Windows are resolved with the same padding rules as Conv (convolution_kernel.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "ops/convolution_kernel.h"
#include "ops/op_families.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {

namespace {

struct PoolGeometry {
  int64_t batch = 0, channels = 0;
  Dims in, kernel, out, strides, dilations, pads_begin, pads_end;  // spatial, rank r each
};

// x: [N, C, D1..Dr], dims may be kDynamicDim during shape inference.
PoolGeometry pool_geometry(const Node& node, const Dims& x) {
  OCTET_CHECK(x.size() >= 3, ErrorCode::kInvalidModel, node.label(), ": input of dims ", to_string(x),
              " needs a batch, a channel and at least one spatial axis");
  const size_t rank = x.size() - 2;
  OCTET_CHECK(node.has_attribute("kernel_shape"), ErrorCode::kInvalidModel, node.label(),
              ": attribute 'kernel_shape' is required");
  PoolGeometry g;
  g.batch = x[0];
  g.channels = x[1];
  g.in.assign(x.begin() + 2, x.end());
  g.kernel = spatial_attribute(node, "kernel_shape", rank, 1);
  g.strides = spatial_attribute(node, "strides", rank, 1);
  g.dilations = spatial_attribute(node, "dilations", rank, 1);
  const bool ceil_mode = node.attribute_or<int64_t>("ceil_mode", 0) != 0;
  ConvPadding padding = conv_padding(node, g.in, g.kernel, g.strides, g.dilations, ceil_mode);
  g.pads_begin = std::move(padding.begin);
  g.pads_end = std::move(padding.end);
  g.out = std::move(padding.out);
  return g;
}

Dims pool_output_dims(const PoolGeometry& g) {
  Dims y{g.batch, g.channels};
  y.insert(y.end(), g.out.begin(), g.out.end());
  return y;
}

// The taps of one window: the in-plane flat (row-major) indices of the taps inside the input, and how many
// taps fall in the explicit padding (the ceil_mode overhang beyond the padding is in neither).
struct Window {
  std::vector<int64_t> inside;
  int64_t padded = 0;
};

// Calls visit(out_flat, window) for every output position of one channel plane, in row-major order.
template <typename Visit>
void for_each_window(const PoolGeometry& g, Visit&& visit) {
  const size_t rank = g.in.size();
  const Dims in_strides = strides_of(g.in);
  const int64_t out_count = element_count(g.out);
  const int64_t taps = element_count(g.kernel);
  Dims o(rank, 0);
  Window window;
  for (int64_t out_flat = 0; out_flat < out_count; ++out_flat) {
    window.inside.clear();
    window.padded = 0;
    Dims k(rank, 0);
    for (int64_t t = 0; t < taps; ++t) {
      bool inside = true, within_pads = true;
      int64_t flat = 0;
      for (size_t i = 0; i < rank; ++i) {
        const int64_t pos = o[i] * g.strides[i] - g.pads_begin[i] + k[i] * g.dilations[i];
        inside = inside && pos >= 0 && pos < g.in[i];
        within_pads = within_pads && pos >= -g.pads_begin[i] && pos < g.in[i] + g.pads_end[i];
        flat += pos * in_strides[i];
      }
      if (inside) {
        window.inside.push_back(flat);
      } else if (within_pads) {
        ++window.padded;
      }
      for (size_t i = rank; i-- > 0;) {  // odometer over the kernel taps
        if (++k[i] < g.kernel[i]) break;
        k[i] = 0;
      }
    }
    visit(out_flat, window);
    for (size_t i = rank; i-- > 0;) {  // odometer over the output positions
      if (++o[i] < g.out[i]) break;
      o[i] = 0;
    }
  }
}

// Y keeps the input's type, with the window geometry's spatial dims; MaxPool's optional Indices is i64.
void infer_pool(Node& node, std::initializer_list<ElementType> types) {
  expect_input_type(node, 0, types);
  const Shape& x = input_shape(node, 0);
  Shape y = Shape::unknown();
  if (x.rank_known()) y = Shape(pool_output_dims(pool_geometry(node, x.dims())));
  set_output(node, 0, input_type(node, 0), y);
  if (node.output_count() > 1) set_output(node, 1, ElementType::kI64, y);
}

template <typename T>
std::vector<Tensor> max_pool(const Node& node, const Tensor& x) {
  const PoolGeometry g = pool_geometry(node, x.dims());
  const bool column_major = node.attribute_or<int64_t>("storage_order", 0) != 0;
  const bool want_indices = node.output_count() > 1;
  Tensor y(x.type(), pool_output_dims(g));
  Tensor indices = want_indices ? Tensor(ElementType::kI64, y.dims()) : Tensor();
  const int64_t in_plane = element_count(g.in), out_plane = element_count(g.out);
  const Dims in_strides = strides_of(g.in);
  const T* px = x.data<T>();
  T* py = y.data<T>();
  for (int64_t nc = 0; nc < g.batch * g.channels; ++nc) {
    const T* plane = px + nc * in_plane;
    for_each_window(g, [&](int64_t out_flat, const Window& w) {
      // Padding reads as -inf: a window with no input tap yields the lowest value (ONNX gives -inf for
      // floats).
      T best = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                    : std::numeric_limits<T>::lowest();
      int64_t best_at = w.inside.empty() ? 0 : w.inside.front();
      for (int64_t at : w.inside) {
        if (plane[at] > best) {
          best = plane[at];
          best_at = at;
        }
      }
      py[nc * out_plane + out_flat] = best;
      if (!want_indices) return;
      // ONNX's Indices: the flat index into X (batch and channel included); storage_order 1 flattens the
      // spatial axes column-major instead.
      int64_t spatial = best_at;
      if (column_major) {
        // Re-flatten the coordinates with the first spatial axis varying fastest.
        int64_t rest = best_at, stride = 1;
        spatial = 0;
        for (size_t i = 0; i < g.in.size(); ++i) {
          spatial += (rest / in_strides[i]) * stride;
          rest %= in_strides[i];
          stride *= g.in[i];
        }
      }
      indices.data<int64_t>()[nc * out_plane + out_flat] = nc * in_plane + spatial;
    });
  }
  if (want_indices) return {y, indices};
  return {y};
}

std::vector<Tensor> evaluate_max_pool(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  switch (x.type()) {
    case ElementType::kF32:
      return max_pool<float>(node, x);
    case ElementType::kI8:
      return max_pool<int8_t>(node, x);
    case ElementType::kU8:
      return max_pool<uint8_t>(node, x);
    default:
      fail(ErrorCode::kUnsupported, node.label(), ": input type ", to_string(x.type()), " is not supported");
  }
}

void check_f32(const Node& node, const Tensor& x) {
  OCTET_CHECK(x.type() == ElementType::kF32, ErrorCode::kUnsupported, node.label(), ": input ",
              x.description(), " is not supported, only f32");
}

std::vector<Tensor> evaluate_average_pool(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  check_f32(node, x);
  const PoolGeometry g = pool_geometry(node, x.dims());
  const bool count_include_pad = node.attribute_or<int64_t>("count_include_pad", 0) != 0;
  Tensor y(ElementType::kF32, pool_output_dims(g));
  const int64_t in_plane = element_count(g.in), out_plane = element_count(g.out);
  for (int64_t nc = 0; nc < g.batch * g.channels; ++nc) {
    const float* plane = x.data<float>() + nc * in_plane;
    for_each_window(g, [&](int64_t out_flat, const Window& w) {
      float sum = 0.0f;
      for (int64_t at : w.inside) sum += plane[at];
      const int64_t count = static_cast<int64_t>(w.inside.size()) + (count_include_pad ? w.padded : 0);
      y.data<float>()[nc * out_plane + out_flat] =
          count == 0 ? std::numeric_limits<float>::quiet_NaN() : sum / static_cast<float>(count);
    });
  }
  return {y};
}

std::vector<Tensor> evaluate_lp_pool(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  check_f32(node, x);
  const PoolGeometry g = pool_geometry(node, x.dims());
  const int64_t p = node.attribute_or<int64_t>("p", 2);
  OCTET_CHECK(p >= 1, ErrorCode::kInvalidModel, node.label(), ": p ", p, " must be positive");
  Tensor y(ElementType::kF32, pool_output_dims(g));
  const int64_t in_plane = element_count(g.in), out_plane = element_count(g.out);
  for (int64_t nc = 0; nc < g.batch * g.channels; ++nc) {
    const float* plane = x.data<float>() + nc * in_plane;
    for_each_window(g, [&](int64_t out_flat, const Window& w) {
      double sum = 0.0;
      for (int64_t at : w.inside)
        sum += std::pow(std::abs(static_cast<double>(plane[at])), static_cast<double>(p));
      y.data<float>()[nc * out_plane + out_flat] =
          static_cast<float>(std::pow(sum, 1.0 / static_cast<double>(p)));
    });
  }
  return {y};
}

// Global pools: [N, C, D...] -> [N, C, 1...].
void infer_global_pool(Node& node, std::initializer_list<ElementType> types) {
  expect_input_type(node, 0, types);
  const Shape& x = input_shape(node, 0);
  Shape y = Shape::unknown();
  if (x.rank_known()) {
    OCTET_CHECK(x.rank() >= 3, ErrorCode::kInvalidModel, node.label(), ": input of shape ", x.to_string(),
                " needs a batch, a channel and at least one spatial axis");
    Dims dims(x.rank(), 1);
    dims[0] = x[0];
    dims[1] = x[1];
    y = Shape(dims);
  }
  set_output(node, 0, input_type(node, 0), y);
}

template <typename T, typename Reduce>
Tensor global_pool(const Node& node, const Tensor& x, Reduce&& reduce) {
  OCTET_CHECK(x.rank() >= 3, ErrorCode::kInvalidModel, node.label(), ": input ", x.description(),
              " needs a batch, a channel and at least one spatial axis");
  Dims dims(x.rank(), 1);
  dims[0] = x.dims()[0];
  dims[1] = x.dims()[1];
  Tensor y(x.type(), dims);
  const int64_t plane = x.element_count() / std::max<int64_t>(1, dims[0] * dims[1]);
  OCTET_CHECK(plane > 0, ErrorCode::kInvalidModel, node.label(), ": input ", x.description(),
              " has no elements");
  for (int64_t nc = 0; nc < dims[0] * dims[1]; ++nc)
    y.data<T>()[nc] = reduce(x.data<T>() + nc * plane, plane);
  return y;
}

std::vector<Tensor> evaluate_global_average_pool(const Node& node, const std::vector<const Tensor*>& inputs) {
  check_f32(node, *inputs[0]);
  return {global_pool<float>(node, *inputs[0], [](const float* v, int64_t n) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += v[i];
    return static_cast<float>(sum / static_cast<double>(n));
  })};
}

template <typename T>
Tensor global_max_pool(const Node& node, const Tensor& x) {
  return global_pool<T>(node, x, [](const T* v, int64_t n) { return *std::max_element(v, v + n); });
}

std::vector<Tensor> evaluate_global_max_pool(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  switch (x.type()) {
    case ElementType::kF32:
      return {global_max_pool<float>(node, x)};
    case ElementType::kI8:
      return {global_max_pool<int8_t>(node, x)};
    case ElementType::kU8:
      return {global_max_pool<uint8_t>(node, x)};
    default:
      fail(ErrorCode::kUnsupported, node.label(), ": input type ", to_string(x.type()), " is not supported");
  }
}

// LRN across channels: y = x / (bias + alpha / size * sum of x^2 over the channels c - floor((size-1)/2) ..
// c + ceil((size-1)/2))^beta.
std::vector<Tensor> evaluate_lrn(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  check_f32(node, x);
  OCTET_CHECK(x.rank() >= 3, ErrorCode::kInvalidModel, node.label(), ": input ", x.description(),
              " needs a batch, a channel and at least one spatial axis");
  const int64_t size = node.attribute<int64_t>("size");
  OCTET_CHECK(size >= 1, ErrorCode::kInvalidModel, node.label(), ": size ", size, " must be positive");
  const float alpha = node.attribute_or<float>("alpha", 0.0001f);
  const float beta = node.attribute_or<float>("beta", 0.75f);
  const float bias = node.attribute_or<float>("bias", 1.0f);
  const int64_t below = (size - 1) / 2, above = size - 1 - below;
  const int64_t batch = x.dims()[0], channels = x.dims()[1];
  const int64_t plane = x.element_count() / std::max<int64_t>(1, batch * channels);
  Tensor y(ElementType::kF32, x.dims());
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t first = std::max<int64_t>(0, c - below), last = std::min(channels - 1, c + above);
      for (int64_t i = 0; i < plane; ++i) {
        double square_sum = 0.0;
        for (int64_t k = first; k <= last; ++k) {
          const double v = px[(n * channels + k) * plane + i];
          square_sum += v * v;
        }
        const int64_t at = (n * channels + c) * plane + i;
        const double scale =
            static_cast<double>(bias) + static_cast<double>(alpha) / static_cast<double>(size) * square_sum;
        py[at] = static_cast<float>(px[at] / std::pow(scale, static_cast<double>(beta)));
      }
    }
  }
  return {y};
}

void infer_lrn(Node& node) {
  expect_input_type(node, 0, {ElementType::kF32});
  OCTET_CHECK(node.has_attribute("size"), ErrorCode::kInvalidModel, node.label(),
              ": attribute 'size' is required");
  set_output(node, 0, ElementType::kF32, input_shape(node, 0));
}

}  // namespace

void register_pooling_ops(OpRegistry& registry) {
  registry.add({.type = "MaxPool",
                .min_inputs = 1,
                .max_inputs = 1,
                .min_outputs = 1,
                .max_outputs = 2,
                .infer =
                    [](Node& node) {
                      infer_pool(node, {ElementType::kF32, ElementType::kI8, ElementType::kU8});
                    },
                .evaluate = evaluate_max_pool});
  registry.add({.type = "AveragePool",
                .min_inputs = 1,
                .max_inputs = 1,
                .infer = [](Node& node) { infer_pool(node, {ElementType::kF32}); },
                .evaluate = evaluate_average_pool});
  registry.add({.type = "LpPool",
                .min_inputs = 1,
                .max_inputs = 1,
                .infer = [](Node& node) { infer_pool(node, {ElementType::kF32}); },
                .evaluate = evaluate_lp_pool});
  registry.add({.type = "GlobalAveragePool",
                .min_inputs = 1,
                .max_inputs = 1,
                .infer = [](Node& node) { infer_global_pool(node, {ElementType::kF32}); },
                .evaluate = evaluate_global_average_pool});
  registry.add({.type = "GlobalMaxPool",
                .min_inputs = 1,
                .max_inputs = 1,
                .infer =
                    [](Node& node) {
                      infer_global_pool(node, {ElementType::kF32, ElementType::kI8, ElementType::kU8});
                    },
                .evaluate = evaluate_global_max_pool});
  registry.add(
      {.type = "LRN", .min_inputs = 1, .max_inputs = 1, .infer = infer_lrn, .evaluate = evaluate_lrn});
}

}  // namespace octet
