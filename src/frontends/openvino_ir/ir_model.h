// The in-memory form of an IR that the writer builds before serializing: layers with typed output ports,
// each input port naming the output port it reads (an edge), and the constant blobs of the .bin.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "octet/element_type.h"
#include "octet/shape.h"
#include "octet/tensor.h"

namespace octet::ir_writer {

// An output port of a layer: where an edge starts.
struct PortRef {
  size_t layer = 0;  // index into IrModel::layers (also the layer id)
  size_t port = 0;   // index among the layer's outputs (its port id adds the input count)
};

// A layer's <data> attributes in the order they are written.
class IrData {
 public:
  void set_string(std::string name, std::string value);
  void set_int(std::string name, int64_t value);
  void set_float(std::string name, double value);  // shortest text that reads back to the same double
  void set_bool(std::string name, bool value);
  void set_ints(std::string name, const std::vector<int64_t>& values);  // "1,2,3"
  void set_floats(std::string name, const std::vector<float>& values);
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

std::string format_double(double value);
std::string format_float(float value);

struct IrOutput {
  ElementType type = ElementType::kUndefined;
  Shape shape;
  std::vector<std::string> names;  // tensor names (IR v11 `names`)
};

struct IrLayer {
  std::string name, type, version;
  IrData data;
  std::vector<PortRef> inputs;
  std::vector<IrOutput> outputs;
};

class IrModel {
 public:
  // Adds a layer named `name` (made unique with a suffix if taken); returns its index.
  size_t add_layer(std::string name, std::string type, std::string version, IrData data,
                   std::vector<PortRef> inputs, std::vector<IrOutput> outputs);
  // Renames a layer if `name` is free; returns whether it did.
  bool rename_layer(size_t layer, const std::string& name);
  // A Const layer for the tensor; its bytes go to the .bin once per distinct content.
  PortRef add_constant(const std::string& name, const Tensor& tensor);

  const IrOutput& output(PortRef ref) const { return layers_.at(ref.layer).outputs.at(ref.port); }
  IrOutput& output(PortRef ref) { return layers_.at(ref.layer).outputs.at(ref.port); }
  const std::vector<IrLayer>& layers() const { return layers_; }
  const std::string& blob() const { return blob_; }

 private:
  std::vector<IrLayer> layers_;
  std::set<std::string> names_;
  std::string blob_;
  std::unordered_map<std::string, uint64_t> offsets_by_bytes_;
};

// Comma-separated dims as the Parameter/Const `shape` attribute writes them ("1,3,224,224"; "?" dynamic).
std::string shape_attribute(const Shape& shape);
// Port precision names: FP32, FP16, I8, U8, I32, I64, BOOL.
std::string port_precision(ElementType type);
// Const / Convert element type names: f32, f16, i8, u8, i32, i64, boolean.
std::string ir_element_type(ElementType type);

}  // namespace octet::ir_writer
