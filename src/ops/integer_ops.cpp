// ConvInteger and MatMulInteger (ONNX opset 10): u8/i8 inputs with optional zero points, int32 output, no
// requantization.
#include "ops/integer_accumulate.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

// --- ConvInteger: x, w, x_zero_point?, w_zero_point? ---

void infer_conv_integer(Node& node) {
  expect_input_type(node, 0, {ElementType::kU8, ElementType::kI8});
  expect_input_type(node, 1, {ElementType::kU8, ElementType::kI8});
  expect_per_tensor(node, check_zero_point_input(node, 2, input_type(node, 0), "x_zero_point"),
                    "x_zero_point");
  expect_per_tensor_or_axis(node, check_zero_point_input(node, 3, input_type(node, 1), "w_zero_point"),
                            dim_or_dynamic(input_shape(node, 1), 0), "w_zero_point",
                            "one per output channel");
  set_output(node, 0, ElementType::kI32,
             integer_conv_output_shape(node, input_shape(node, 0), input_shape(node, 1)));
}

std::vector<Tensor> evaluate_conv_integer(const Node& node, const std::vector<const Tensor*>& inputs) {
  const std::vector<int32_t> x_zero = zero_point_values(node, optional_input(inputs, 2), "x_zero_point");
  const std::vector<int32_t> w_zero = zero_point_values(node, optional_input(inputs, 3), "w_zero_point");
  expect_per_tensor(node, static_cast<int64_t>(x_zero.size()), "x_zero_point");
  return {integer_conv(node, *inputs[0], *inputs[1], x_zero[0], w_zero)};
}

// --- MatMulInteger: A, B, a_zero_point?, b_zero_point? ---

void infer_matmul_integer(Node& node) {
  expect_input_type(node, 0, {ElementType::kU8, ElementType::kI8});
  expect_input_type(node, 1, {ElementType::kU8, ElementType::kI8});
  const int64_t a_zero_count = check_zero_point_input(node, 2, input_type(node, 0), "a_zero_point");
  // ONNX also allows one A zero point per row; Octet's quantizer never emits that.
  OCTET_CHECK(a_zero_count == 1 || a_zero_count == kDynamicDim, ErrorCode::kUnsupported, node.label(),
              ": a_zero_point with ", a_zero_count, " elements (per-row) is not supported, only per-tensor");
  expect_per_tensor_or_axis(node, check_zero_point_input(node, 3, input_type(node, 1), "b_zero_point"),
                            dim_or_dynamic(input_shape(node, 1), -1), "b_zero_point", "one per column of B");
  set_output(node, 0, ElementType::kI32,
             matmul_output_shape(node, input_shape(node, 0), input_shape(node, 1)));
}

std::vector<Tensor> evaluate_matmul_integer(const Node& node, const std::vector<const Tensor*>& inputs) {
  const std::vector<int32_t> a_zero = zero_point_values(node, optional_input(inputs, 2), "a_zero_point");
  const std::vector<int32_t> b_zero = zero_point_values(node, optional_input(inputs, 3), "b_zero_point");
  OCTET_CHECK(a_zero.size() == 1, ErrorCode::kUnsupported, node.label(), ": a_zero_point with ",
              a_zero.size(), " elements (per-row) is not supported, only per-tensor");
  return {integer_matmul(node, *inputs[0], *inputs[1], a_zero[0], b_zero)};
}

}  // namespace

void register_integer_ops(OpRegistry& registry) {
  registry.add({"ConvInteger", 2, 4, 1, 1, infer_conv_integer, evaluate_conv_integer});
  registry.add({"MatMulInteger", 2, 4, 1, 1, infer_matmul_integer, evaluate_matmul_integer});
}

}  // namespace octet
