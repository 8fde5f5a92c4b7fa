// OpenVINO IR writer: graph IR (internal op set, ONNX semantics) -> model.xml + model.bin (IR v11, or v10 on
// request). Ops that OpenVINO spells differently are translated (Conv -> Convolution + Add, Gemm -> MatMul,
// Resize -> Interpolate-4, ...); FakeQuantize stays FakeQuantize; constants with equal bytes share one blob
// in the .bin. An op that has no IR form is kUnsupported naming the node.
#pragma once

#include <string>

#include "graph/graph.h"

namespace octet {

enum class IrVersion { k10 = 10, k11 = 11 };

// Writes `xml_path` and the .bin beside it (same stem). The graph must have gone through infer_shapes().
void write_openvino_ir(const Graph& graph, const std::string& xml_path, IrVersion version = IrVersion::k11);

}  // namespace octet
