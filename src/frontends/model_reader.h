// Reads a model file of any supported format into the graph IR, picking the frontend from the file: `.onnx`
// (ONNX protobuf) and `.xml` (OpenVINO IR) today, `.tflite` later. The returned graph has gone through
// infer_shapes(); every error is an octet::Error naming the file.
#pragma once

#include <string>

#include "frontends/load_options.h"
#include "graph/graph.h"

namespace octet {

Graph read_model(const std::string& path, const LoadOptions& options = {});

}  // namespace octet
