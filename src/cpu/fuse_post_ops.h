// fuse_post_ops: finds the activations and residual Adds that can run as post-ops of the node producing their
// input (Conv, ConvTranspose, Gemm, MatMul), as OpenVINO's CPU plugin and oneDNN do:
//   before: y = Conv(x, w, b); z = Add(y, skip); r = Relu(z)
//   after:  one step Conv(x, w, b, sum operand skip) with post-ops [sum, eltwise_relu] writing r
// A chain stops at a value with several uses or that is a graph output. A sum needs an operand of y's type
// and dims computed before the head, and comes before any eltwise (the order oneDNN's jit kernels handle
// best).
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

// The oneDNN eltwise algorithm (with alpha, beta) a node computes, if it is a single-input activation that
// oneDNN can apply as a post-op or run as an eltwise primitive.
struct EltwiseForm {
  dnnl::algorithm algorithm;
  float alpha = 0;
  float beta = 0;
};
std::optional<EltwiseForm> eltwise_form(const Node& node);

}  // namespace octet::cpu
