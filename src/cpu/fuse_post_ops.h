// fuse_post_ops: finds the activations and residual Adds that can run as post-ops of the node producing their
// input (Conv, ConvTranspose, Gemm, MatMul), as OpenVINO's CPU plugin and oneDNN do:
//   before: y = Conv(x, w, b); z = Add(y, skip); r = Relu(z)
//   after:  one step Conv(x, w, b, sum operand skip) with post-ops [sum, eltwise_relu] writing r
// A chain stops at a value with several uses or that is a graph output. A sum needs an operand of y's type
// and dims computed before the head, and comes before any eltwise (the order oneDNN's jit kernels handle
// best).
// Int8 (QOperator) graphs: the residual QLinearAdd after a QLinearConv becomes a kQuantizedSum post-op (see
// fuse_quantized_sum).
#pragma once

#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "cpu/post_ops.h"
#include "graph/graph.h"

namespace octet::cpu {

struct FusedGroup {
  Node* head = nullptr;
  PostOps post_ops;
  std::vector<Value*> sum_operands;  // runtime inputs the sum post-ops add, in post-op order
  std::vector<Node*> absorbed;
  Value* output = nullptr;  // what the group produces (the last absorbed node's output)
};

// Groups keyed by head; nodes in `absorbed` get no step of their own.
struct FusionResult {
  std::unordered_map<const Node*, FusedGroup> groups;
  std::set<const Node*> absorbed;
};

FusionResult fuse_post_ops(const std::vector<Node*>& order, const Graph& graph);

// The int8 residual: QLinearConv (output a, used only by the add) -> QLinearAdd(a, b) with b computed before
// the conv, of a's dims, and every scale and zero point a constant scalar becomes one group whose single
// post-op is kQuantizedSum. Only the oneDNN int8 convolution accepts it; when it declines (weights that could
// saturate, depthwise layers taken by our own kernel) the plan lowers the two nodes separately again.
std::optional<FusedGroup> fuse_quantized_sum(Node& head, const Graph& graph,
                                             const std::unordered_map<const Node*, size_t>& position);

// False when OCTET_DISABLE_INT8_SUM_FUSION is set (not "0"): for A/B measurements.
bool quantized_sum_fusion_enabled();

// The oneDNN eltwise algorithm (with alpha, beta) a node computes, if it is a single-input activation that
// oneDNN can apply as a post-op or run as an eltwise primitive.
struct EltwiseForm {
  dnnl::algorithm algorithm;
  float alpha = 0;
  float beta = 0;
};
std::optional<EltwiseForm> eltwise_form(const Node& node);

}  // namespace octet::cpu
