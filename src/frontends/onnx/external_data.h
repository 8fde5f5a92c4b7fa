// Reads the bytes of a TensorProto stored outside the model (data_location = EXTERNAL). The file is
// untrusted: its path must be relative, without "..", and must resolve (after symlinks) inside the model's
// folder; offset and length are checked against the file size.
#pragma once

#include <cstddef>
#include <string>

#include "onnx/onnx.pb.h"

namespace octet::onnx_frontend {

// Returns exactly `expected_bytes` bytes of `tensor`'s external data. `base_dir` is the model's folder; an
// empty base_dir means the model came from memory and may not reference external files. `what` names the
// tensor in errors.
std::string read_external_data(const onnx::TensorProto& tensor, const std::string& base_dir,
                               size_t expected_bytes, const std::string& what);

}  // namespace octet::onnx_frontend
