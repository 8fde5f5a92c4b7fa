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
// The same on bytes in memory (for fuzzing); `name` is only used in messages. A .pb tensor's external data
// is resolved in `base_dir`; "" allows none.
Tensor read_npy_from_bytes(const std::string& bytes, const std::string& name);
NamedTensor read_tensor_proto_from_bytes(const std::string& bytes, const std::string& base_dir,
                                         const std::string& name);
void write_tensor_proto_file(const std::string& path, const Tensor& tensor, const std::string& name);

}  // namespace octet
