// ONNX Runtime's com.microsoft QLinearAdd and QLinearMul: A, A_scale, A_zero_point?, B, B_scale,
// B_zero_point?, C_scale, C_zero_point?, numpy broadcast, all u8 or all i8, per-tensor parameters.
//
// The arithmetic is dequantize -> float op -> quantize, in float, in the order of MLAS's plain C++ kernel
// (MlasQLinearAddKernelRawHelper): a = A_scale * (A - A_zp), b = B_scale * (B - B_zp) (the differences exact
// in int32, one float multiply each), then C = saturate(round_half_to_even((a op b) / C_scale) + C_zp).
#include <functional>
#include <string>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

constexpr size_t kA = 0, kAScale = 1, kAZero = 2, kB = 3, kBScale = 4, kBZero = 5, kCScale = 6, kCZero = 7;

void infer_qlinear_binary(Node& node) {
  OCTET_CHECK(node.input_count() >= 7, ErrorCode::kInvalidModel, node.label(), ": has ", node.input_count(),
              " inputs, expected 7 or 8");
  for (size_t required : {kA, kAScale, kB, kBScale, kCScale})
    OCTET_CHECK(node.has_input(required), ErrorCode::kInvalidModel, node.label(), ": required input ",
                required, " is missing");
  expect_input_type(node, kA, {ElementType::kU8, ElementType::kI8});
  const ElementType type = input_type(node, kA);
  expect_input_type(node, kB, {type});
  expect_per_tensor(node, check_scale_input(node, kAScale, "A_scale"), "A_scale");
  expect_per_tensor(node, check_scale_input(node, kBScale, "B_scale"), "B_scale");
  expect_per_tensor(node, check_scale_input(node, kCScale, "C_scale"), "C_scale");
  expect_per_tensor(node, check_zero_point_input(node, kAZero, type, "A_zero_point"), "A_zero_point");
  expect_per_tensor(node, check_zero_point_input(node, kBZero, type, "B_zero_point"), "B_zero_point");
  expect_per_tensor(node, check_zero_point_input(node, kCZero, type, "C_zero_point"), "C_zero_point");
  set_output(node, 0, type, broadcast_shapes(node, input_shape(node, kA), input_shape(node, kB)));
}

// One per-tensor (scale, zero point) pair, read and checked.
struct TensorQuantization {
  float scale;
  int32_t zero_point;
};

TensorQuantization read_per_tensor(const Node& node, const std::vector<const Tensor*>& inputs,
                                   size_t scale_index, size_t zero_index, const std::string& name) {
  const std::vector<float> scale = scale_values(node, *inputs[scale_index], name + "_scale");
  const std::vector<int32_t> zero =
      zero_point_values(node, optional_input(inputs, zero_index), name + "_zero_point");
  expect_per_tensor(node, static_cast<int64_t>(scale.size()), name + "_scale");
  expect_per_tensor(node, static_cast<int64_t>(zero.size()), name + "_zero_point");
  return {scale[0], zero[0]};
}

template <typename Op>
std::vector<Tensor> evaluate_qlinear_binary(const Node& node, const std::vector<const Tensor*>& inputs,
                                            Op op) {
  const Tensor& a = *inputs[kA];
  const Tensor& b = *inputs[kB];
  OCTET_CHECK(a.type() == b.type(), ErrorCode::kInvalidModel, node.label(), ": A is ", a.description(),
              " but B is ", b.description());
  const TensorQuantization qa = read_per_tensor(node, inputs, kAScale, kAZero, "A");
  const TensorQuantization qb = read_per_tensor(node, inputs, kBScale, kBZero, "B");
  const TensorQuantization qc = read_per_tensor(node, inputs, kCScale, kCZero, "C");
  const Dims out_dims = broadcast_dims(node, a.dims(), b.dims());
  const std::vector<int64_t> a_map = broadcast_index_map(out_dims, a.dims());
  const std::vector<int64_t> b_map = broadcast_index_map(out_dims, b.dims());
  Tensor c(a.type(), out_dims);
  auto run = [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    const T* in_a = a.data<T>();
    const T* in_b = b.data<T>();
    for (size_t i = 0; i < a_map.size(); ++i) {
      const float va = dequantize_value(in_a[a_map[i]], qa.scale, qa.zero_point);
      const float vb = dequantize_value(in_b[b_map[i]], qb.scale, qb.zero_point);
      out[i] = quantize_value<T>(op(va, vb), qc.scale, qc.zero_point);
    }
  };
  if (a.type() == ElementType::kU8) {
    run(c.data<uint8_t>());
  } else {
    run(c.data<int8_t>());
  }
  return {c};
}

}  // namespace

void register_qlinear_binary_ops(OpRegistry& registry) {
  registry.add({"QLinearAdd", 1, 8, 1, 1, infer_qlinear_binary,
                [](const Node& node, const std::vector<const Tensor*>& inputs) {
                  return evaluate_qlinear_binary(node, inputs, std::plus<float>());
                }});
  registry.add({"QLinearMul", 1, 8, 1, 1, infer_qlinear_binary,
                [](const Node& node, const std::vector<const Tensor*>& inputs) {
                  return evaluate_qlinear_binary(node, inputs, std::multiplies<float>());
                }});
}

}  // namespace octet
