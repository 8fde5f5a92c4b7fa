// ONNX Runtime's com.microsoft QLinearGlobalAveragePool and QLinearConcat (u8 or i8, per-tensor parameters).
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

// --- QLinearGlobalAveragePool: X, x_scale, x_zero_point?, y_scale, y_zero_point?; attribute channels_last
// ---
//
// Like MLAS (MlasQLinearGlobalAveragePoolNchw/Nhwc), the mean is not formed in float: the int32 sum of
// (x - x_zp) over the n spatial elements is requantized with multiplier x_scale / (y_scale * n) (float):
//   y = saturate(round_half_to_even(float(sum) * multiplier) + y_zp).

constexpr size_t kPoolX = 0, kPoolXScale = 1, kPoolXZero = 2, kPoolYScale = 3, kPoolYZero = 4;

bool channels_last(const Node& node) {
  return node.attribute_or<int64_t>("channels_last", 0) != 0;
}

void infer_qlinear_global_average_pool(Node& node) {
  for (size_t required : {kPoolX, kPoolXScale, kPoolYScale})
    OCTET_CHECK(node.has_input(required), ErrorCode::kInvalidModel, node.label(), ": required input ",
                required, " is missing");
  expect_input_type(node, kPoolX, {ElementType::kU8, ElementType::kI8});
  const ElementType type = input_type(node, kPoolX);
  expect_per_tensor(node, check_scale_input(node, kPoolXScale, "x_scale"), "x_scale");
  expect_per_tensor(node, check_scale_input(node, kPoolYScale, "y_scale"), "y_scale");
  expect_per_tensor(node, check_zero_point_input(node, kPoolXZero, type, "x_zero_point"), "x_zero_point");
  expect_per_tensor(node, check_zero_point_input(node, kPoolYZero, type, "y_zero_point"), "y_zero_point");
  const Shape& x = input_shape(node, kPoolX);
  if (!x.rank_known()) {
    set_output(node, 0, type, Shape::unknown());
    return;
  }
  OCTET_CHECK(x.rank() >= 3, ErrorCode::kInvalidModel, node.label(), ": input X has shape ", x.to_string(),
              ", expected rank >= 3");
  Dims out(x.rank(), 1);
  out[0] = x[0];
  const size_t channel_axis = channels_last(node) ? x.rank() - 1 : 1;
  out[channel_axis] = x[channel_axis];
  set_output(node, 0, type, Shape(out));
}

template <typename T>
void global_average_pool(const Tensor& x, bool nhwc, int32_t x_zero, float multiplier, int32_t y_zero, T* y) {
  const Dims& dims = x.dims();
  const int64_t batch = dims[0];
  const int64_t channels = nhwc ? dims.back() : dims[1];
  const int64_t spatial = x.element_count() / std::max<int64_t>(1, batch * channels);
  // Element (n, c, s) lives at n*C*S + c*S + s (NCHW) or n*S*C + s*C + c (NHWC).
  const int64_t channel_stride = nhwc ? 1 : spatial, spatial_stride = nhwc ? channels : 1;
  const T* in = x.data<T>();
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      int64_t sum = 0;
      for (int64_t s = 0; s < spatial; ++s)
        sum += static_cast<int64_t>(in[n * channels * spatial + c * channel_stride + s * spatial_stride]) -
               x_zero;
      y[n * channels + c] = requantize<T>(sum, multiplier, y_zero);
    }
  }
}

