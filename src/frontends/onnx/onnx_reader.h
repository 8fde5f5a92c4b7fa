// ONNX frontend: ModelProto (opsets 7 to 18, external data files) -> graph IR in the internal op set.
#pragma once

#include <string>

#include "frontends/load_options.h"
#include "graph/graph.h"

namespace octet {

// Reads an .onnx file. External data files are resolved relative to the model's folder and must stay inside
// it.
Graph read_onnx_model(const std::string& path, const LoadOptions& options = {});
// Reads a serialized ModelProto from memory; `base_dir` resolves external data ("" = none allowed).
Graph read_onnx_model_from_bytes(const std::string& bytes, const std::string& base_dir,
                                 const LoadOptions& options = {});

}  // namespace octet
