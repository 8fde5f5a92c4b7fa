#include <algorithm>

#include "ops/elementwise_common.h"
#include "ops/op_families.h"
#include "ops/op_registry.h"

namespace octet {

void register_elementwise_ops(OpRegistry& registry) {
  register_elementwise_unary_ops(registry);
  register_elementwise_binary_ops(registry);
  register_elementwise_variadic_ops(registry);
  register_elementwise_select_ops(registry);
  register_cast_op(registry);
}

ElementType expect_same_input_types(const Node& node) {
  const ElementType type = input_type(node, 0);
  for (size_t i = 1; i < node.input_count(); ++i) {
    if (!node.has_input(i)) continue;
    OCTET_CHECK(node.input(i)->type() == type, ErrorCode::kInvalidModel, node.label(), ": input ", i, " ('",
                node.input(i)->name(), "') has type ", to_string(node.input(i)->type()), ", input 0 has ",
                to_string(type));
  }
  return type;
}

bool evaluate_f16_through_f32(const Node& node, const std::vector<const Tensor*>& inputs,
                              const EvaluateFunction& evaluate, std::vector<Tensor>& outputs) {
  const bool any_f16 = std::any_of(inputs.begin(), inputs.end(),
                                   [](const Tensor* t) { return t && t->type() == ElementType::kF16; });
  if (!any_f16) return false;
  std::vector<Tensor> converted(inputs.size());
  std::vector<const Tensor*> args(inputs.size(), nullptr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i]) continue;
    converted[i] =
        inputs[i]->type() == ElementType::kF16 ? convert_tensor(*inputs[i], ElementType::kF32) : *inputs[i];
    args[i] = &converted[i];
  }
  outputs = evaluate(node, args);
  if (inputs[0] && inputs[0]->type() == ElementType::kF16) {
    for (Tensor& out : outputs)
      if (out.type() == ElementType::kF32) out = convert_tensor(out, ElementType::kF16);
  }
  return true;
}

EvaluateFunction with_f16_through_f32(EvaluateFunction evaluate) {
  return [evaluate](const Node& node, const std::vector<const Tensor*>& inputs) {
    std::vector<Tensor> outputs;
    if (evaluate_f16_through_f32(node, inputs, evaluate, outputs)) return outputs;
    return evaluate(node, inputs);
  };
}

InferFunction infer_like_input(std::span<const ElementType> allowed) {
  return [allowed](Node& node) {
    expect_input_type(node, 0, allowed);
    set_output(node, 0, input_type(node, 0), input_shape(node, 0));
  };
}

}  // namespace octet
