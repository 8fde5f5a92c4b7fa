// FakeQuantize -> ONNX QuantizeLinear + DequantizeLinear, only where the pair computes the same levels:
// - computed input: levels 256, output range equal to the input range, limits per tensor or per channel
//   along one axis, zero point -input_low / scale integral (within 1e-3 of a level) and in [0, 255].
//   With scale = (ih - il) / 255 and z = -il / scale, FakeQuantize's level k = round((x - il) / scale) is
//   QuantizeLinear's q = round(x / scale) + z (u8, saturating exactly at the levels' ends), and both map
//   back to il + k * scale. 255 levels cannot be exact: QuantizeLinear would saturate one level further.
// - constant input (weights, levels 255 or 256): the levels are computed here with FakeQuantize's own
//   arithmetic and written as an integer initializer + DequantizeLinear; only the output grid needs an
//   integral zero point (OpenVINO's u8 weight encoding maps 0..254 onto a different output range).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"

namespace octet::onnx_frontend {

// The ONNX nodes and initializers that replace one FakeQuantize node.
struct QdqExport {
  struct NodeSpec {
    std::string op_type, name;
    std::vector<std::string> inputs, outputs;
    std::optional<int64_t> axis;
  };
  std::vector<NodeSpec> nodes;
  std::vector<std::pair<std::string, Tensor>> initializers;
};

// Throws kUnsupported naming the node (and why) when the conversion would not be exact.
QdqExport fake_quantize_to_qdq(const Node& node);

}  // namespace octet::onnx_frontend
