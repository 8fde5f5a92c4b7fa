// A readable text dump of a graph, one line per node, for debugging passes (`octet info --dump`):
//   input  x0: f32[1,3,224,224]
//   const  conv1.weight: f32[32,3,3,3]
//   %y: f32[1,32,112,112] = Conv 'conv1'(x0, conv1.weight, conv1.bias) {group=1, pads=[1,1,1,1],
//   strides=[2,2]} output y
#pragma once

#include <ostream>
#include <string>

#include "graph/graph.h"

namespace octet {

void print_graph(const Graph& graph, std::ostream& out);
std::string graph_to_string(const Graph& graph);

}  // namespace octet
