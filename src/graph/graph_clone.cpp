#include "graph/graph_clone.h"

#include <unordered_map>

namespace octet {

Graph clone_graph(const Graph& graph) {
  Graph copy;
  std::unordered_map<const Value*, Value*> mapped;
  for (Value* input : graph.inputs())
    mapped[input] = copy.add_input(input->name(), input->type(), input->shape());
  for (Value* constant : graph.constants())
    mapped[constant] = copy.add_constant(constant->name(), constant->constant());
  for (Node* node : graph.topological_order()) {
    std::vector<Value*> inputs;
    inputs.reserve(node->input_count());
    for (Value* input : node->inputs()) inputs.push_back(input ? mapped.at(input) : nullptr);
    std::vector<std::string> output_names;
    for (Value* output : node->outputs()) output_names.push_back(output->name());
    Node* cloned =
        copy.add_node(node->op_type(), node->name(), std::move(inputs), output_names, node->attributes());
    for (size_t i = 0; i < node->output_count(); ++i) {
      Value* output = cloned->output(i);
      output->set_type(node->output(i)->type());
      output->set_shape(node->output(i)->shape());
      mapped[node->output(i)] = output;
    }
  }
  std::vector<Value*> outputs;
  for (Value* output : graph.outputs()) outputs.push_back(mapped.at(output));
  copy.set_outputs(std::move(outputs));
  copy.metadata() = graph.metadata();
  return copy;
}

}  // namespace octet
