// QLinearScaleShift (Octet's own, made by the low-precision passes): a per-channel affine map of a per-tensor
// quantized tensor, requantized. It is what a BatchNormalization (or any Mul / Add of per-channel constants)
// between two quantized tensors becomes, e.g. DenseNet's pre-activation BatchNorm -> ReLU between a quantized
// Concat and a quantized convolution input (the ReLU folds into the output's saturation).
//   inputs:  X (u8 or i8, rank >= 2, channels on axis 1), x_scale, x_zero_point (per tensor),
//            multiplier M, offset B (f32, one per channel or one in all), y_scale, y_zero_point (per tensor)
//   output:  Y, X's dims, y_zero_point's type (u8 when absent):
//     Y = saturate(round_half_to_even(float(X - x_zero_point) * m[c] + b[c]) + y_zero_point),
//     m[c] = x_scale * M[c] / y_scale and b[c] = B[c] / y_scale, each computed once in float, left to right.
// That is Q(DQ(X) * M + B) with the two float roundings moved into m and b: the result can differ from the
// Q/DQ graph it replaces by one step where DQ(X) * M + B lies within float rounding of a rounding boundary.
#include "ops/qlinear_scale_shift.h"

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {
namespace {

constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kMultiplier = 3, kOffset = 4, kYScale = 5, kYZero = 6;

// Checks that input `index` is an f32 vector of one value per channel (or a single value).
void check_channel_vector(const Node& node, size_t index, int64_t channels, const char* what) {
  expect_input_type(node, index, {ElementType::kF32});
  const Shape& shape = input_shape(node, index);
  if (!shape.rank_known()) return;
  OCTET_CHECK(shape.rank() <= 1, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " must be a scalar or a vector, got dims ", to_string(shape.dims()));
  const int64_t count = shape.rank() == 0 ? 1 : shape[0];
  expect_per_tensor_or_axis(node, count, channels, what, "one per channel (axis 1)");
}

void infer_qlinear_scale_shift(Node& node) {
  expect_input_type(node, kX, {ElementType::kU8, ElementType::kI8});
  const Shape& x = input_shape(node, kX);
  OCTET_CHECK(!x.rank_known() || x.rank() >= 2, ErrorCode::kInvalidModel, node.label(),
              ": X needs a channel axis (rank >= 2), got ", x.to_string());
  const int64_t channels = dim_or_dynamic(x, 1);
  expect_per_tensor(node, check_scale_input(node, kXScale, "x_scale"), "x_scale");
  expect_per_tensor(node, check_zero_point_input(node, kXZero, input_type(node, kX), "x_zero_point"),
                    "x_zero_point");
  check_channel_vector(node, kMultiplier, channels, "multiplier");
  check_channel_vector(node, kOffset, channels, "offset");
  expect_per_tensor(node, check_scale_input(node, kYScale, "y_scale"), "y_scale");
  const ElementType y_type = quantized_type_from_zero_point(node, kYZero, ElementType::kU8);
  expect_per_tensor(node, check_zero_point_input(node, kYZero, y_type, "y_zero_point"), "y_zero_point");
  set_output(node, 0, y_type, x);
}

std::vector<float> channel_values(const Node& node, const Tensor& t, int64_t channels, const char* what) {
  OCTET_CHECK(t.type() == ElementType::kF32 && t.rank() <= 1 &&
                  (t.element_count() == 1 || t.element_count() == channels),
              ErrorCode::kInvalidModel, node.label(), ": ", what, " is ", t.description(), ", expected f32[",
              channels, "] or one value");
  const auto values = t.values<float>();
  return {values.begin(), values.end()};
}

}  // namespace

ScaleShiftCoefficients scale_shift_coefficients(float x_scale, std::span<const float> multiplier,
                                                std::span<const float> offset, float y_scale) {
  ScaleShiftCoefficients k;
  for (const float m : multiplier) k.multiplier.push_back(x_scale * m / y_scale);
  for (const float b : offset) k.offset.push_back(b / y_scale);
  return k;
}

namespace {

std::vector<Tensor> evaluate_qlinear_scale_shift(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[kX];
  OCTET_CHECK(x.rank() >= 2, ErrorCode::kInvalidModel, node.label(), ": X needs a channel axis, got ",
              x.description());
  const int64_t channels = x.dims()[1];
  const std::vector<float> x_scale = scale_values(node, *inputs[kXScale], "x_scale");
  const std::vector<float> y_scale = scale_values(node, *inputs[kYScale], "y_scale");
  const std::vector<int32_t> x_zero = zero_point_values(node, optional_input(inputs, kXZero), "x_zero_point");
  const Tensor* y_zero_tensor = optional_input(inputs, kYZero);
  const std::vector<int32_t> y_zero = zero_point_values(node, y_zero_tensor, "y_zero_point");
  for (const auto& [count, what] :
       {std::pair{x_scale.size(), "x_scale"}, std::pair{y_scale.size(), "y_scale"},
        std::pair{x_zero.size(), "x_zero_point"}, std::pair{y_zero.size(), "y_zero_point"}})
    expect_per_tensor(node, static_cast<int64_t>(count), what);
  const std::vector<float> multiplier = channel_values(node, *inputs[kMultiplier], channels, "multiplier");
  const std::vector<float> offset = channel_values(node, *inputs[kOffset], channels, "offset");
  const ScaleShiftCoefficients k = scale_shift_coefficients(x_scale[0], multiplier, offset, y_scale[0]);
  const ElementType y_type = y_zero_tensor ? y_zero_tensor->type() : ElementType::kU8;
  Tensor y(y_type, x.dims());
  const AxisIndexer channel_of(x.dims(), 1);
  auto run = [&](const auto* in, auto* out) {
    using Y = std::remove_pointer_t<decltype(out)>;
    for (int64_t i = 0; i < x.element_count(); ++i) {
      const int64_t c = channel_of(i);
      out[i] = scale_shift_value<Y>(int32_t{in[i]} - x_zero[0], param_at(k.multiplier, c),
                                    param_at(k.offset, c), y_zero[0]);
    }
  };
  const bool x_signed = x.type() == ElementType::kI8;
  if (y_type == ElementType::kU8) {
    x_signed ? run(x.data<int8_t>(), y.data<uint8_t>()) : run(x.data<uint8_t>(), y.data<uint8_t>());
  } else {
    x_signed ? run(x.data<int8_t>(), y.data<int8_t>()) : run(x.data<uint8_t>(), y.data<int8_t>());
  }
  return {y};
}

}  // namespace

void register_qlinear_scale_shift_op(OpRegistry& registry) {
  registry.add({"QLinearScaleShift", 6, 7, 1, 1, infer_qlinear_scale_shift, evaluate_qlinear_scale_shift});
}

}  // namespace octet
