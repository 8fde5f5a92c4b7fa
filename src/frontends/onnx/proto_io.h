// Reading protobuf files (ONNX models, .pb tensors): whole-file reads and parsing without protobuf's default
// 64 MiB limit, so 100+ MB models load.
#pragma once

#include <google/protobuf/message_lite.h>

#include <string>

namespace octet::onnx_frontend {

// The bytes of a file; kIo naming the path if it cannot be read.
std::string read_file_bytes(const std::string& path);
void write_file_bytes(const std::string& path, const std::string& bytes);

// Parses a serialized message; false if the bytes are not a valid encoding (truncated, random, > 2 GiB).
bool parse_message(const std::string& bytes, google::protobuf::MessageLite& message);

}  // namespace octet::onnx_frontend
