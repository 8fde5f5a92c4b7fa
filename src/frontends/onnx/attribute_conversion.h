// ONNX AttributeProto -> the graph IR's typed AttributeValue.
#pragma once

#include <string>

#include "graph/attribute.h"
#include "onnx/onnx.pb.h"

namespace octet::onnx_frontend {

// True for attributes that hold subgraphs (If/Loop/Scan bodies), which Octet does not import.
bool is_subgraph_attribute(const onnx::AttributeProto& attribute);

// Converts every attribute of a node. `base_dir` resolves external data of tensor attributes; `node_label`
// names the node in errors. Subgraph, sparse-tensor, type and list-of-tensor attributes are kUnsupported.
Attributes convert_attributes(const onnx::NodeProto& node, const std::string& base_dir,
                              const std::string& node_label);

}  // namespace octet::onnx_frontend
