// Checks that an IR's layers and edges form a well-formed graph before anything is built from it, so that
// a hostile or broken .xml fails with a message naming the layer instead of crashing later: duplicate layer
// ids, edges to unknown layers or ports, an input port fed twice or never, producer and consumer ports that
// declare different dims, and cycles.
#pragma once

#include <cstddef>
#include <vector>

#include "frontends/openvino_ir/ir_document.h"

namespace octet::openvino_ir {

struct PortSource {
  size_t layer = 0;   // index into IrDocument::layers
  size_t output = 0;  // index into that layer's outputs
};

struct IrConnections {
  // sources[l][i]: what feeds input i of layer l.
  std::vector<std::vector<PortSource>> sources;
  // output_used[l][o]: whether output o of layer l feeds anything.
  std::vector<std::vector<bool>> output_used;
  // Layer indices with every producer before its consumers (file order among independent layers).
  std::vector<size_t> order;
};

// Throws kInvalidModel naming the layer (type, name and id) at the first problem.
IrConnections validate_ir_graph(const IrDocument& doc);

}  // namespace octet::openvino_ir
