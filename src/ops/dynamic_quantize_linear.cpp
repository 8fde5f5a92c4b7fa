// DynamicQuantizeLinear (ONNX opset 11+): quantizes f32 x to u8 with a scale and zero point computed from x's
// range, which is first widened to include 0.
#include <algorithm>
#include <cmath>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"

namespace octet {

namespace {

void infer_dynamic_quantize_linear(Node& node) {
  expect_input_type(node, 0, {ElementType::kF32});
  set_output(node, 0, ElementType::kU8, input_shape(node, 0));
  set_output(node, 1, ElementType::kF32, Shape(Dims{}));
  set_output(node, 2, ElementType::kU8, Shape(Dims{}));
}

std::vector<Tensor> evaluate_dynamic_quantize_linear(const Node& /*node*/,
                                                     const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  const std::span<const float> values = x.values<float>();
  // The range includes 0 so that 0 is exactly representable. NaNs are skipped (ONNX leaves them undefined).
  float x_min = 0.0f, x_max = 0.0f;
  for (float v : values) {
    if (std::isnan(v)) continue;
    x_min = std::min(x_min, v);
    x_max = std::max(x_max, v);
  }
  // The ONNX formula, in float; qmin = 0, qmax = 255. When x is all zeros the ONNX formula divides by a zero
  // scale; like ONNX Runtime we use scale 1 then (zero point 0, every y 0).
  const float scale = x_max == x_min ? 1.0f : (x_max - x_min) / 255.0f;
  const float initial_zero_point = 0.0f - x_min / scale;
  const auto zero_point =
      saturate_to<uint8_t>(round_half_to_even(std::clamp(initial_zero_point, 0.0f, 255.0f)));

  Tensor y(ElementType::kU8, x.dims());
  uint8_t* out = y.data<uint8_t>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = quantize_value<uint8_t>(values[i], scale, zero_point);
  return {y, Tensor::scalar<float>(scale), Tensor::scalar<uint8_t>(zero_point)};
}

}  // namespace

void register_dynamic_quantize_linear_op(OpRegistry& registry) {
  registry.add(
      {"DynamicQuantizeLinear", 1, 1, 3, 3, infer_dynamic_quantize_linear, evaluate_dynamic_quantize_linear});
}

}  // namespace octet
