#include "io/tensor_file.h"

#include "io/file_extension.h"

namespace octet {

NamedTensor read_tensor_file(const std::string& path) {
  const std::string ext = lowercase_extension(path);
  if (ext == ".npy") return {"", read_npy(path)};
  if (ext == ".pb") return read_tensor_proto_file(path);
  fail(ErrorCode::kInvalidArgument, path, ": unknown tensor file type '", ext,
       "' (expected .npy or .pb, a serialized ONNX TensorProto)");
}

void write_tensor_file(const std::string& path, const Tensor& tensor, const std::string& name) {
  const std::string ext = lowercase_extension(path);
  if (ext == ".npy") return write_npy(path, tensor);
  if (ext == ".pb") return write_tensor_proto_file(path, tensor, name);
  fail(ErrorCode::kInvalidArgument, path, ": unknown tensor file type '", ext, "' (expected .npy or .pb)");
}

}  // namespace octet
