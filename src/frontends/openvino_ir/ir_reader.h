// Reads an OpenVINO IR (v10 or v11: model.xml plus model.bin beside it) into the graph IR: layers are
// validated as a graph (ir_graph_validation.h), Consts read from the untrusted .bin (ir_bin_file.h), and
// every other layer translated to internal ops (ir_translator_table.h). The graph has gone through constant
// folding and infer_shapes(); every error is an octet::Error naming the file and, where it applies, the
// layer.
#pragma once

#include <string>

#include "frontends/load_options.h"
#include "graph/graph.h"

namespace octet {

Graph read_openvino_ir(const std::string& xml_path, const LoadOptions& options = {});

// The same from memory (for tests); `bin` may be empty when the IR has no Const layers.
Graph read_openvino_ir_from_memory(const std::string& xml, const std::string& bin,
                                   const LoadOptions& options = {});

}  // namespace octet
