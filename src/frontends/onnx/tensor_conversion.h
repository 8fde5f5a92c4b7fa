// ONNX TensorProto <-> Tensor: initializers, Constant values, tensor attributes and .pb tensor files all go
// through here, so every tensor is checked the same way (type supported, dims sane, data size matching).
#pragma once

#include <string>

#include "octet/tensor.h"
#include "onnx/onnx.pb.h"

namespace octet::onnx_frontend {

// Converts a TensorProto. `base_dir` resolves external data ("" = external data not allowed); `what` names
// the tensor in errors ("initializer 'conv1.weight'"). Unsupported element types are kUnsupported; bad dims
// or a data size that does not match the dims are kInvalidModel.
Tensor tensor_from_proto(const onnx::TensorProto& proto, const std::string& base_dir,
                         const std::string& what);

// Fills `proto` with the tensor as raw_data (little-endian) and the given name.
void tensor_to_proto(const Tensor& tensor, const std::string& name, onnx::TensorProto& proto);

}  // namespace octet::onnx_frontend
