// QuantizeLinear and DequantizeLinear (ONNX opset 18): per-tensor, or per-axis with a 1-d scale and zero
// point along `axis` (default 1).
#include <algorithm>
#include <optional>
#include <string>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

constexpr size_t kX = 0, kScale = 1, kZeroPoint = 2;

// Shape inference shared by Q and DQ: the scale and zero point agree with each other and, when per axis, with
// x's dim along `axis`.
void check_qdq_params(const Node& node, const Shape& x_shape, ElementType zero_point_type,
                      const char* scale_name, const char* zero_point_name) {
  const int64_t scales = check_scale_input(node, kScale, scale_name);
  const int64_t zero_points = check_zero_point_input(node, kZeroPoint, zero_point_type, zero_point_name);
  if (node.has_input(kZeroPoint))
    OCTET_CHECK(scales == zero_points || scales == kDynamicDim || zero_points == kDynamicDim,
                ErrorCode::kInvalidModel, node.label(), ": ", scale_name, " has ", scales, " elements but ",
                zero_point_name, " has ", zero_points);
  const int64_t count = scales == 1 ? zero_points : scales;
  if (count == 1 || count == kDynamicDim || !x_shape.rank_known()) return;
  const int64_t rank = static_cast<int64_t>(x_shape.rank());
  const int64_t axis = normalize_axis(node, node.attribute_or<int64_t>("axis", 1), rank);
  expect_per_tensor_or_axis(node, count, x_shape[static_cast<size_t>(axis)], scale_name,
                            "per-axis along axis " + std::to_string(axis));
}

// The scale and zero point that apply to each element of x.
struct QdqParams {
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
  std::optional<AxisIndexer> axis;  // empty when per tensor

  float scale(int64_t flat) const { return param_at(scales, axis ? (*axis)(flat) : 0); }
  int32_t zero_point(int64_t flat) const { return param_at(zero_points, axis ? (*axis)(flat) : 0); }
};

QdqParams read_qdq_params(const Node& node, const Tensor& x, const std::vector<const Tensor*>& inputs,
                          const char* scale_name, const char* zero_point_name) {
  QdqParams p;
  p.scales = scale_values(node, *inputs[kScale], scale_name);
  const Tensor* zero_point = optional_input(inputs, kZeroPoint);
  p.zero_points = zero_point_values(node, zero_point, zero_point_name);
  const size_t count = std::max(p.scales.size(), p.zero_points.size());
  const bool has_zero_point = zero_point != nullptr;
  OCTET_CHECK(!has_zero_point || p.scales.size() == p.zero_points.size(), ErrorCode::kInvalidModel,
              node.label(), ": ", scale_name, " has ", p.scales.size(), " elements but ", zero_point_name,
              " has ", p.zero_points.size());
  if (count > 1) {
    const int64_t axis =
        normalize_axis(node, node.attribute_or<int64_t>("axis", 1), static_cast<int64_t>(x.rank()));
    p.axis.emplace(x.dims(), axis);
    OCTET_CHECK(p.axis->axis_dim == static_cast<int64_t>(count), ErrorCode::kInvalidModel, node.label(), ": ",
                scale_name, " has ", count, " elements but x ", x.description(), " has ", p.axis->axis_dim,
                " along axis ", axis);
  }
  return p;
}

// --- QuantizeLinear: y = saturate(round_half_to_even(x / y_scale) + y_zero_point) ---

void infer_quantize_linear(Node& node) {
  expect_input_type(node, kX, {ElementType::kF32, ElementType::kI32});
  const ElementType y_type = quantized_type_from_zero_point(node, kZeroPoint, ElementType::kU8);
  check_qdq_params(node, input_shape(node, kX), y_type, "y_scale", "y_zero_point");
  set_output(node, 0, y_type, input_shape(node, kX));
}

template <typename Y>
void quantize_linear(const Tensor& x, const QdqParams& p, Y* y) {
  const int64_t n = x.element_count();
  for (int64_t i = 0; i < n; ++i) {
    const float value =
        x.type() == ElementType::kF32 ? x.data<float>()[i] : static_cast<float>(x.data<int32_t>()[i]);
    y[i] = quantize_value<Y>(value, p.scale(i), p.zero_point(i));
  }
}

std::vector<Tensor> evaluate_quantize_linear(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[kX];
  const QdqParams p = read_qdq_params(node, x, inputs, "y_scale", "y_zero_point");
  const Tensor* zero_point = optional_input(inputs, kZeroPoint);
  Tensor y(zero_point ? zero_point->type() : ElementType::kU8, x.dims());
  if (y.type() == ElementType::kU8) {
    quantize_linear(x, p, y.data<uint8_t>());
  } else {
    quantize_linear(x, p, y.data<int8_t>());
  }
  return {y};
}

// --- DequantizeLinear: y = (x - x_zero_point) * x_scale ---

void infer_dequantize_linear(Node& node) {
  expect_input_type(node, kX, {ElementType::kU8, ElementType::kI8, ElementType::kI32});
  const ElementType x_type = input_type(node, kX);
  check_qdq_params(node, input_shape(node, kX), x_type, "x_scale", "x_zero_point");
  if (x_type == ElementType::kI32) {
    // ONNX: an int32 input has no zero point (it is implicitly 0).
    const Tensor* zero_point = constant_input(node, kZeroPoint);
    if (zero_point)
      for (int64_t i = 0; i < zero_point->element_count(); ++i)
        OCTET_CHECK(zero_point->value_as_int64(i) == 0, ErrorCode::kInvalidModel, node.label(),
                    ": the zero point of an i32 input must be 0");
  }
  set_output(node, 0, ElementType::kF32, input_shape(node, kX));
}

std::vector<Tensor> evaluate_dequantize_linear(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[kX];
  const QdqParams p = read_qdq_params(node, x, inputs, "x_scale", "x_zero_point");
  if (x.type() == ElementType::kI32)
    for (int32_t zero_point : p.zero_points)
      OCTET_CHECK(zero_point == 0, ErrorCode::kInvalidModel, node.label(),
                  ": the zero point of an i32 input must be 0");
  Tensor y(ElementType::kF32, x.dims());
  float* out = y.data<float>();
  for (int64_t i = 0; i < x.element_count(); ++i)
    out[i] = dequantize_value(static_cast<int32_t>(x.value_as_int64(i)), p.scale(i), p.zero_point(i));
  return {y};
}

}  // namespace

void register_quantize_linear_ops(OpRegistry& registry) {
  registry.add({"QuantizeLinear", 2, 3, 1, 1, infer_quantize_linear, evaluate_quantize_linear});
  registry.add({"DequantizeLinear", 2, 3, 1, 1, infer_dequantize_linear, evaluate_dequantize_linear});
}

}  // namespace octet