std::vector<Tensor> evaluate_qlinear_global_average_pool(const Node& node,
                                                         const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[kPoolX];
  OCTET_CHECK(x.rank() >= 3, ErrorCode::kInvalidModel, node.label(), ": input X is ", x.description(),
              ", expected rank >= 3");
  const std::vector<float> x_scale = scale_values(node, *inputs[kPoolXScale], "x_scale");
  const std::vector<float> y_scale = scale_values(node, *inputs[kPoolYScale], "y_scale");
  const std::vector<int32_t> x_zero =
      zero_point_values(node, optional_input(inputs, kPoolXZero), "x_zero_point");
  const std::vector<int32_t> y_zero =
      zero_point_values(node, optional_input(inputs, kPoolYZero), "y_zero_point");
  for (const auto& [count, name] :
       {std::pair{x_scale.size(), "x_scale"}, std::pair{y_scale.size(), "y_scale"},
        std::pair{x_zero.size(), "x_zero_point"}, std::pair{y_zero.size(), "y_zero_point"}})
    expect_per_tensor(node, static_cast<int64_t>(count), name);
  const bool nhwc = channels_last(node);
  Dims out(x.rank(), 1);
  out[0] = x.dims()[0];
  const size_t channel_axis = nhwc ? x.rank() - 1 : 1;
  out[channel_axis] = x.dims()[channel_axis];
  const int64_t spatial = x.element_count() / std::max<int64_t>(1, out[0] * out[channel_axis]);
  OCTET_CHECK(spatial >= 1, ErrorCode::kInvalidModel, node.label(), ": input X ", x.description(),
              " has no spatial elements to average");
  const float multiplier = x_scale[0] / (y_scale[0] * static_cast<float>(spatial));
  Tensor y(x.type(), out);
  if (x.type() == ElementType::kU8) {
    global_average_pool(x, nhwc, x_zero[0], multiplier, y_zero[0], y.data<uint8_t>());
  } else {
    global_average_pool(x, nhwc, x_zero[0], multiplier, y_zero[0], y.data<int8_t>());
  }
  return {y};
}

// --- QLinearConcat: Y_scale, Y_zero_point, then (tensor, scale, zero_point) per input; attribute axis ---
//
// Each input is requantized to Y's parameters as ONNX Runtime does (it builds a 256-entry table from exactly
// this formula): dequantize in float, then quantize: saturate(round_half_to_even(x_scale * (x - x_zp) /
// Y_scale) + Y_zp). An input whose scale and zero point equal Y's is copied unchanged.

constexpr size_t kFirstTriple = 2;

size_t triple_count(const Node& node, size_t input_count) {
  OCTET_CHECK(input_count >= kFirstTriple + 3 && (input_count - kFirstTriple) % 3 == 0,
              ErrorCode::kInvalidModel, node.label(), ": has ", input_count,
              " inputs, expected Y_scale, Y_zero_point, then (tensor, scale, zero point) triples");
  return (input_count - kFirstTriple) / 3;
}

void infer_qlinear_concat(Node& node) {
  const size_t count = triple_count(node, node.input_count());
  expect_per_tensor(node, check_scale_input(node, 0, "Y_scale"), "Y_scale");
  const ElementType type = quantized_type_from_zero_point(node, 1, ElementType::kU8);
  expect_per_tensor(node, check_zero_point_input(node, 1, type, "Y_zero_point"), "Y_zero_point");
  std::optional<Dims> out;
  int64_t axis = 0;
  for (size_t t = 0; t < count; ++t) {
    const size_t index = kFirstTriple + 3 * t;
    const std::string name = "input " + std::to_string(t);
    OCTET_CHECK(node.has_input(index) && node.has_input(index + 1), ErrorCode::kInvalidModel, node.label(),
                ": ", name, " or its scale is missing");
    expect_input_type(node, index, {type});
    expect_per_tensor(node, check_scale_input(node, index + 1, name + " scale"), name + " scale");
    expect_per_tensor(node, check_zero_point_input(node, index + 2, type, name + " zero point"),
                      name + " zero point");
    const Shape& shape = input_shape(node, index);
    if (!shape.rank_known()) {
      set_output(node, 0, type, Shape::unknown());
      return;
    }
    if (!out) {
      axis = normalize_axis(node, node.attribute<int64_t>("axis"), static_cast<int64_t>(shape.rank()));
      out = shape.dims();
      continue;
    }
    OCTET_CHECK(shape.rank() == out->size(), ErrorCode::kInvalidModel, node.label(), ": ", name,
                " has shape ", shape.to_string(), ", expected rank ", out->size());
    for (size_t d = 0; d < out->size(); ++d) {
      int64_t& o = (*out)[d];
      const int64_t s = shape[d];
      if (static_cast<int64_t>(d) == axis) {
        o = o == kDynamicDim || s == kDynamicDim ? kDynamicDim : o + s;
      } else if (o == kDynamicDim) {
        o = s;
      } else {
        OCTET_CHECK(s == kDynamicDim || s == o, ErrorCode::kInvalidModel, node.label(), ": ", name,
                    " has shape ", shape.to_string(), ", which does not match the other inputs off axis ",
                    axis);
      }
    }
  }
  set_output(node, 0, type, Shape(*out));
}

