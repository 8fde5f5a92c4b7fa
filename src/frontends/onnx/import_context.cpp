#include "frontends/onnx/import_context.h"

#include "octet/error.h"
#include "ops/shape_inference.h"

namespace octet::onnx_frontend {

void OnnxNode::set_input(size_t i, Value* value) {
  if (inputs.size() <= i) inputs.resize(i + 1, nullptr);
  inputs[i] = value;
}

ImportContext::ImportContext(Graph& graph, int64_t opset, std::unordered_set<std::string> reserved_names,
                             std::unordered_set<std::string> consumed_names)
    : graph_(graph),
      opset_(opset),
      reserved_names_(std::move(reserved_names)),
      consumed_names_(std::move(consumed_names)) {}

Node* ImportContext::emit(OnnxNode node) {
  while (!node.inputs.empty() && node.inputs.back() == nullptr) node.inputs.pop_back();
  while (!node.outputs.empty() && node.outputs.back().empty()) node.outputs.pop_back();
  // A node whose every output is omitted computes nothing anyone can see (legal ONNX, if pointless).
  if (node.outputs.empty()) return nullptr;
  for (size_t i = 0; i < node.outputs.size(); ++i)
    if (node.outputs[i].empty()) node.outputs[i] = fresh_value_name(str_cat(node.name, "_unused_output_", i));
  Node* added = graph_.add_node(node.op_type, node.name, std::move(node.inputs), node.outputs,
                                std::move(node.attributes));
  emitted_.push_back(added);
  return added;
}

Value* ImportContext::emit_helper(const std::string& op_type, const std::string& base_name,
                                  std::vector<Value*> inputs, Attributes attributes) {
  OnnxNode node;
  node.op_type = op_type;
  node.name = fresh_node_name(base_name);
  node.inputs = std::move(inputs);
  node.outputs = {fresh_value_name(base_name)};
  node.attributes = std::move(attributes);
  return emit(std::move(node))->output(0);
}

Value* ImportContext::add_constant(const std::string& base_name, Tensor value) {
  return graph_.add_constant(fresh_value_name(base_name), std::move(value));
}

std::string ImportContext::fresh_value_name(std::string_view base) {
  std::string name(base);
  while (reserved_names_.contains(name) || graph_.find_value(name) != nullptr)
    name = str_cat(base, "_", ++name_counter_);
  reserved_names_.insert(name);
  return name;
}

std::string ImportContext::fresh_node_name(std::string_view base) {
  std::string name(base);
  while (node_names_.contains(name)) name = str_cat(base, "_", ++name_counter_);
  node_names_.insert(name);
  return name;
}

std::string ImportContext::claim_node_name(std::string_view name) {
  return fresh_node_name(name);
}

void ImportContext::infer_pending() {
  while (!inference_stuck_ && inferred_count_ < emitted_.size()) {
    try {
      infer_node(*emitted_[inferred_count_]);
      ++inferred_count_;
    } catch (const Error&) {
      // Some inference needs constants that only folding provides; the final infer_shapes() decides.
      inference_stuck_ = true;
    }
  }
}

std::optional<ElementType> ImportContext::try_element_type(Value* value) {
  if (value->type() == ElementType::kUndefined) infer_pending();
  if (value->type() == ElementType::kUndefined) return std::nullopt;
  return value->type();
}

std::optional<size_t> ImportContext::try_rank(Value* value) {
  if (!value->shape().rank_known()) infer_pending();
  if (!value->shape().rank_known()) return std::nullopt;
  return value->shape().rank();
}

}  // namespace octet::onnx_frontend
