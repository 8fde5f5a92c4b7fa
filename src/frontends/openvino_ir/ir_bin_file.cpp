#include "frontends/openvino_ir/ir_bin_file.h"

#include <cstring>
#include <set>

#include "frontends/openvino_ir/ir_document.h"
#include "octet/error.h"
#include "octet/float16.h"

namespace octet::openvino_ir {

ElementType const_element_type(const std::string& name, const std::string& where) {
  if (name == "f32" || name == "FP32") return ElementType::kF32;
  if (name == "f16" || name == "FP16") return ElementType::kF16;
  if (name == "i8" || name == "I8") return ElementType::kI8;
  if (name == "u8" || name == "U8") return ElementType::kU8;
  if (name == "i32" || name == "I32") return ElementType::kI32;
  if (name == "i64" || name == "I64") return ElementType::kI64;
  static const std::set<std::string> kKnownButUnsupported = {
      "boolean", "BOOL", "u1",  "U1",  "bf16", "BF16", "f64", "FP64", "i4",     "u4",     "i16",
      "u16",     "I16",  "U16", "u32", "U32",  "u64",  "U64", "nf4",  "f8e4m3", "f8e5m2", "string"};
  OCTET_CHECK(!kKnownButUnsupported.contains(name), ErrorCode::kUnsupported, where, ": element type '", name,
              "' is not supported (supported: f32, f16, i8, u8, i32, i64)");
  fail(ErrorCode::kInvalidModel, where, ": unknown element type '", name, "'");
}

Dims parse_static_dims(const std::string& text, const std::string& where) {
  Dims dims;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    if (item.find_first_not_of(" \t") != std::string::npos || comma < text.size()) {
      int64_t d = 0;
      OCTET_CHECK(parse_int64(item, d), ErrorCode::kInvalidModel, where, ": shape '", text,
                  "' has a dimension that is not an integer");
      OCTET_CHECK(d >= 0, ErrorCode::kInvalidModel, where, ": shape '", text, "' has a negative dimension");
      dims.push_back(d);
    }
    start = comma + 1;
  }
  try {
    element_count(dims);
  } catch (const Error&) {
    fail(ErrorCode::kInvalidModel, where, ": shape '", text, "' has too many elements");
  }
  return dims;
}

Tensor IrBinFile::read_tensor(ElementType stored, const Dims& dims, uint64_t offset, uint64_t size,
                              const std::string& where) const {
  OCTET_CHECK(loaded_, ErrorCode::kInvalidModel, where,
              ": the constant needs the .bin file, which is missing");
  const uint64_t bin_size = bytes_.size();
  OCTET_CHECK(offset <= bin_size && size <= bin_size - offset, ErrorCode::kInvalidModel, where,
              ": data at offset ", offset, " with size ", size, " lies outside the .bin file (", bin_size,
              " bytes; truncated .bin or bad offset)");
  const int64_t count = element_count(dims);  // dims were checked by parse_static_dims
  const uint64_t element_size = size_of(stored);
  OCTET_CHECK(static_cast<uint64_t>(count) <= UINT64_MAX / element_size &&
                  static_cast<uint64_t>(count) * element_size == size,
              ErrorCode::kInvalidModel, where, ": size ", size, " bytes does not match shape ",
              to_string(dims), " of ", to_string(stored), " (", count, " x ", element_size, " bytes)");
  const char* source = bytes_.data() + offset;
  if (stored == ElementType::kF16) {
    Tensor out(ElementType::kF32, dims);
    float* dst = out.data<float>();
    for (int64_t i = 0; i < count; ++i) {
      uint16_t bits = 0;
      std::memcpy(&bits, source + 2 * i, 2);
      dst[i] = half_bits_to_float(bits);
    }
    return out;
  }
  Tensor out(stored, dims);
  if (size > 0) std::memcpy(out.raw_data(), source, size);
  return out;
}

}  // namespace octet::openvino_ir
