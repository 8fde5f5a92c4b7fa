#include "passes/lpt/qdq_utils.h"

#include <cmath>
#include <limits>

#include "ops/shape_inference.h"
#include "passes/generic/rewrite_helpers.h"

namespace octet::lpt {

int32_t QuantParams::qmin() const {
  switch (type) {
    case ElementType::kU8:
      return 0;
    case ElementType::kI8:
      return -128;
    default:
      return std::numeric_limits<int32_t>::min();
  }
}

int32_t QuantParams::qmax() const {
  switch (type) {
    case ElementType::kU8:
      return 255;
    case ElementType::kI8:
      return 127;
    default:
      return std::numeric_limits<int32_t>::max();
  }
}

bool same_params(const QuantParams& a, const QuantParams& b) {
  if (a.type != b.type || a.scales != b.scales || a.zero_points != b.zero_points) return false;
  return a.per_tensor() || a.axis == b.axis;
}

std::optional<QuantParams> qdq_params(const Node& node) {
  const bool is_q = node.op_type() == "QuantizeLinear";
  if (!is_q && node.op_type() != "DequantizeLinear") return std::nullopt;
  const Value* scale = node.input(1);
  const Value* zero = node.input(2);
  if (!node.has_input(0) || !scale || !scale->is_constant() || (zero && !zero->is_constant()))
    return std::nullopt;
  const Tensor& s = scale->constant();
  if (s.type() != ElementType::kF32 || s.rank() > 1 || s.element_count() == 0) return std::nullopt;
  QuantParams p;
  p.type = zero ? zero->constant().type() : is_q ? ElementType::kU8 : node.input(0)->type();
  if (p.type != ElementType::kU8 && p.type != ElementType::kI8 && p.type != ElementType::kI32)
    return std::nullopt;
  for (float v : s.values<float>()) p.scales.push_back(v);
  if (zero) {
    const Tensor& z = zero->constant();
    if (z.element_count() != s.element_count()) return std::nullopt;
    for (int64_t i = 0; i < z.element_count(); ++i)
      p.zero_points.push_back(static_cast<int32_t>(z.value_as_int64(i)));
  } else {
    p.zero_points.assign(p.scales.size(), 0);
  }
  p.axis = node.attribute_or<int64_t>("axis", 1);
  if (node.has_attribute("block_size") && node.attribute<int64_t>("block_size") != 0) return std::nullopt;
  return p;
}

Node* dequantize_producer(const Value* value) {
  Node* producer = value ? value->producer() : nullptr;
  return producer && producer->op_type() == "DequantizeLinear" ? producer : nullptr;
}

std::optional<QuantParams> activation_dq_params(const Value* value) {
  const Node* dq = dequantize_producer(value);
  if (!dq || dq->input(0)->is_constant()) return std::nullopt;
  std::optional<QuantParams> p = qdq_params(*dq);
  if (!p || !p->per_tensor() || (p->type != ElementType::kU8 && p->type != ElementType::kI8))
    return std::nullopt;
  return p;
}

Value* add_scale_constant(Graph& graph, const std::string& base, const QuantParams& p) {
  Dims dims = p.per_tensor() ? Dims{} : Dims{static_cast<int64_t>(p.scales.size())};
  return graph.add_constant(graph.unique_name(base + "_scale"),
                            Tensor::from_vector<float>(dims, std::span<const float>(p.scales)));
}

Value* add_zero_point_constant(Graph& graph, const std::string& base, const QuantParams& p) {
  Dims dims = p.per_tensor() ? Dims{} : Dims{static_cast<int64_t>(p.zero_points.size())};
  Tensor t(p.type, dims);
  for (size_t i = 0; i < p.zero_points.size(); ++i) {
    const auto at = static_cast<int64_t>(i);
    switch (p.type) {
      case ElementType::kU8:
        t.data<uint8_t>()[at] = static_cast<uint8_t>(p.zero_points[i]);
        break;
      case ElementType::kI8:
        t.data<int8_t>()[at] = static_cast<int8_t>(p.zero_points[i]);
        break;
      default:
        t.data<int32_t>()[at] = p.zero_points[i];
        break;
    }
  }
  return graph.add_constant(graph.unique_name(base + "_zero_point"), std::move(t));
}

namespace {

Value* add_qdq_node(Graph& graph, PassContext& context, const std::string& op_type, Value* x,
                    const QuantParams& p, const std::string& base) {
  Attributes attributes;
  if (!p.per_tensor()) attributes["axis"] = p.axis;
  const std::string name = fresh_node_name(graph, context, base);
  Node* node = graph.add_node(
      op_type, name, {x, add_scale_constant(graph, name, p), add_zero_point_constant(graph, name, p)},
      {graph.unique_name(name + "_out")}, std::move(attributes));
  infer_node(*node);
  return node->output(0);
}

}  // namespace

Value* add_quantize(Graph& graph, PassContext& context, Value* x, const QuantParams& p,
                    const std::string& base) {
  return add_qdq_node(graph, context, "QuantizeLinear", x, p, base);
}

Value* add_dequantize(Graph& graph, PassContext& context, Value* q, const QuantParams& p,
                      const std::string& base) {
  return add_qdq_node(graph, context, "DequantizeLinear", q, p, base);
}

Node* sole_quantize_consumer(Graph& graph, const Value* value) {
  if (value->uses().empty() || graph.is_graph_output(value)) return nullptr;
  Node* first = value->uses()[0].node;
  if (first->op_type() != "QuantizeLinear" || first->input(0) != value) return nullptr;
  const std::optional<QuantParams> p = qdq_params(*first);
  if (!p) return nullptr;
  std::vector<Node*> others;
  for (size_t i = 1; i < value->uses().size(); ++i) {
    Node* q = value->uses()[i].node;
    if (q == first || q->op_type() != "QuantizeLinear" || q->input(0) != value) return nullptr;
    const std::optional<QuantParams> other = qdq_params(*q);
    if (!other || !same_params(*p, *other)) return nullptr;
    others.push_back(q);
  }
  // Identical quantizations of one value are one: their readers can share the first one's output.
  for (Node* q : others) graph.replace_all_uses(q->output(0), first->output(0));
  return first;
}

Node* replace_unit(Graph& graph, PassContext& context, Node* anchor, const std::vector<Node*>& absorbed,
                   Node* quantize, const std::string& op_type, std::vector<Value*> inputs,
                   Attributes attributes) {
  Value* old_output = quantize->output(0);
  const std::string output_name = old_output->name();
  const std::string anchor_name = anchor->name();
  // The node list allows a duplicate name for this short moment: the anchor goes before anyone looks.
  Node* replacement = graph.add_node(op_type, anchor_name, std::move(inputs),
                                     {graph.unique_name(output_name + "_q")}, std::move(attributes));
  Value* new_output = replacement->output(0);
  const bool was_graph_output = graph.is_graph_output(old_output);
  graph.replace_all_uses(old_output, new_output);
  const std::string quantize_name = quantize->name();
  graph.remove_node(quantize);
  context.note_absorbed(quantize_name, anchor_name);
  for (auto it = absorbed.rbegin(); it != absorbed.rend(); ++it) {
    const std::string name = (*it)->name();
    graph.remove_node(*it);
    context.note_absorbed(name, anchor_name);
  }
  graph.remove_node(anchor);
  if (!was_graph_output) graph.rename_value(new_output, output_name);
  infer_node(*replacement);
  return replacement;
}

Tensor every_byte(ElementType type) {
  Tensor bytes(type, {256});
  for (int v = 0; v < 256; ++v) static_cast<uint8_t*>(bytes.raw_data())[v] = static_cast<uint8_t>(v);
  return bytes;
}

std::optional<int32_t> near_integer(double v, double tolerance) {
  if (!std::isfinite(v)) return std::nullopt;
  const double r = std::round(v);
  if (std::abs(v - r) > tolerance || std::abs(r) > 1e9) return std::nullopt;
  return static_cast<int32_t>(r);
}

}  // namespace octet::lpt
