#include "tools/model_summary.h"

#include <sstream>

namespace octet::tools {
namespace {

std::string meta(const Graph& graph, const std::string& key) {
  auto it = graph.metadata().find(key);
  return it == graph.metadata().end() ? "" : it->second;
}

nlohmann::ordered_json value_to_json(const Value& value) {
  nlohmann::ordered_json j;
  j["name"] = value.name();
  j["type"] = std::string(to_string(value.type()));
  // Dynamic dims are -1; an unknown rank is null.
  j["shape"] =
      value.shape().rank_known() ? nlohmann::ordered_json(value.shape().dims()) : nlohmann::ordered_json();
  j["shape_text"] = value.shape().to_string();
  return j;
}

}  // namespace

bool is_quantization_op(const std::string& op_type) {
  const auto ends_with = [&](std::string_view suffix) {
    return op_type.size() >= suffix.size() &&
           op_type.compare(op_type.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return op_type == "QuantizeLinear" || op_type == "DequantizeLinear" || op_type == "DynamicQuantizeLinear" ||
         op_type == "FakeQuantize" || op_type.starts_with("QLinear") || ends_with("Integer");
}

ModelSummary summarize(const Graph& graph) {
  ModelSummary s;
  for (const Node* node : graph.nodes()) {
    ++s.op_counts[node->op_type()];
    s.quantized = s.quantized || is_quantization_op(node->op_type());
  }
  for (const Value* c : graph.constants()) s.parameter_count += c->constant().element_count();
  return s;
}

nlohmann::ordered_json summary_to_json(const Graph& graph, const ModelSummary& summary) {
  nlohmann::ordered_json j;
  j["path"] = meta(graph, "path");
  j["format"] = meta(graph, "format");
  j["producer"] = meta(graph, "producer_name");
  j["producer_version"] = meta(graph, "producer_version");
  j["opset"] = meta(graph, "opset").empty() ? nlohmann::ordered_json()
                                            : nlohmann::ordered_json(std::stoll(meta(graph, "opset")));
  j["inputs"] = nlohmann::ordered_json::array();
  for (const Value* v : graph.inputs()) j["inputs"].push_back(value_to_json(*v));
  j["outputs"] = nlohmann::ordered_json::array();
  for (const Value* v : graph.outputs()) j["outputs"].push_back(value_to_json(*v));
  j["node_count"] = graph.node_count();
  j["op_counts"] = summary.op_counts;
  j["parameter_count"] = summary.parameter_count;
  j["quantized"] = summary.quantized;
  j["metadata"] = graph.metadata();
  return j;
}

std::string summary_to_text(const Graph& graph, const ModelSummary& summary) {
  std::ostringstream out;
  out << "model:      " << meta(graph, "path") << "\n";
  out << "format:     " << meta(graph, "format");
  if (!meta(graph, "opset").empty()) out << ", opset " << meta(graph, "opset");
  if (!meta(graph, "ir_version").empty()) out << ", ir_version " << meta(graph, "ir_version");
  out << "\nproducer:   " << meta(graph, "producer_name") << " " << meta(graph, "producer_version") << "\n";
  out << "inputs:\n";
  for (const Value* v : graph.inputs())
    out << "  " << v->name() << ": " << to_string(v->type()) << v->shape().to_string() << "\n";
  out << "outputs:\n";
  for (const Value* v : graph.outputs())
    out << "  " << v->name() << ": " << to_string(v->type()) << v->shape().to_string() << "\n";
  out << "ops:        " << graph.node_count() << " nodes:";
  for (const auto& [op, count] : summary.op_counts) out << " " << op << "=" << count;
  out << "\nparameters: " << summary.parameter_count << "\n";
  out << "quantized:  " << (summary.quantized ? "yes" : "no") << "\n";
  return out.str();
}

}  // namespace octet::tools
