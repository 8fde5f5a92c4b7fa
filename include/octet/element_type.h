// Element types of tensors in the graph IR and the runtime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "octet/float16.h"

namespace octet {

enum class ElementType : uint8_t { kUndefined, kF32, kF16, kI8, kU8, kI32, kI64, kBool };

// Bytes per element (bool is stored as one byte, 0 or 1).
size_t size_of(ElementType type);
// Short lower-case name as in OpenVINO IR: f32, f16, i8, u8, i32, i64, boolean.
std::string_view to_string(ElementType type);
// Parses the names of to_string(); throws kInvalidArgument for anything else.
ElementType element_type_from_string(std::string_view name);
bool is_integral(ElementType type);  // i8, u8, i32, i64, bool
bool is_floating(ElementType type);  // f32, f16

// Maps a C++ type to its ElementType (bool is stored as uint8_t, so use BoolByte for it).
struct BoolByte {
  uint8_t value;
};
template <typename T>
constexpr ElementType element_type_of();
template <>
constexpr ElementType element_type_of<float>() {
  return ElementType::kF32;
}
template <>
constexpr ElementType element_type_of<Float16>() {
  return ElementType::kF16;
}
template <>
constexpr ElementType element_type_of<int8_t>() {
  return ElementType::kI8;
}
template <>
constexpr ElementType element_type_of<uint8_t>() {
  return ElementType::kU8;
}
template <>
constexpr ElementType element_type_of<int32_t>() {
  return ElementType::kI32;
}
template <>
constexpr ElementType element_type_of<int64_t>() {
  return ElementType::kI64;
}
template <>
constexpr ElementType element_type_of<bool>() {
  return ElementType::kBool;
}

}  // namespace octet
