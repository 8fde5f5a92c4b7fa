#include "passes/generic/fold_pad_into_average_pool.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "passes/generic/rewrite_helpers.h"

namespace octet {
namespace {

// The spatial pads [begin..., end...] of a zero constant Pad of rank `rank` that leaves axes 0 and 1 alone.
std::optional<std::vector<int64_t>> spatial_zero_pads(const Node& pad, size_t rank) {
  if (pad.attribute_or<std::string>("mode", "constant") != "constant" || pad.output_count() != 1) return {};
  // pads, constant_value and axes are inputs (opset 11 on; the op registry knows no other form).
  if (!pad.has_input(1) || !pad.input(1)->is_constant() || pad.has_input(3)) return {};
  const std::vector<int64_t> pads = pad.input(1)->constant().to_int64_vector();
  if (pad.has_input(2)) {
    const Value* value = pad.input(2);
    if (!value->is_constant() || value->constant().element_count() != 1 ||
        value->constant().value_as_double(0) != 0.0)
      return {};
  }
  if (pads.size() != 2 * rank || std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p < 0; }))
    return {};
  if (pads[0] != 0 || pads[1] != 0 || pads[rank] != 0 || pads[rank + 1] != 0) return {};
  std::vector<int64_t> spatial;
  for (size_t i = 2; i < rank; ++i) spatial.push_back(pads[i]);
  for (size_t i = 2; i < rank; ++i) spatial.push_back(pads[rank + i]);
  return spatial;
}

// An AveragePool that pads nothing itself and whose window sizes do not depend on rounding.
bool unpadded_average_pool(const Node& pool) {
  if (pool.op_type() != "AveragePool" || pool.output_count() != 1) return false;
  if (pool.attribute_or<std::string>("auto_pad", "NOTSET") != "NOTSET") return false;
  if (pool.attribute_or<int64_t>("ceil_mode", 0) != 0) return false;
  for (int64_t d : pool.attribute_or<std::vector<int64_t>>("dilations", {}))
    if (d != 1) return false;
  for (int64_t p : pool.attribute_or<std::vector<int64_t>>("pads", {}))
    if (p != 0) return false;
  return true;
}

}  // namespace

size_t fold_pad_into_average_pool(Graph& graph, PassContext& context) {
  size_t folded = 0;
  // Visits the poolings (each replaced as it is visited; its Pad came earlier in the order).
  for (Node* pool : graph.topological_order()) {
    if (!unpadded_average_pool(*pool) || !pool->has_input(0)) continue;
    Node* pad = pool->input(0)->producer();
    if (!pad || pad->op_type() != "Pad" || !pad->has_input(0) || sole_consumer(graph, pad->output(0)) != pool)
      continue;
    Value* x = pad->input(0);
    if (!x->shape().rank_known() || x->shape().rank() < 3 || x->type() != ElementType::kF32) continue;
    const std::optional<std::vector<int64_t>> pads = spatial_zero_pads(*pad, x->shape().rank());
    if (!pads) continue;
    Attributes attributes = pool->attributes();
    attributes["pads"] = *pads;
    attributes["count_include_pad"] = int64_t{1};
    const Node* folded_into = replace_node(graph, pool, "AveragePool", {x}, std::move(attributes));
    bypass_node(graph, context, pad, x, folded_into->name());
    ++folded;
  }
  return folded;
}

}  // namespace octet
