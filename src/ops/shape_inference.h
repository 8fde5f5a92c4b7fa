// Whole-graph type and shape inference with the op registry; also the op-level part of validation.
#pragma once

#include "graph/graph.h"

namespace octet {

// Checks each node against its op definition (known op, input/output counts) and infers every node output's
// type and shape in topological order. Throws octet::Error naming the first bad node.
void infer_shapes(Graph& graph);

// The per-node step of infer_shapes(): checks the node against its op definition and infers its outputs. For
// passes that rewrite and re-infer as they go (e.g. constant folding).
void infer_node(Node& node);

// Collects every node whose op type the registry does not know, as "OpType 'name'" strings, so a frontend can
// report all of them at once.
std::vector<std::string> unsupported_nodes(const Graph& graph);

}  // namespace octet
