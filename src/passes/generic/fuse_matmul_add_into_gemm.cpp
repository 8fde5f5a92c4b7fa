#include "passes/generic/fuse_matmul_add_into_gemm.h"

#include "passes/generic/rewrite_helpers.h"

namespace octet {
namespace {

// MatMul(x 2-d, constant f32 w 2-d).
bool is_2d_matmul_by_constant(const Node& node) {
  if (node.op_type() != "MatMul" || node.input_count() != 2 || !node.has_input(0)) return false;
  const Shape& x = node.input(0)->shape();
  const Tensor* w = f32_constant(node.input(1));
  return x.rank_known() && x.rank() == 2 && w && w->rank() == 2;
}

// A bias that Gemm's C accepts without changing the output: [N], [1, N] or a single value of rank <= 2.
bool is_row_bias(const Tensor& bias, int64_t n) {
  if (bias.rank() > 2) return false;
  if (bias.element_count() == 1) return true;
  return bias.dims().back() == n && bias.element_count() == n;
}

}  // namespace

size_t fuse_matmul_add_into_gemm(Graph& graph, PassContext& context) {
  size_t fused = 0;
  for (Node* add : graph.topological_order()) {
    if (add->op_type() != "Add" || add->input_count() != 2) continue;
    for (size_t data_index = 0; data_index < 2; ++data_index) {
      Value* product = add->input(data_index);
      Node* matmul = product ? product->producer() : nullptr;
      if (!matmul || !is_2d_matmul_by_constant(*matmul) || sole_consumer(graph, product) != add) continue;
      Value* bias = add->input(1 - data_index);
      const Tensor* b = f32_constant(bias);
      if (!b || !is_row_bias(*b, matmul->input(1)->constant().dims()[1])) continue;
      Node* gemm = replace_node(graph, matmul, "Gemm", {matmul->input(0), matmul->input(1), bias});
      bypass_node(graph, context, add, gemm->output(0), gemm->name());
      ++fused;
      break;
    }
  }
  return fused;
}

}  // namespace octet
