// ONNX TensorProto data types <-> Octet element types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "octet/element_type.h"

namespace octet::onnx_frontend {

// The Octet element type of an ONNX TensorProto::DataType value, or nullopt for the types Octet does not
// support (double, int16, string, bfloat16, float8, ...).
std::optional<ElementType> element_type_from_onnx(int32_t data_type);
// The ONNX TensorProto::DataType of an Octet element type.
int32_t onnx_data_type(ElementType type);
// "FLOAT", "DOUBLE", ... as the ONNX spec spells them (or "data type 42" for a number the spec does not
// name); for error messages.
std::string onnx_data_type_name(int32_t data_type);

}  // namespace octet::onnx_frontend
