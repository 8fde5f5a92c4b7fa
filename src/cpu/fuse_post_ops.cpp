#include "cpu/fuse_post_ops.h"

#include <limits>
#include <optional>

namespace octet::cpu {
namespace {

bool is_fusion_head(const Node& node) {
  const std::string& type = node.op_type();
  return node.output_count() == 1 &&
         (type == "Conv" || type == "ConvTranspose" || type == "Gemm" || type == "MatMul");
}

// A constant scalar input, or `fallback` when the input is omitted; nullopt if it is not a constant scalar.
std::optional<float> constant_scalar(const Node& node, size_t index, float fallback) {
  const Value* value = node.input(index);
  if (!value) return fallback;
  if (!value->is_constant() || value->constant().element_count() != 1) return std::nullopt;
  return static_cast<float>(value->constant().value_as_double(0));
}

// The node's only consumer, if `value` has exactly one use and is not a graph output.
Node* single_consumer(const Value* value, const Graph& graph) {
  if (value->uses().size() != 1 || graph.is_graph_output(value)) return nullptr;
  return value->uses()[0].node;
}

}  // namespace

std::optional<EltwiseForm> eltwise_form(const Node& node) {
  using alg = dnnl::algorithm;
  const std::string& type = node.op_type();
  if (node.output_count() != 1 || !node.has_input(0) || node.input(0)->type() != ElementType::kF32)
    return std::nullopt;
  if (type == "Relu") return EltwiseForm{alg::eltwise_relu};
  if (type == "LeakyRelu") return EltwiseForm{alg::eltwise_relu, node.attribute_or<float>("alpha", 0.01f)};
  if (type == "Sigmoid") return EltwiseForm{alg::eltwise_logistic};
  if (type == "Tanh") return EltwiseForm{alg::eltwise_tanh};
  if (type == "Elu") return EltwiseForm{alg::eltwise_elu, node.attribute_or<float>("alpha", 1.0f)};
  if (type == "HardSwish") return EltwiseForm{alg::eltwise_hardswish};
  if (type == "Exp") return EltwiseForm{alg::eltwise_exp};
  if (type == "Abs") return EltwiseForm{alg::eltwise_abs};
  if (type == "Clip") {
    const auto low = constant_scalar(node, 1, std::numeric_limits<float>::lowest());
    const auto high = constant_scalar(node, 2, std::numeric_limits<float>::max());
    if (!low || !high) return std::nullopt;
    return EltwiseForm{alg::eltwise_clip, *low, *high};
  }
  return std::nullopt;
}

FusionResult fuse_post_ops(const std::vector<Node*>& order, const Graph& graph) {
  FusionResult result;
  std::unordered_map<const Node*, size_t> position;
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  for (Node* head : order) {
    if (!is_fusion_head(*head) || head->output(0)->type() != ElementType::kF32) continue;
    FusedGroup group;
    group.head = head;
    group.output = head->output(0);
    bool has_eltwise = false;
    while (Node* next = single_consumer(group.output, graph)) {
      if (const auto form = eltwise_form(*next)) {
        group.post_ops.push_back(
            {PostOp::Kind::kEltwise, form->algorithm, form->alpha, form->beta, 0, next->name()});
        has_eltwise = true;
      } else if (next->op_type() == "Add" && !has_eltwise && group.sum_operands.empty()) {
        Value* operand = next->input(0) == group.output ? next->input(1) : next->input(0);
        const bool usable = operand && operand != group.output && !operand->is_constant() &&
                            operand->type() == group.output->type() &&
                            operand->shape() == group.output->shape() &&
                            (!operand->producer() || position.at(operand->producer()) < position.at(head));
        if (!usable) break;
        group.post_ops.push_back({PostOp::Kind::kSum, dnnl::algorithm::undef, 0, 0, 0, next->name()});
        group.sum_operands.push_back(operand);
      } else {
        break;
      }
      group.absorbed.push_back(next);
      result.absorbed.insert(next);
      group.output = next->output(0);
    }
    if (!group.absorbed.empty()) result.groups.emplace(head, std::move(group));
  }
  return result;
}

}  // namespace octet::cpu
