// What an emitter (one per internal op, in the emit_*.cpp family files) sees while it turns one node into IR
// layers: the ports that compute the node's inputs, helpers to add constants and layers, and bind_output()
// to say which port computes each node output.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "frontends/openvino_ir/ir_model.h"
#include "frontends/openvino_ir/ir_writer.h"
#include "graph/graph.h"

namespace octet::ir_writer {

class EmitContext {
 public:
  EmitContext(IrModel& model, std::unordered_map<const Value*, PortRef>& ports, const Node& node)
      : model_(model), ports_(ports), node_(node) {}

  const Node& node() const { return node_; }
  // The port computing input i (a constant becomes a Const layer on first use); kInvalidModel if absent.
  PortRef input(size_t i);
  bool has_input(size_t i) const { return node_.has_input(i); }
  const Shape& input_shape(size_t i) const;
  ElementType input_type(size_t i) const;
  // Input i's constant tensor, or nullptr if it is absent or computed.
  const Tensor* constant_input(size_t i) const;
  // Input i's constant tensor; kUnsupported naming the node and `what` if it is computed.
  const Tensor& required_constant(size_t i, std::string_view what) const;
  const Shape& output_shape(size_t i) const { return node_.output(i)->shape(); }
  ElementType output_type(size_t i) const { return node_.output(i)->type(); }
  // The rank of input i; kUnsupported naming the node if unknown.
  size_t input_rank(size_t i) const;

  // A new Const layer named "<node>/<suffix>".
  PortRef constant(const Tensor& tensor, const std::string& suffix);
  PortRef constant_i64(const std::vector<int64_t>& values, const std::string& suffix);  // 1-D
  PortRef scalar_f32(float value, const std::string& suffix);
  // A layer with one output; named after the node if suffix is empty, else "<node>/<suffix>".
  PortRef layer(std::string type, std::string version, std::vector<PortRef> inputs, IrData data,
                ElementType out_type, Shape out_shape, const std::string& suffix = "");
  std::vector<PortRef> layer(std::string type, std::string version, std::vector<PortRef> inputs, IrData data,
                             std::vector<IrOutput> outputs, const std::string& suffix = "");
  // Node output i is computed by `port` (which then carries the value's name).
  void bind_output(size_t i, PortRef port);

  const IrOutput& port(PortRef ref) const { return model_.output(ref); }
  [[noreturn]] void unsupported(const std::string& why) const;

 private:
  IrModel& model_;
  std::unordered_map<const Value*, PortRef>& ports_;
  const Node& node_;
};

// Binds the port computing `value` (constants are added as Const layers on first use).
PortRef port_of_value(IrModel& model, std::unordered_map<const Value*, PortRef>& ports, const Value& value);

using EmitFunction = std::function<void(EmitContext&)>;
using EmitterTable = std::map<std::string, EmitFunction, std::less<>>;

void register_elementwise_emitters(EmitterTable& table);    // emit_elementwise.cpp
void register_convolution_emitters(EmitterTable& table);    // emit_convolution.cpp (+ MatMul, Gemm)
void register_pooling_emitters(EmitterTable& table);        // emit_pooling.cpp
void register_normalization_emitters(EmitterTable& table);  // emit_normalization.cpp
void register_shape_emitters(EmitterTable& table);          // emit_shape.cpp
void register_slicing_emitters(EmitterTable& table);        // emit_slicing.cpp
void register_reduction_emitters(EmitterTable& table);      // emit_reduction.cpp
void register_resize_emitters(EmitterTable& table);         // emit_resize.cpp
void register_quantization_emitters(EmitterTable& table);   // emit_quantization.cpp
void register_openvino_op_emitters(EmitterTable& table);    // emit_openvino_ops.cpp

const EmitterTable& emitter_table();

}  // namespace octet::ir_writer
