#include "reference/reference_executor.h"

#include <unordered_map>

#include "octet/error.h"
#include "ops/op_registry.h"

namespace octet {

void check_input_tensor(const Value& input, const Tensor& tensor) {
  OCTET_CHECK(tensor.type() == input.type(), ErrorCode::kInvalidArgument, "input '", input.name(),
              "' has type ", to_string(tensor.type()), ", the model expects ", to_string(input.type()));
  OCTET_CHECK(input.shape().accepts(tensor.dims()), ErrorCode::kInvalidArgument, "input '", input.name(),
              "' has shape ", to_string(tensor.dims()), ", the model expects ", input.shape().to_string());
}

ReferenceExecutor::ReferenceExecutor(const Graph& graph) : graph_(graph), order_(graph.topological_order()) {}

TensorMap ReferenceExecutor::run(const TensorMap& inputs) const {
  TensorMap all = run_all(inputs);
  TensorMap outputs;
  for (const Value* out : graph_.outputs()) outputs[out->name()] = all.at(out->name());
  return outputs;
}

TensorMap ReferenceExecutor::run_all(const TensorMap& inputs) const {
  const OpRegistry& registry = OpRegistry::instance();
  std::unordered_map<const Value*, Tensor> values;
  for (const Value* input : graph_.inputs()) {
    auto it = inputs.find(input->name());
    OCTET_CHECK(it != inputs.end(), ErrorCode::kInvalidArgument, "no tensor given for model input '",
                input->name(), "'");
    check_input_tensor(*input, it->second);
    values[input] = it->second;
  }
  for (const auto& [name, tensor] : inputs) {
    const Value* v = graph_.find_value(name);
    OCTET_CHECK(v && v->is_graph_input(), ErrorCode::kInvalidArgument, "the model has no input named '", name,
                "'");
  }
  for (const Node* node : order_) {
    std::vector<const Tensor*> args;
    args.reserve(node->input_count());
    for (const Value* in : node->inputs()) {
      if (!in) {
        args.push_back(nullptr);
      } else if (in->is_constant()) {
        args.push_back(&in->constant());
      } else {
        auto it = values.find(in);
        OCTET_ASSERT(it != values.end());
        args.push_back(&it->second);
      }
    }
    std::vector<Tensor> results =
        with_node_context(*node, [&] { return registry.get(*node).evaluate(*node, args); });
    OCTET_CHECK(results.size() == node->output_count(), ErrorCode::kInternal, node->label(), ": produced ",
                results.size(), " outputs, expected ", node->output_count());
    for (size_t i = 0; i < results.size(); ++i) values[node->output(i)] = std::move(results[i]);
  }
  TensorMap all;
  for (auto& [value, tensor] : values) all[value->name()] = tensor;
  for (const Value* out : graph_.outputs())
    if (out->is_constant()) all[out->name()] = out->constant();
  return all;
}

}  // namespace octet
