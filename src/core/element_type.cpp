#include "octet/element_type.h"

#include "octet/error.h"

namespace octet {

size_t size_of(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return 4;
    case ElementType::kF16:
      return 2;
    case ElementType::kI8:
      return 1;
    case ElementType::kU8:
      return 1;
    case ElementType::kI32:
      return 4;
    case ElementType::kI64:
      return 8;
    case ElementType::kBool:
      return 1;
    case ElementType::kUndefined:
      break;
  }
  return 0;
}

std::string_view to_string(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return "f32";
    case ElementType::kF16:
      return "f16";
    case ElementType::kI8:
      return "i8";
    case ElementType::kU8:
      return "u8";
    case ElementType::kI32:
      return "i32";
    case ElementType::kI64:
      return "i64";
    case ElementType::kBool:
      return "boolean";
    case ElementType::kUndefined:
      break;
  }
  return "undefined";
}

ElementType element_type_from_string(std::string_view name) {
  for (ElementType type : {ElementType::kF32, ElementType::kF16, ElementType::kI8, ElementType::kU8,
                           ElementType::kI32, ElementType::kI64, ElementType::kBool}) {
    if (to_string(type) == name) return type;
  }
  if (name == "bool") return ElementType::kBool;
  fail(ErrorCode::kInvalidArgument, "unknown element type '", name, "'");
}

bool is_integral(ElementType type) {
  return type == ElementType::kI8 || type == ElementType::kU8 || type == ElementType::kI32 ||
         type == ElementType::kI64 || type == ElementType::kBool;
}

bool is_floating(ElementType type) {
  return type == ElementType::kF32 || type == ElementType::kF16;
}

}  // namespace octet
