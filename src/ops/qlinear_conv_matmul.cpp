// QLinearConv and QLinearMatMul (ONNX opset 10): u8/i8 operands with per-tensor input and output quantization
// and per-tensor or per-output-channel (per-column) weight quantization. The int32 accumulator is
// requantized:
//   y = saturate(round_half_to_even(float(acc) * multiplier) + y_zero_point),
//   multiplier = x_scale * w_scale[m] / y_scale, computed in float left to right,
// as ONNX Runtime's QLinearConv / QLinearMatMul compute their output scales (float, not double).
//
// Octet's own extension, which the low-precision passes write for a convolution whose result is not quantized
// again (a graph output, an fp32 reader): QLinearConv without y_scale and y_zero_point gives f32,
//   y = float(acc + bias[m]) * (x_scale * w_scale[m]),
// the int32 result dequantized as com.microsoft QGemm does without y_scale (OpenVINO runs such a layer in
// int8 with the dequantization in its output scales). ONNX files cannot use it: their QLinearConv needs
// y_scale.
#include <string>
#include <type_traits>

#include "ops/integer_accumulate.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

// Input order shared by both ops: x (a), x_scale, x_zero_point, w (b), w_scale, w_zero_point, y_scale,
// y_zero_point, [B (QLinearConv's bias)].
constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kW = 3, kWScale = 4, kWZero = 5, kYScale = 6, kYZero = 7,
                 kBias = 8;

// Whether `node` is the f32-output form (QLinearConv only): neither y_scale nor y_zero_point is given.
bool has_float_output(const Node& node) {
  return node.op_type() == "QLinearConv" && !node.has_input(kYScale) && !node.has_input(kYZero);
}

// Checks the quantization parameters; `channels` is the number of output channels (columns) that per-channel
// weight parameters must match, or kDynamicDim. Returns the output element type (y_zero_point's, or f32).
ElementType check_qlinear_params(const Node& node, int64_t channels, const char* x_name, const char* w_name,
                                 const char* along) {
  expect_input_type(node, kX, {ElementType::kU8, ElementType::kI8});
  expect_input_type(node, kW, {ElementType::kU8, ElementType::kI8});
  const std::string x(x_name), w(w_name);
  // ONNX also allows one A scale / zero point per row in QLinearMatMul; the quantizers we target never emit
  // it.
  for (const int64_t count : {check_scale_input(node, kXScale, x + "_scale"),
                              check_zero_point_input(node, kXZero, input_type(node, kX), x + "_zero_point")})
    OCTET_CHECK(count == 1 || count == kDynamicDim, ErrorCode::kUnsupported, node.label(), ": ", x,
                "_scale and ", x, "_zero_point must have one element (per-tensor), got ", count);
  expect_per_tensor_or_axis(node, check_scale_input(node, kWScale, w + "_scale"), channels, w + "_scale",
                            along);
  expect_per_tensor_or_axis(node,
                            check_zero_point_input(node, kWZero, input_type(node, kW), w + "_zero_point"),
                            channels, w + "_zero_point", along);
  if (has_float_output(node)) return ElementType::kF32;
  expect_per_tensor(node, check_scale_input(node, kYScale, "y_scale"), "y_scale");
  const ElementType y_type = quantized_type_from_zero_point(node, kYZero, ElementType::kU8);
  expect_per_tensor(node, check_zero_point_input(node, kYZero, y_type, "y_zero_point"), "y_zero_point");
  return y_type;
}

// The evaluated parameters, with one requantization multiplier per output channel (or a single one).
struct QLinearParams {
  int32_t x_zero = 0, y_zero = 0;
  std::vector<int32_t> w_zero;
  std::vector<float> multipliers;
};

