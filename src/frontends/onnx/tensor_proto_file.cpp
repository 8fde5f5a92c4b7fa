// .pb tensor files: one serialized onnx::TensorProto, as the ONNX test data stores inputs and outputs.
#include <filesystem>

#include "frontends/onnx/proto_io.h"
#include "frontends/onnx/tensor_conversion.h"
#include "io/tensor_file.h"
#include "octet/error.h"
#include "onnx/onnx.pb.h"

namespace octet {

NamedTensor read_tensor_proto_file(const std::string& path) {
  std::string bytes;
  try {
    bytes = onnx_frontend::read_file_bytes(path);
  } catch (const Error& e) {
    fail(e.code(), path, ": ", e.what());
  }
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return read_tensor_proto_from_bytes(bytes, folder.empty() ? "." : folder.string(), path);
}

NamedTensor read_tensor_proto_from_bytes(const std::string& bytes, const std::string& base_dir,
                                         const std::string& name) {
  try {
    onnx::TensorProto proto;
    OCTET_CHECK(onnx_frontend::parse_message(bytes, proto), ErrorCode::kInvalidArgument,
                "not a serialized ONNX TensorProto (the protobuf encoding is broken)");
    const std::string what =
        proto.name().empty() ? std::string("the tensor") : "tensor '" + proto.name() + "'";
    return {proto.name(), onnx_frontend::tensor_from_proto(proto, base_dir, what)};
  } catch (const Error& e) {
    // A malformed tensor file is a bad argument to whoever passed it, not a bad model.
    const ErrorCode code = e.code() == ErrorCode::kInvalidModel ? ErrorCode::kInvalidArgument : e.code();
    fail(code, name, ": ", e.what());
  }
}

void write_tensor_proto_file(const std::string& path, const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  onnx_frontend::tensor_to_proto(tensor, name, proto);
  std::string bytes;
  OCTET_CHECK(proto.SerializeToString(&bytes), ErrorCode::kInternal, path, ": cannot serialize tensor '",
              name, "'");
  onnx_frontend::write_file_bytes(path, bytes);
}

}  // namespace octet
