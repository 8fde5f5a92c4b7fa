#include "passes/lpt/compressed_weights_to_dequantize.h"

#include <optional>
#include <string>
#include <vector>

#include "ops/op_helpers.h"
#include "ops/shape_inference.h"
#include "passes/generic/rewrite_helpers.h"
#include "passes/lpt/qdq_utils.h"

namespace octet {
namespace {

// The values of a constant broadcast against a tensor of `dims`, as one value (per tensor) or one per index
// along the single axis it varies on; `axis` is -1 for per tensor. nullopt for other shapes.
std::optional<std::vector<float>> along_one_axis(const Tensor& constant, const Dims& dims, int64_t& axis) {
  if (constant.rank() > dims.size()) return std::nullopt;
  const Tensor f = convert_tensor(constant, ElementType::kF32);
  std::vector<float> values(f.values<float>().begin(), f.values<float>().end());
  axis = -1;
  if (values.size() == 1) return values;
  const size_t offset = dims.size() - constant.rank();
  for (size_t d = 0; d < constant.rank(); ++d) {
    if (constant.dims()[d] == 1) continue;
    if (axis >= 0 || constant.dims()[d] != dims[offset + d]) return std::nullopt;
    axis = static_cast<int64_t>(offset + d);
  }
  return values;
}

}  // namespace

size_t compressed_weights_to_dequantize(Graph& graph, PassContext& context) {
  size_t rewritten = 0;
  // Collected first: a rewrite removes the Sub and Mul that come later in the order.
  std::vector<Node*> casts;
  for (Node* node : graph.topological_order())
    if (node->op_type() == "Cast") casts.push_back(node);
  for (Node* cast : casts) {
    if (!cast->has_input(0) || !cast->input(0)->is_constant()) continue;
    const Tensor& q = cast->input(0)->constant();
    if ((q.type() != ElementType::kI8 && q.type() != ElementType::kU8) ||
        cast->attribute_or<std::string>("to", "") != "f32")
      continue;
    Node* sub = sole_consumer(graph, cast->output(0));
    Node* mul = sub;
    const Tensor* zp = nullptr;
    if (sub && sub->op_type() == "Sub" && sub->input(0) == cast->output(0) && sub->input(1)->is_constant()) {
      zp = &sub->input(1)->constant();
      mul = sole_consumer(graph, sub->output(0));
    } else {
      sub = nullptr;
    }
    const Value* data = sub ? sub->output(0) : cast->output(0);
    if (!mul || mul->op_type() != "Mul" || mul->input_count() != 2) continue;
    const Value* scale_value = mul->input(0) == data ? mul->input(1) : mul->input(0);
    if (!scale_value->is_constant()) continue;
    int64_t scale_axis = -1, zp_axis = -1;
    const auto scales = along_one_axis(scale_value->constant(), q.dims(), scale_axis);
    std::optional<std::vector<float>> zeros = std::vector<float>{0.0f};
    if (zp) zeros = along_one_axis(*zp, q.dims(), zp_axis);
    if (!scales || !zeros) continue;
    if (scale_axis >= 0 && zp_axis >= 0 && scale_axis != zp_axis) continue;
    const int64_t axis = scale_axis >= 0 ? scale_axis : zp_axis;
    const size_t count = axis < 0 ? 1 : static_cast<size_t>(q.dims()[static_cast<size_t>(axis)]);
    lpt::QuantParams p;
    p.type = q.type();
    p.axis = axis < 0 ? 1 : axis;
    bool ok = true;
    for (size_t i = 0; i < count && ok; ++i) {
      const float s = scales->size() == 1 ? (*scales)[0] : (*scales)[i];
      const std::optional<int32_t> z = lpt::near_integer((*zeros)[zeros->size() == 1 ? 0 : i]);
      ok = s > 0.0f && z && *z >= p.qmin() && *z <= p.qmax();
      if (ok) {
        p.scales.push_back(s);
        p.zero_points.push_back(*z);
      }
    }
    if (!ok) continue;
    Value* old_output = mul->output(0);
    const std::string output_name = old_output->name();
    const bool was_graph_output = graph.is_graph_output(old_output);
    const std::string name = mul->name();
    Attributes attributes;
    if (!p.per_tensor()) attributes["axis"] = p.axis;
    Node* dq = graph.add_node("DequantizeLinear", name,
                              {cast->input(0), lpt::add_scale_constant(graph, name, p),
                               lpt::add_zero_point_constant(graph, name, p)},
                              {graph.unique_name(output_name + "_dq")}, std::move(attributes));
    infer_node(*dq);
    graph.replace_all_uses(old_output, dq->output(0));
    graph.remove_node(mul);
    for (Node* gone : {sub, cast}) {
      if (!gone) continue;
      const std::string gone_name = gone->name();
      graph.remove_node(gone);
      context.note_absorbed(gone_name, name);
    }
    if (!was_graph_output) graph.rename_value(dq->output(0), output_name);
    ++rewritten;
  }
  return rewritten;
}

}  // namespace octet