QLinearParams read_qlinear_params(const Node& node, const std::vector<const Tensor*>& inputs,
                                  int64_t channels, const char* x_name, const char* w_name,
                                  const char* along) {
  const std::string x(x_name), w(w_name);
  const std::vector<float> x_scale = scale_values(node, *inputs[kXScale], x + "_scale");
  const std::vector<float> w_scale = scale_values(node, *inputs[kWScale], w + "_scale");
  const std::vector<int32_t> x_zero = zero_point_values(node, inputs[kXZero], x + "_zero_point");
  // The f32 form scales by x_scale * w_scale[m] (/ 1.0f, which changes no float).
  const bool float_output = has_float_output(node);
  const std::vector<float> y_scale =
      float_output ? std::vector<float>{1.0f} : scale_values(node, *inputs[kYScale], "y_scale");
  const std::vector<int32_t> y_zero =
      float_output ? std::vector<int32_t>{0} : zero_point_values(node, inputs[kYZero], "y_zero_point");
  QLinearParams p;
  p.w_zero = zero_point_values(node, inputs[kWZero], w + "_zero_point");
  expect_per_tensor(node, static_cast<int64_t>(x_scale.size()), x + "_scale");
  expect_per_tensor(node, static_cast<int64_t>(x_zero.size()), x + "_zero_point");
  expect_per_tensor(node, static_cast<int64_t>(y_scale.size()), "y_scale");
  expect_per_tensor(node, static_cast<int64_t>(y_zero.size()), "y_zero_point");
  expect_per_tensor_or_axis(node, static_cast<int64_t>(w_scale.size()), channels, w + "_scale", along);
  expect_per_tensor_or_axis(node, static_cast<int64_t>(p.w_zero.size()), channels, w + "_zero_point", along);
  p.x_zero = x_zero[0];
  p.y_zero = y_zero[0];
  for (float s : w_scale) p.multipliers.push_back(x_scale[0] * s / y_scale[0]);
  return p;
}

// y[i] = float(acc[i] + bias[channel(i)]) * multiplier[channel(i)]: the f32 form's output.
Tensor dequantize_tensor(const Tensor& acc, const AxisIndexer& channel_of,
                         const std::vector<float>& multipliers, std::span<const int32_t> bias) {
  Tensor y(ElementType::kF32, acc.dims());
  const int32_t* in = acc.data<int32_t>();
  float* out = y.data<float>();
  for (int64_t i = 0; i < acc.element_count(); ++i) {
    const int64_t c = channel_of(i);
    const int64_t b = bias.empty() ? 0 : bias[static_cast<size_t>(c)];
    out[i] = static_cast<float>(static_cast<int64_t>(in[i]) + b) * param_at(multipliers, c);
  }
  return y;
}

// y[i] = requantize(acc[i] + bias[channel(i)], multiplier[channel(i)]), into a new tensor of y_type.
Tensor requantize_tensor(const Tensor& acc, const AxisIndexer& channel_of,
                         const std::vector<float>& multipliers, std::span<const int32_t> bias, int32_t y_zero,
                         ElementType y_type) {
  Tensor y(y_type, acc.dims());
  const int32_t* in = acc.data<int32_t>();
  auto run = [&](auto* out) {
    using Y = std::remove_pointer_t<decltype(out)>;
    for (int64_t i = 0; i < acc.element_count(); ++i) {
      const int64_t c = channel_of(i);
      const int64_t b = bias.empty() ? 0 : bias[static_cast<size_t>(c)];
      out[i] = requantize<Y>(static_cast<int64_t>(in[i]) + b, param_at(multipliers, c), y_zero);
    }
  };
  if (y_type == ElementType::kU8) {
    run(y.data<uint8_t>());
  } else {
    run(y.data<int8_t>());
  }
  return y;
}

// --- QLinearConv ---

