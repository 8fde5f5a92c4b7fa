// ONNX GraphProto -> graph IR: inputs, initializers, nodes (normalized to the internal op set), outputs.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "frontends/load_options.h"
#include "graph/graph.h"
#include "onnx/onnx.pb.h"

namespace octet::onnx_frontend {

struct GraphImportSettings {
  // Opset version per domain, with ONNX's "ai.onnx" stored as "".
  std::map<std::string, int64_t> opsets;
  // The model's folder, for external data ("" = none allowed).
  std::string base_dir;
  LoadOptions options;
  // Tests of the rewrites alone set this, so that they do not depend on which ops are registered.
  bool skip_support_check = false;
};

// Builds the graph without running shape inference. Errors name the node or tensor (the caller adds the
// file): every unsupported node at once (kUnsupported), a dangling tensor reference or a cycle
// (kInvalidModel).
Graph import_graph(const onnx::GraphProto& proto, const GraphImportSettings& settings);

// Whether the import can handle a node: a known domain, no subgraph attributes, and every internal op it
// becomes is in the op registry. Otherwise returns false and says why in `reason`.
bool node_is_supported(const onnx::NodeProto& node, const std::map<std::string, int64_t>& opsets,
                       std::string& reason);

}  // namespace octet::onnx_frontend
