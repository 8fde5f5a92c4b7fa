#include "frontends/onnx/onnx_element_type.h"

#include "octet/error.h"
#include "onnx/onnx.pb.h"

namespace octet::onnx_frontend {

std::optional<ElementType> element_type_from_onnx(int32_t data_type) {
  switch (data_type) {
    case onnx::TensorProto::FLOAT:
      return ElementType::kF32;
    case onnx::TensorProto::FLOAT16:
      return ElementType::kF16;
    case onnx::TensorProto::INT8:
      return ElementType::kI8;
    case onnx::TensorProto::UINT8:
      return ElementType::kU8;
    case onnx::TensorProto::INT32:
      return ElementType::kI32;
    case onnx::TensorProto::INT64:
      return ElementType::kI64;
    case onnx::TensorProto::BOOL:
      return ElementType::kBool;
    default:
      return std::nullopt;
  }
}

int32_t onnx_data_type(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return onnx::TensorProto::FLOAT;
    case ElementType::kF16:
      return onnx::TensorProto::FLOAT16;
    case ElementType::kI8:
      return onnx::TensorProto::INT8;
    case ElementType::kU8:
      return onnx::TensorProto::UINT8;
    case ElementType::kI32:
      return onnx::TensorProto::INT32;
    case ElementType::kI64:
      return onnx::TensorProto::INT64;
    case ElementType::kBool:
      return onnx::TensorProto::BOOL;
    case ElementType::kUndefined:
      break;
  }
  fail(ErrorCode::kInternal, "element type ", to_string(type), " has no ONNX data type");
}

std::string onnx_data_type_name(int32_t data_type) {
  // Types newer than the onnx.proto we compile against (float8, int4, ...) are named by number.
  if (onnx::TensorProto::DataType_IsValid(data_type))
    return onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(data_type));
  return str_cat("data type ", data_type);
}

}  // namespace octet::onnx_frontend
