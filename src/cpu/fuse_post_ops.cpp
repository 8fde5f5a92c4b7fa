#include "cpu/fuse_post_ops.h"

#include <cmath>
#include <cstdlib>
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

// A constant scalar scale / zero point input of a QOperator node (an omitted zero point is 0).
std::optional<float> scalar_scale(const Node& node, size_t index) {
  const Value* value = node.input(index);
  if (!value || !value->is_constant() || value->type() != ElementType::kF32 ||
      value->constant().element_count() != 1)
    return std::nullopt;
  const float scale = value->constant().data<float>()[0];
  if (!(scale > 0.0f) || !std::isfinite(scale)) return std::nullopt;
  return scale;
}
std::optional<int32_t> scalar_zero_point(const Node& node, size_t index) {
  const Value* value = node.input(index);
  if (!value) return 0;
  if (!value->is_constant() || value->constant().element_count() != 1) return std::nullopt;
  return static_cast<int32_t>(value->constant().value_as_int64(0));
}

bool is_8bit_type(ElementType type) {
  return type == ElementType::kU8 || type == ElementType::kI8;
}

}  // namespace

bool quantized_sum_fusion_enabled() {
  const char* flag = std::getenv("OCTET_DISABLE_INT8_SUM_FUSION");
  return !(flag && *flag && std::string(flag) != "0");
}

std::optional<FusedGroup> fuse_quantized_sum(Node& head, const Graph& graph,
                                             const std::unordered_map<const Node*, size_t>& position) {
  // QLinearConv: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B. QLinearAdd: A, A_scale, A_zp, B,
  // B_scale, B_zp, C_scale, C_zp.
  if (head.op_type() != "QLinearConv" || head.output_count() != 1) return std::nullopt;
  Value* a = head.output(0);
  Node* add = single_consumer(a, graph);
  if (!add || add->op_type() != "QLinearAdd" || add->output_count() != 1 || add->input_count() < 7)
    return std::nullopt;
  const bool a_first = add->input(0) == a;
  if (a_first == (add->input(3) == a)) return std::nullopt;  // a on neither side, or on both (a + a)
  const size_t a_side = a_first ? 0 : 3, b_side = a_first ? 3 : 0;
  Value* b = add->input(b_side);
  Value* c = add->output(0);
  const bool usable_b = b && !b->is_constant() && is_8bit_type(b->type()) && b->shape().is_static() &&
                        a->shape().is_static() && b->shape() == a->shape() &&
                        (!b->producer() || position.at(b->producer()) < position.at(&head));
  if (!usable_b || !is_8bit_type(a->type()) || !is_8bit_type(c->type())) return std::nullopt;
  const auto conv_scale = scalar_scale(head, 6);
  const auto conv_zero = scalar_zero_point(head, 7);
  const auto a_scale = scalar_scale(*add, a_side + 1), b_scale = scalar_scale(*add, b_side + 1);
  const auto c_scale = scalar_scale(*add, 6);
  const auto a_zero = scalar_zero_point(*add, a_side + 2), b_zero = scalar_zero_point(*add, b_side + 2);
  const auto c_zero = scalar_zero_point(*add, 7);
  if (!conv_scale || !conv_zero || !a_scale || !b_scale || !c_scale || !a_zero || !b_zero || !c_zero)
    return std::nullopt;
  // The add must dequantize a with the parameters the conv quantized it with (always so after the lpt
  // passes); otherwise the intermediate would need a requantization of its own.
  if (*a_scale != *conv_scale || *a_zero != *conv_zero) return std::nullopt;
  const QuantizedSumParams params{*a_scale, *a_zero, *b_scale, *b_zero, *c_scale, *c_zero};
  FusedGroup group;
  group.head = &head;
  group.post_ops.push_back(
      {PostOp::Kind::kQuantizedSum, dnnl::algorithm::undef, 0, 0, 0, add->name(), params});
  group.sum_operands.push_back(b);
  group.absorbed.push_back(add);
  group.output = c;
  return group;
}

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
  const bool fuse_quantized = quantized_sum_fusion_enabled();
  for (Node* head : order) {
    if (fuse_quantized) {
      if (auto group = fuse_quantized_sum(*head, graph, position)) {
        result.absorbed.insert(group->absorbed.begin(), group->absorbed.end());
        result.groups.emplace(head, std::move(*group));
        continue;
      }
    }
    if (!is_fusion_head(*head) || head->output(0)->type() != ElementType::kF32) continue;
    FusedGroup group;
    group.head = head;
    group.output = head->output(0);
    bool has_eltwise = false;
    while (Node* next = single_consumer(group.output, graph)) {
      if (const auto form = eltwise_form(*next)) {
        group.post_ops.push_back(
            {PostOp::Kind::kEltwise, form->algorithm, form->alpha, form->beta, 0, next->name(), {}});
        has_eltwise = true;
      } else if (next->op_type() == "Add" && !has_eltwise && group.sum_operands.empty()) {
        Value* operand = next->input(0) == group.output ? next->input(1) : next->input(0);
        const bool usable = operand && operand != group.output && !operand->is_constant() &&
                            operand->type() == group.output->type() &&
                            operand->shape() == group.output->shape() &&
                            (!operand->producer() || position.at(operand->producer()) < position.at(head));
        if (!usable) break;
        group.post_ops.push_back({PostOp::Kind::kSum, dnnl::algorithm::undef, 0, 0, 0, next->name(), {}});
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
