// The IR's .bin, treated as untrusted: every Const's offset and size are checked against the file without
// overflow, and against the element count of its declared shape, before a byte is read.
#pragma once

#include <cstdint>
#include <string>

#include "octet/element_type.h"
#include "octet/shape.h"
#include "octet/tensor.h"

namespace octet::openvino_ir {

class IrBinFile {
 public:
  IrBinFile() = default;
  explicit IrBinFile(std::string bytes) : bytes_(std::move(bytes)), loaded_(true) {}

  bool loaded() const { return loaded_; }
  uint64_t size() const { return bytes_.size(); }

  // The tensor at [offset, offset + size) read as `stored` elements of `dims`. f16 data becomes f32 (Octet
  // computes in f32; see ir_reader.cpp). `where` names the layer in errors (kInvalidModel).
  Tensor read_tensor(ElementType stored, const Dims& dims, uint64_t offset, uint64_t size,
                     const std::string& where) const;

 private:
  std::string bytes_;
  bool loaded_ = false;
};

// The element type of a Const's element_type attribute ("f32", "f16", "i8", "u8", "i32", "i64"); other types
// OpenVINO knows ("boolean", "u1", "bf16", ...) are kUnsupported, anything else kInvalidModel.
ElementType const_element_type(const std::string& name, const std::string& where);

// Dims of a shape attribute ("1,3,224,224", "" for a scalar); negative or overflowing dims are kInvalidModel.
Dims parse_static_dims(const std::string& text, const std::string& where);

}  // namespace octet::openvino_ir
