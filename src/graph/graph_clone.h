// A deep copy of a graph (values, constants, nodes, attributes, metadata), so that a plugin can rewrite its
// own copy while the user's model stays as it was. Constant tensors share their buffers (they are never
// written).
#pragma once

#include "graph/graph.h"

namespace octet {

Graph clone_graph(const Graph& graph);

}  // namespace octet
