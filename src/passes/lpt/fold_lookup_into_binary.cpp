#include "passes/lpt/fold_lookup_into_binary.h"

#include <cstdint>
#include <string>
#include <vector>

#include "ops/op_registry.h"
#include "passes/generic/rewrite_helpers.h"
#include "passes/lpt/qdq_utils.h"

namespace octet {
namespace {

// QLinearAdd / QLinearMul: A, A_scale, A_zero_point?, B, B_scale, B_zero_point?, C_scale, C_zero_point?.
constexpr size_t kA = 0, kB = 3;

bool parameters_are_constant(const Node& binary) {
  for (size_t i = 0; i < binary.input_count(); ++i) {
    if (i == kA || i == kB) continue;
    const Value* in = binary.input(i);
    if (in && !in->is_constant()) return false;
  }
  return true;
}

// The QLinearLookup of `x` that only `binary` reads, on input `side` of `binary`, or nullptr.
Node* lookup_of(const Graph& graph, const Node& binary, size_t side, const Value* x) {
  const Value* looked_up = binary.input(side);
  Node* lookup = looked_up ? looked_up->producer() : nullptr;
  if (!lookup || lookup->op_type() != "QLinearLookup" || lookup->input(0) != x || !lookup->input(1) ||
      !lookup->input(1)->is_constant() || graph.is_graph_output(looked_up))
    return nullptr;
  for (const auto& use : looked_up->uses()) {
    if (use.node != &binary) return nullptr;
  }
  return lookup;
}

}  // namespace

size_t fold_lookup_into_binary(Graph& graph, PassContext& context) {
  // The binary nodes first: the loop replaces nodes that a walk over every node would visit later.
  std::vector<Node*> binaries;
  for (Node* node : graph.topological_order()) {
    if ((node->op_type() == "QLinearMul" || node->op_type() == "QLinearAdd") && node->input_count() >= 7 &&
        node->output_count() == 1 && parameters_are_constant(*node))
      binaries.push_back(node);
  }
  size_t folded = 0;
  for (Node* binary : binaries) {
    for (const size_t side : {kB, kA}) {
      const size_t other = side == kB ? kA : kB;
      Value* x = binary->input(other);
      Node* lookup = x ? lookup_of(graph, *binary, side, x) : nullptr;
      if (!lookup || (x->type() != ElementType::kU8 && x->type() != ElementType::kI8)) continue;
      // x's 256 stored bytes, and the lookup's entry for each (its table is indexed by the stored byte).
      const Tensor bytes = lpt::every_byte(x->type());
      std::vector<const Tensor*> args(binary->input_count(), nullptr);
      for (size_t i = 0; i < binary->input_count(); ++i) {
        if (i != kA && i != kB && binary->input(i)) args[i] = &binary->input(i)->constant();
      }
      args[other] = &bytes;
      args[side] = &lookup->input(1)->constant();
      std::vector<Tensor> table = with_node_context(
          *binary, [&] { return OpRegistry::instance().get(*binary).evaluate(*binary, args); });
      const std::string lookup_name = lookup->name();
      Value* table_value =
          graph.add_constant(graph.unique_name(binary->name() + "/table"), std::move(table.at(0)));
      Node* replacement = replace_node(graph, binary, "QLinearLookup", {x, table_value}, {});
      graph.remove_node(lookup);
      context.note_absorbed(lookup_name, replacement->name());
      ++folded;
      break;
    }
  }
  if (folded > 0) graph.remove_unused();
  return folded;
}

}  // namespace octet
