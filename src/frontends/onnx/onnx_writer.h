// ONNX writer: graph IR -> .onnx (opset 18, plus com.microsoft for the QLinear ops ONNX Runtime defines).
// The internal op set is ONNX's, so nodes are written as they are; FakeQuantize becomes QuantizeLinear +
// DequantizeLinear where that is exact (fake_quantize_export.h), and OpenVINO-only ops are kUnsupported.
#pragma once

#include <string>

#include "graph/graph.h"

namespace octet {

// The graph must have gone through infer_shapes(). Throws kUnsupported naming the node for an op ONNX has
// no form for, kIo if the file cannot be written.
void write_onnx(const Graph& graph, const std::string& path);
// The serialized ModelProto.
std::string write_onnx_to_bytes(const Graph& graph);

}  // namespace octet
