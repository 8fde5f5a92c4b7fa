#include "frontends/openvino_ir/ir_emit_context.h"

#include "octet/error.h"

namespace octet::ir_writer {

PortRef port_of_value(IrModel& model, std::unordered_map<const Value*, PortRef>& ports, const Value& value) {
  if (auto it = ports.find(&value); it != ports.end()) return it->second;
  OCTET_CHECK(value.is_constant(), ErrorCode::kInternal, "value '", value.name(),
              "' is used before the node computing it was written");
  const PortRef ref = model.add_constant(value.name(), value.constant());
  ports.emplace(&value, ref);
  return ref;
}

PortRef EmitContext::input(size_t i) {
  OCTET_CHECK(node_.has_input(i), ErrorCode::kInvalidModel, node_.label(), ": input ", i, " is missing");
  return port_of_value(model_, ports_, *node_.input(i));
}

const Shape& EmitContext::input_shape(size_t i) const {
  OCTET_CHECK(node_.has_input(i), ErrorCode::kInvalidModel, node_.label(), ": input ", i, " is missing");
  return node_.input(i)->shape();
}

ElementType EmitContext::input_type(size_t i) const {
  OCTET_CHECK(node_.has_input(i), ErrorCode::kInvalidModel, node_.label(), ": input ", i, " is missing");
  return node_.input(i)->type();
}

const Tensor* EmitContext::constant_input(size_t i) const {
  const Value* value = node_.input(i);
  return value && value->is_constant() ? &value->constant() : nullptr;
}

const Tensor& EmitContext::required_constant(size_t i, std::string_view what) const {
  const Tensor* tensor = constant_input(i);
  if (!tensor) unsupported(str_cat(what, " must be a constant to be written as IR"));
  return *tensor;
}

size_t EmitContext::input_rank(size_t i) const {
  const Shape& shape = input_shape(i);
  if (!shape.rank_known()) unsupported(str_cat("the rank of input ", i, " is unknown"));
  return shape.rank();
}

PortRef EmitContext::constant(const Tensor& tensor, const std::string& suffix) {
  return model_.add_constant(node_.name() + "/" + suffix, tensor);
}

PortRef EmitContext::constant_i64(const std::vector<int64_t>& values, const std::string& suffix) {
  return constant(Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values), suffix);
}

PortRef EmitContext::scalar_f32(float value, const std::string& suffix) {
  return constant(Tensor::scalar<float>(value), suffix);
}

PortRef EmitContext::layer(std::string type, std::string version, std::vector<PortRef> inputs, IrData data,
                           ElementType out_type, Shape out_shape, const std::string& suffix) {
  return layer(std::move(type), std::move(version), std::move(inputs), std::move(data),
               {IrOutput{out_type, std::move(out_shape), {}}}, suffix)[0];
}

std::vector<PortRef> EmitContext::layer(std::string type, std::string version, std::vector<PortRef> inputs,
                                        IrData data, std::vector<IrOutput> outputs,
                                        const std::string& suffix) {
  for (const IrOutput& out : outputs)
    OCTET_CHECK(out.type != ElementType::kUndefined, ErrorCode::kInvalidArgument, node_.label(),
                ": an output has no element type (run shape inference before writing)");
  const size_t count = outputs.size();
  const std::string name = suffix.empty() ? node_.name() : node_.name() + "/" + suffix;
  const size_t index = model_.add_layer(name, std::move(type), std::move(version), std::move(data),
                                        std::move(inputs), std::move(outputs));
  std::vector<PortRef> refs;
  for (size_t k = 0; k < count; ++k) refs.push_back(PortRef{index, k});
  return refs;
}

void EmitContext::bind_output(size_t i, PortRef ref) {
  const Value* value = node_.output(i);
  ports_[value] = ref;
  model_.output(ref).names.push_back(value->name());
}

void EmitContext::unsupported(const std::string& why) const {
  fail(ErrorCode::kUnsupported, node_.label(), ": cannot be written as OpenVINO IR: ", why);
}

const EmitterTable& emitter_table() {
  static const EmitterTable table = [] {
    EmitterTable t;
    register_elementwise_emitters(t);
    register_convolution_emitters(t);
    register_pooling_emitters(t);
    register_normalization_emitters(t);
    register_shape_emitters(t);
    register_slicing_emitters(t);
    register_reduction_emitters(t);
    register_resize_emitters(t);
    register_quantization_emitters(t);
    register_openvino_op_emitters(t);
    return t;
  }();
  return table;
}

}  // namespace octet::ir_writer