template <typename T>
void concat_requantized(const Node& node, const std::vector<const Tensor*>& inputs, size_t count,
                        int64_t axis, float y_scale, int32_t y_zero, Tensor& y) {
  const Dims& out_dims = y.dims();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= out_dims[static_cast<size_t>(d)];
  for (size_t d = static_cast<size_t>(axis) + 1; d < out_dims.size(); ++d) inner *= out_dims[d];
  const int64_t out_row = out_dims[static_cast<size_t>(axis)] * inner;  // elements per outer index in y
  T* out = y.data<T>();
  int64_t offset = 0;  // where this input starts inside each output row
  for (size_t t = 0; t < count; ++t) {
    const size_t index = kFirstTriple + 3 * t;
    const Tensor& x = *inputs[index];
    const std::string name = "input " + std::to_string(t);
    const std::vector<float> scale = scale_values(node, *inputs[index + 1], name + " scale");
    const std::vector<int32_t> zero =
        zero_point_values(node, optional_input(inputs, index + 2), name + " zero point");
    expect_per_tensor(node, static_cast<int64_t>(scale.size()), name + " scale");
    expect_per_tensor(node, static_cast<int64_t>(zero.size()), name + " zero point");
    const bool same = scale[0] == y_scale && zero[0] == y_zero;
    const int64_t row = x.dims()[static_cast<size_t>(axis)] * inner;
    const T* in = x.data<T>();
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < row; ++i) {
        const T v = in[o * row + i];
        out[o * out_row + offset + i] =
            same ? v : quantize_value<T>(dequantize_value(v, scale[0], zero[0]), y_scale, y_zero);
      }
    }
    offset += row;
  }
}

std::vector<Tensor> evaluate_qlinear_concat(const Node& node, const std::vector<const Tensor*>& inputs) {
  const size_t count = triple_count(node, inputs.size());
  const std::vector<float> y_scale = scale_values(node, *inputs[0], "Y_scale");
  const std::vector<int32_t> y_zero = zero_point_values(node, inputs[1], "Y_zero_point");
  expect_per_tensor(node, static_cast<int64_t>(y_scale.size()), "Y_scale");
  expect_per_tensor(node, static_cast<int64_t>(y_zero.size()), "Y_zero_point");
  const Tensor& first = *inputs[kFirstTriple];
  const int64_t axis =
      normalize_axis(node, node.attribute<int64_t>("axis"), static_cast<int64_t>(first.rank()));
  Dims out = first.dims();
  out[static_cast<size_t>(axis)] = 0;
  for (size_t t = 0; t < count; ++t) {
    const Tensor& x = *inputs[kFirstTriple + 3 * t];
    OCTET_CHECK(x.type() == inputs[1]->type() && x.rank() == out.size(), ErrorCode::kInvalidModel,
                node.label(), ": input ", t, " is ", x.description(), ", expected ",
                to_string(inputs[1]->type()), " of rank ", out.size());
    for (size_t d = 0; d < out.size(); ++d)
      OCTET_CHECK(static_cast<int64_t>(d) == axis || x.dims()[d] == out[d], ErrorCode::kInvalidModel,
                  node.label(), ": input ", t, " is ", x.description(),
                  ", which does not match input 0 off axis ", axis);
    out[static_cast<size_t>(axis)] += x.dims()[static_cast<size_t>(axis)];
  }
  Tensor y(inputs[1]->type(), out);
  if (y.type() == ElementType::kU8) {
    concat_requantized<uint8_t>(node, inputs, count, axis, y_scale[0], y_zero[0], y);
  } else {
    concat_requantized<int8_t>(node, inputs, count, axis, y_scale[0], y_zero[0], y);
  }
  return {y};
}

}  // namespace

void register_qlinear_pool_concat_ops(OpRegistry& registry) {
  registry.add({"QLinearGlobalAveragePool", 1, 5, 1, 1, infer_qlinear_global_average_pool,
                evaluate_qlinear_global_average_pool});
  registry.add({"QLinearConcat", 5, std::numeric_limits<size_t>::max(), 1, 1, infer_qlinear_concat,
                evaluate_qlinear_concat});
}

}  // namespace octet
