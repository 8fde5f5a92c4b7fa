#include "frontends/onnx/proto_io.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "octet/error.h"

namespace octet::onnx_frontend {

std::string read_file_bytes(const std::string& path) {
  std::error_code ec;
  OCTET_CHECK(std::filesystem::is_regular_file(path, ec), ErrorCode::kIo, "cannot open '", path,
              "': not a file (or it does not exist)");
  std::ifstream in(path, std::ios::binary);
  OCTET_CHECK(in.is_open(), ErrorCode::kIo, "cannot open '", path, "'");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  OCTET_CHECK(!in.bad(), ErrorCode::kIo, "cannot read '", path, "'");
  return std::move(bytes).str();
}

void write_file_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  OCTET_CHECK(out.is_open(), ErrorCode::kIo, "cannot create '", path, "'");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  OCTET_CHECK(out.good(), ErrorCode::kIo, "cannot write '", path, "'");
}

bool parse_message(const std::string& bytes, google::protobuf::MessageLite& message) {
  // Protobuf itself cannot address more than 2 GiB in one message; larger models must use external data.
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return false;
  google::protobuf::io::ArrayInputStream stream(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  return message.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
}

}  // namespace octet::onnx_frontend