void infer_qlinear_conv(Node& node) {
  // Registered with 6 required inputs for the f32 form; the quantized form needs y_scale and y_zero_point.
  OCTET_CHECK(node.has_input(kYScale) == node.has_input(kYZero), ErrorCode::kInvalidModel, node.label(),
              ": y_scale and y_zero_point must be given together (both absent: Octet's f32-output form)");
  const int64_t out_channels = dim_or_dynamic(input_shape(node, kW), 0);
  const ElementType y_type = check_qlinear_params(node, out_channels, "x", "w", "one per output channel");
  if (node.has_input(kBias)) {
    expect_input_type(node, kBias, {ElementType::kI32});
    const Shape& bias = input_shape(node, kBias);
    OCTET_CHECK(!bias.rank_known() ||
                    (bias.rank() == 1 &&
                     (bias[0] == out_channels || bias[0] == kDynamicDim || out_channels == kDynamicDim)),
                ErrorCode::kInvalidModel, node.label(), ": bias B has shape ", bias.to_string(),
                ", expected [", out_channels, "]");
  }
  set_output(node, 0, y_type, integer_conv_output_shape(node, input_shape(node, kX), input_shape(node, kW)));
}

std::vector<Tensor> evaluate_qlinear_conv(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& w = *inputs[kW];
  OCTET_CHECK(w.rank() >= 1, ErrorCode::kInvalidModel, node.label(), ": weights must not be a scalar");
  const int64_t out_channels = w.dims()[0];
  const QLinearParams p = read_qlinear_params(node, inputs, out_channels, "x", "w", "one per output channel");
  const Tensor acc = integer_conv(node, *inputs[kX], w, p.x_zero, p.w_zero);
  std::span<const int32_t> bias;
  if (const Tensor* b = optional_input(inputs, kBias)) {
    OCTET_CHECK(b->type() == ElementType::kI32 && b->element_count() == out_channels,
                ErrorCode::kInvalidModel, node.label(), ": bias B is ", b->description(), ", expected i32[",
                out_channels, "]");
    bias = b->values<int32_t>();
  }
  if (has_float_output(node))
    return {dequantize_tensor(acc, AxisIndexer(acc.dims(), 1), p.multipliers, bias)};
  return {requantize_tensor(acc, AxisIndexer(acc.dims(), 1), p.multipliers, bias, p.y_zero,
                            inputs[kYZero]->type())};
}

// --- QLinearMatMul ---

void infer_qlinear_matmul(Node& node) {
  const Shape& b = input_shape(node, kW);
  const int64_t columns = b.rank_known() && b.rank() == 1 ? 1 : dim_or_dynamic(b, -1);
  const ElementType y_type = check_qlinear_params(node, columns, "a", "b", "one per column of B");
  set_output(node, 0, y_type, matmul_output_shape(node, input_shape(node, kX), b));
}

std::vector<Tensor> evaluate_qlinear_matmul(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& b = *inputs[kW];
  OCTET_CHECK(b.rank() >= 1, ErrorCode::kInvalidModel, node.label(), ": B must not be a scalar");
  const int64_t columns = b.rank() == 1 ? 1 : b.dims().back();
  const QLinearParams p = read_qlinear_params(node, inputs, columns, "a", "b", "one per column of B");
  const Tensor acc = integer_matmul(node, *inputs[kX], b, p.x_zero, p.w_zero);
  // The output's last axis is B's columns unless B is 1-d (then there is one column and no such axis).
  const AxisIndexer column_of = b.rank() == 1 || acc.rank() == 0
                                    ? AxisIndexer(Dims{1}, 0)
                                    : AxisIndexer(acc.dims(), static_cast<int64_t>(acc.rank()) - 1);
  return {requantize_tensor(acc, column_of, p.multipliers, {}, p.y_zero, inputs[kYZero]->type())};
}

}  // namespace

void register_qlinear_conv_matmul_ops(OpRegistry& registry) {
  registry.add({"QLinearConv", 6, 9, 1, 1, infer_qlinear_conv, evaluate_qlinear_conv});
  registry.add({"QLinearMatMul", 8, 8, 1, 1, infer_qlinear_matmul, evaluate_qlinear_matmul});
}

}  // namespace octet
