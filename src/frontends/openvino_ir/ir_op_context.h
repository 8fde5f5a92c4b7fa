// What a translator sees of one IR layer: its attributes (typed, with errors naming the layer), its inputs
// as graph Values, and helpers that add internal-op nodes and constants to the graph being built. Nodes are
// inferred as they are added, so a translator can read input ranks and dims.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "frontends/openvino_ir/ir_document.h"
#include "graph/graph.h"
#include "octet/error.h"

namespace octet::openvino_ir {

class IrOpContext {
 public:
  IrOpContext(Graph& graph, const IrLayer& layer, std::vector<Value*> inputs, std::vector<bool> outputs_used);

  const IrLayer& layer() const { return layer_; }
  std::string label() const { return layer_.label(); }
  Graph& graph() { return graph_; }

  // --- inputs ---
  size_t input_count() const { return inputs_.size(); }
  Value* input(size_t i) const;  // kInvalidModel naming the layer if absent
  bool has_input(size_t i) const { return i < inputs_.size(); }
  // Throws kInvalidModel unless the layer has between min and max inputs.
  void expect_inputs(size_t min, size_t max) const;
  const Shape& input_shape(size_t i) const;
  // The rank of input i; kUnsupported if it is not known.
  int64_t input_rank(size_t i) const;
  // The static dims of input i; kUnsupported naming the layer if they are not static.
  const Dims& input_static_dims(size_t i) const;
  // The value of input i, which must be constant (constant folding is tried first); kUnsupported otherwise.
  Tensor constant_input(size_t i);
  std::vector<int64_t> constant_ints(size_t i) { return constant_input(i).to_int64_vector(); }
  bool output_used(size_t i) const { return i < outputs_used_.size() && outputs_used_[i]; }
  size_t output_count() const { return layer_.outputs.size(); }

  // --- attributes of <data> ---
  bool has_attr(const std::string& key) const { return layer_.data.contains(key); }
  std::string attr_string(const std::string& key) const;
  std::string attr_string_or(const std::string& key, const std::string& fallback) const;
  int64_t attr_int(const std::string& key) const;
  int64_t attr_int_or(const std::string& key, int64_t fallback) const;
  float attr_float(const std::string& key) const;
  float attr_float_or(const std::string& key, float fallback) const;
  // "true"/"false"/"True"/"False"/"1"/"0".
  bool attr_bool(const std::string& key) const;
  bool attr_bool_or(const std::string& key, bool fallback) const;
  // Comma-separated lists ("1,1", "1, 1", "" = empty).
  std::vector<int64_t> attr_ints(const std::string& key) const;
  std::vector<int64_t> attr_ints_or(const std::string& key, std::vector<int64_t> fallback) const;
  std::vector<float> attr_floats(const std::string& key) const;
  std::vector<float> attr_floats_or(const std::string& key, std::vector<float> fallback) const;

  // --- building ---
  // Adds an internal op with one output and infers it; returns the output.
  Value* add(const std::string& op_type, std::vector<Value*> inputs, Attributes attributes = {});
  std::vector<Value*> add_multi(const std::string& op_type, std::vector<Value*> inputs, size_t outputs,
                                Attributes attributes = {});
  Value* constant(Tensor tensor);
  Value* constant_i64(const std::vector<int64_t>& values);  // 1-D
  Value* scalar_f32(float value);
  // Input i as a 1-D i64 tensor (Cast and Reshape added as needed): for axes, shapes, pads.
  Value* as_i64_vector(Value* value);

  [[noreturn]] void invalid(const std::string& message) const;
  [[noreturn]] void unsupported(const std::string& message) const;

  // Nodes this layer added, for naming its outputs.
  const std::vector<Node*>& added_nodes() const { return added_; }

 private:
  const std::string& raw_attr(const std::string& key) const;

  Graph& graph_;
  const IrLayer& layer_;
  std::vector<Value*> inputs_;
  std::vector<bool> outputs_used_;
  std::vector<Node*> added_;
};

// A translator returns one Value per output port of the layer, in port order; nullptr for an output that
// nothing uses and the translation does not produce.
using IrTranslator = std::vector<Value*> (*)(IrOpContext& context);

}  // namespace octet::openvino_ir
