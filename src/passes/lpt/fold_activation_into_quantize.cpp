#include "passes/lpt/fold_activation_into_quantize.h"

#include <cmath>
#include <limits>
#include <optional>

#include "ops/quantization_math.h"
#include "passes/lpt/qdq_utils.h"

namespace octet {
namespace {

struct Bounds {
  float low = -std::numeric_limits<float>::infinity();
  float high = std::numeric_limits<float>::infinity();
};

std::optional<Bounds> activation_bounds(const Node& node) {
  if (node.op_type() == "Relu" && node.input_count() == 1) return Bounds{0.0f};
  if (node.op_type() != "Clip") return std::nullopt;
  Bounds b;
  for (size_t i = 1; i <= 2; ++i) {
    if (!node.has_input(i)) continue;
    const std::optional<float> v = scalar_constant(node.input(i));
    if (!v) return std::nullopt;
    (i == 1 ? b.low : b.high) = *v;
  }
  return b;
}

// The bound quantized without saturation (infinite bounds stay infinite).
double quantized_unsaturated(float bound, float scale, int32_t zero_point) {
  if (std::isinf(bound)) return bound;
  return static_cast<double>(round_half_to_even(bound / scale)) + zero_point;
}

bool saturation_implies_clip(const Node& q, const Bounds& b) {
  const std::optional<lpt::QuantParams> p = lpt::qdq_params(q);
  if (!p || !p->per_tensor() || q.input_count() < 2) return false;
  return quantized_unsaturated(b.low, p->scales[0], p->zero_points[0]) <= p->qmin() &&
         quantized_unsaturated(b.high, p->scales[0], p->zero_points[0]) >= p->qmax();
}

}  // namespace

size_t fold_activation_into_quantize(Graph& graph, PassContext& context) {
  size_t folded = 0;
  for (Node* act : graph.topological_order()) {
    const std::optional<Bounds> bounds = activation_bounds(*act);
    if (!bounds || !act->has_input(0) || act->input(0)->type() != ElementType::kF32) continue;
    Value* out = act->output(0);
    if (out->uses().empty() || graph.is_graph_output(out)) continue;
    bool all = true;
    for (const Use& use : out->uses())
      all = all && use.node->op_type() == "QuantizeLinear" && use.input_index == 0 &&
            saturation_implies_clip(*use.node, *bounds);
    if (!all) continue;
    const std::string name = act->name();
    const std::string into = out->uses()[0].node->name();
    graph.replace_all_uses(out, act->input(0));
    graph.remove_node(act);
    context.note_absorbed(name, into);
    ++folded;
  }
  return folded;
}

}  // namespace octet
