#include "frontends/openvino_ir/ir_model.h"

#include <charconv>
#include <cmath>

#include "octet/error.h"

namespace octet::ir_writer {

std::string format_double(double value) {
  OCTET_CHECK(std::isfinite(value), ErrorCode::kUnsupported, "the IR cannot hold the non-finite number ",
              value, " as an attribute");
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// Written as the double that equals the float, so a reader parsing either a float or a double gets it back.
std::string format_float(float value) {
  return format_double(static_cast<double>(value));
}

void IrData::set_string(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}
void IrData::set_int(std::string name, int64_t value) {
  set_string(std::move(name), std::to_string(value));
}
void IrData::set_float(std::string name, double value) {
  set_string(std::move(name), format_double(value));
}
void IrData::set_bool(std::string name, bool value) {
  set_string(std::move(name), value ? "true" : "false");
}
void IrData::set_ints(std::string name, const std::vector<int64_t>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + std::to_string(values[i]);
  set_string(std::move(name), std::move(text));
}
void IrData::set_floats(std::string name, const std::vector<float>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + format_float(values[i]);
  set_string(std::move(name), std::move(text));
}

size_t IrModel::add_layer(std::string name, std::string type, std::string version, IrData data,
                          std::vector<PortRef> inputs, std::vector<IrOutput> outputs) {
  for (const PortRef& in : inputs) OCTET_ASSERT(in.layer < layers_.size());
  std::string unique = name;
  for (int suffix = 1; !names_.insert(unique).second; ++suffix) unique = name + "_" + std::to_string(suffix);
  layers_.push_back(IrLayer{std::move(unique), std::move(type), std::move(version), std::move(data),
                            std::move(inputs), std::move(outputs)});
  return layers_.size() - 1;
}

bool IrModel::rename_layer(size_t layer, const std::string& name) {
  if (!names_.insert(name).second) return false;
  names_.erase(layers_.at(layer).name);
  layers_[layer].name = name;
  return true;
}

PortRef IrModel::add_constant(const std::string& name, const Tensor& tensor) {
  const std::string bytes(static_cast<const char*>(tensor.raw_data()), tensor.byte_size());
  auto [it, inserted] = offsets_by_bytes_.emplace(bytes, blob_.size());
  if (inserted) blob_ += bytes;
  IrData data;
  data.set_string("element_type", ir_element_type(tensor.type()));
  data.set_string("shape", shape_attribute(Shape(tensor.dims())));
  data.set_int("offset", static_cast<int64_t>(it->second));
  data.set_int("size", static_cast<int64_t>(bytes.size()));
  const size_t layer = add_layer(name, "Const", "opset1", std::move(data), {},
                                 {IrOutput{tensor.type(), Shape(tensor.dims()), {}}});
  return PortRef{layer, 0};
}

std::string shape_attribute(const Shape& shape) {
  if (!shape.rank_known()) return "...";
  std::string text;
  for (size_t i = 0; i < shape.rank(); ++i) {
    if (i) text += ",";
    text += shape[i] == kDynamicDim ? "?" : std::to_string(shape[i]);
  }
  return text;
}

std::string port_precision(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return "FP32";
    case ElementType::kF16:
      return "FP16";
    case ElementType::kI8:
      return "I8";
    case ElementType::kU8:
      return "U8";
    case ElementType::kI32:
      return "I32";
    case ElementType::kI64:
      return "I64";
    case ElementType::kBool:
      return "BOOL";
    default:
      break;
  }
  fail(ErrorCode::kInternal, "no IR precision for element type ", to_string(type));
}

std::string ir_element_type(ElementType type) {
  OCTET_CHECK(type != ElementType::kUndefined, ErrorCode::kInternal, "IR element type of an untyped value");
  return std::string(to_string(type));
}

}  // namespace octet::ir_writer
