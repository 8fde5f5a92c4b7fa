// MatMul (numpy batched matrix product) and Gemm (alpha * A' * B' + beta * C) in float.
#include <span>

#include "ops/convolution_kernel.h"
#include "ops/op_families.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {

namespace {

void infer_matmul(Node& node) {
  expect_input_type(node, 0, {ElementType::kF32});
  expect_input_type(node, 1, {ElementType::kF32});
  set_output(node, 0, ElementType::kF32,
             matmul_output_shape(node, input_shape(node, 0), input_shape(node, 1)));
}

std::vector<Tensor> evaluate_matmul(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& a = *inputs[0];
  const Tensor& b = *inputs[1];
  OCTET_CHECK(a.type() == ElementType::kF32 && b.type() == ElementType::kF32, ErrorCode::kUnsupported,
              node.label(), ": only f32 inputs are supported, got ", a.description(), " and ",
              b.description());
  Tensor y(ElementType::kF32, matmul_output_dims(node, a.dims(), b.dims()));
  matmul_reference<float, float, float>(a.dims(), a.data<float>(), b.dims(), b.data<float>(), y.data<float>(),
                                        0.0f, std::span<const float>());
  return {y};
}

// Gemm's A and B are 2-d; transA / transB swap their axes. Returns {M, K} of op(A) or {K, N} of op(B).
Dims gemm_operand_dims(const Node& node, const Dims& dims, const char* trans_attribute) {
  OCTET_CHECK(dims.size() == 2, ErrorCode::kInvalidModel, node.label(), ": Gemm operands must be 2-d, got ",
              to_string(dims));
  return node.attribute_or<int64_t>(trans_attribute, 0) != 0 ? Dims{dims[1], dims[0]} : dims;
}

void infer_gemm(Node& node) {
  for (size_t i = 0; i < 3; ++i)
    if (node.has_input(i)) expect_input_type(node, i, {ElementType::kF32});
  const Shape& a = input_shape(node, 0);
  const Shape& b = input_shape(node, 1);
  if (!a.rank_known() || !b.rank_known()) {
    set_output(node, 0, ElementType::kF32, Shape::dynamic(2));
    return;
  }
  const Dims op_a = gemm_operand_dims(node, a.dims(), "transA");
  const Dims op_b = gemm_operand_dims(node, b.dims(), "transB");
  OCTET_CHECK(op_a[1] == op_b[0] || op_a[1] == kDynamicDim || op_b[0] == kDynamicDim,
              ErrorCode::kInvalidModel, node.label(), ": inner dimensions of A ", a.to_string(), " and B ",
              b.to_string(), " do not match (transA=", node.attribute_or<int64_t>("transA", 0),
              ", transB=", node.attribute_or<int64_t>("transB", 0), ")");
  const Shape y({op_a[0], op_b[1]});
  if (node.has_input(2)) {
    // C broadcasts to Y only in one direction: the result must be Y's shape itself.
    const Shape& c = input_shape(node, 2);
    OCTET_CHECK(!c.rank_known() || c.rank() <= 2, ErrorCode::kInvalidModel, node.label(), ": C of shape ",
                c.to_string(), " cannot broadcast to ", y.to_string());
    if (c.rank_known()) {
      const Shape both = broadcast_shapes(node, y, c);
      for (size_t i = 0; i < 2; ++i)
        OCTET_CHECK(y[i] == kDynamicDim || both[i] == y[i], ErrorCode::kInvalidModel, node.label(),
                    ": C of shape ", c.to_string(), " cannot broadcast to ", y.to_string());
    }
  }
  set_output(node, 0, ElementType::kF32, y);
}

std::vector<Tensor> evaluate_gemm(const Node& node, const std::vector<const Tensor*>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i)
    OCTET_CHECK(!inputs[i] || inputs[i]->type() == ElementType::kF32, ErrorCode::kUnsupported, node.label(),
                ": only f32 inputs are supported, input ", i, " is ", inputs[i]->description());
  const Tensor& a = *inputs[0];
  const Tensor& b = *inputs[1];
  const Dims op_a = gemm_operand_dims(node, a.dims(), "transA");
  const Dims op_b = gemm_operand_dims(node, b.dims(), "transB");
  OCTET_CHECK(op_a[1] == op_b[0], ErrorCode::kInvalidModel, node.label(), ": inner dimensions of A ",
              a.description(), " and B ", b.description(), " do not match");
  const bool trans_a = node.attribute_or<int64_t>("transA", 0) != 0;
  const bool trans_b = node.attribute_or<int64_t>("transB", 0) != 0;
  const float alpha = node.attribute_or<float>("alpha", 1.0f);
  const float beta = node.attribute_or<float>("beta", 1.0f);
  const int64_t m_size = op_a[0], k_size = op_a[1], n_size = op_b[1];
  Tensor y(ElementType::kF32, {m_size, n_size});
  const Tensor* c = inputs.size() > 2 ? inputs[2] : nullptr;
  std::vector<int64_t> c_index;
  if (c) {
    const Dims both = broadcast_dims(node, y.dims(), c->dims());
    OCTET_CHECK(c->rank() <= 2 && both == y.dims(), ErrorCode::kInvalidModel, node.label(), ": C ",
                c->description(), " cannot broadcast to ", y.description());
    c_index = broadcast_index_map(y.dims(), c->dims());
  }
  const float* pa = a.data<float>();
  const float* pb = b.data<float>();
  float* py = y.data<float>();
  for (int64_t i = 0; i < m_size; ++i) {
    for (int64_t j = 0; j < n_size; ++j) {
      float acc = 0.0f;
      for (int64_t k = 0; k < k_size; ++k) {
        const float av = trans_a ? pa[k * m_size + i] : pa[i * k_size + k];
        const float bv = trans_b ? pb[j * k_size + k] : pb[k * n_size + j];
        acc += av * bv;
      }
      const int64_t flat = i * n_size + j;
      py[flat] = alpha * acc + (c ? beta * c->data<float>()[c_index[static_cast<size_t>(flat)]] : 0.0f);
    }
  }
  return {y};
}

}  // namespace

void register_matmul_ops(OpRegistry& registry) {
  registry.add({.type = "MatMul",
                .min_inputs = 2,
                .max_inputs = 2,
                .infer = infer_matmul,
                .evaluate = evaluate_matmul});
  registry.add(
      {.type = "Gemm", .min_inputs = 2, .max_inputs = 3, .infer = infer_gemm, .evaluate = evaluate_gemm});
}

}  // namespace octet
