#include "graph/printer.h"

#include <sstream>

namespace octet {
namespace {

std::string typed(const Value& v) {
  return v.name() + ": " + std::string(to_string(v.type())) + v.shape().to_string();
}

}  // namespace

void print_graph(const Graph& graph, std::ostream& out) {
  for (const Value* in : graph.inputs()) out << "input  " << typed(*in) << "\n";
  for (const Value* c : graph.constants()) out << "const  " << typed(*c) << "\n";
  for (const Node* node : graph.topological_order()) {
    for (size_t i = 0; i < node->output_count(); ++i)
      out << (i ? ", " : "") << "%" << typed(*node->output(i));
    out << " = " << node->label() << "(";
    for (size_t i = 0; i < node->input_count(); ++i) {
      out << (i ? ", " : "");
      out << (node->input(i) ? node->input(i)->name() : std::string("<none>"));
    }
    out << ")";
    if (!node->attributes().empty()) {
      out << " {";
      bool first = true;
      for (const auto& [name, value] : node->attributes()) {
        out << (first ? "" : ", ") << name << "=" << to_string(value);
        first = false;
      }
      out << "}";
    }
    out << "\n";
  }
  for (const Value* o : graph.outputs()) out << "output " << o->name() << "\n";
}

std::string graph_to_string(const Graph& graph) {
  std::ostringstream out;
  print_graph(graph, out);
  return out.str();
}

}  // namespace octet
