// Tensors in files: NumPy .npy (read and write) and serialized ONNX TensorProto .pb (read and write), picked
// by the extension. Files are untrusted: every header field and size is checked.
#pragma once

#include <string>

#include "octet/tensor.h"

namespace octet {

struct NamedTensor {
  std::string name;  // the TensorProto's name; empty for .npy
  Tensor tensor;
};

NamedTensor read_tensor_file(const std::string& path);  // .npy or .pb
void write_tensor_file(const std::string& path, const Tensor& tensor, const std::string& name = "");

// Format-specific entry points (io/npy.cpp and frontends/onnx/tensor_proto_file.cpp).
Tensor read_npy(const std::string& path);
void write_npy(const std::string& path, const Tensor& tensor);
NamedTensor read_tensor_proto_file(const std::string& path);
void write_tensor_proto_file(const std::string& path, const Tensor& tensor, const std::string& name);

}  // namespace octet
