#include "tests/frontends/onnx_model_builder.h"

#include <fstream>

#include "frontends/onnx/tensor_conversion.h"
#include "octet/error.h"

namespace octet::testing {

OnnxModelBuilder::OnnxModelBuilder(int64_t opset, int64_t ir_version) {
  model_.set_ir_version(ir_version);
  model_.set_producer_name("octet-tests");
  model_.set_producer_version("1");
  auto* entry = model_.add_opset_import();
  entry->set_domain("");
  entry->set_version(opset);
  model_.mutable_graph()->set_name("test");
}

OnnxModelBuilder& OnnxModelBuilder::input(const std::string& name, int32_t elem_type,
                                          const std::vector<int64_t>& dims) {
  auto* info = model_.mutable_graph()->add_input();
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(elem_type);
  auto* shape = tensor->mutable_shape();
  for (int64_t d : dims) {
    if (d >= 0) {
      shape->add_dim()->set_dim_value(d);
    } else {
      shape->add_dim()->set_dim_param("N");
    }
  }
  return *this;
}

OnnxModelBuilder& OnnxModelBuilder::input_without_shape(const std::string& name, int32_t elem_type) {
  auto* info = model_.mutable_graph()->add_input();
  info->set_name(name);
  info->mutable_type()->mutable_tensor_type()->set_elem_type(elem_type);
  return *this;
}

OnnxModelBuilder& OnnxModelBuilder::output(const std::string& name, int32_t elem_type) {
  auto* info = model_.mutable_graph()->add_output();
  info->set_name(name);
  info->mutable_type()->mutable_tensor_type()->set_elem_type(elem_type);
  return *this;
}

OnnxModelBuilder& OnnxModelBuilder::initializer(const std::string& name, const Tensor& tensor) {
  *model_.mutable_graph()->add_initializer() = tensor_proto(tensor, name);
  return *this;
}

OnnxModelBuilder& OnnxModelBuilder::opset_import(const std::string& domain, int64_t version) {
  auto* entry = model_.add_opset_import();
  entry->set_domain(domain);
  entry->set_version(version);
  return *this;
}

onnx::NodeProto& OnnxModelBuilder::node(const std::string& op_type, const std::vector<std::string>& inputs,
                                        const std::vector<std::string>& outputs, const std::string& name) {
  auto* node = model_.mutable_graph()->add_node();
  node->set_op_type(op_type);
  node->set_name(name);
  for (const auto& i : inputs) node->add_input(i);
  for (const auto& o : outputs) node->add_output(o);
  return *node;
}

std::string OnnxModelBuilder::bytes() const {
  std::string out;
  OCTET_ASSERT(model_.SerializeToString(&out));
  return out;
}

void OnnxModelBuilder::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  const std::string b = bytes();
  out.write(b.data(), static_cast<std::streamsize>(b.size()));
  OCTET_ASSERT(out.good());
}

namespace {
onnx::AttributeProto& add_attribute(onnx::NodeProto& node, const std::string& name,
                                    onnx::AttributeProto::AttributeType type) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(type);
  return *a;
}
}  // namespace

void set_attribute(onnx::NodeProto& node, const std::string& name, int64_t value) {
  add_attribute(node, name, onnx::AttributeProto::INT).set_i(value);
}
void set_attribute(onnx::NodeProto& node, const std::string& name, float value) {
  add_attribute(node, name, onnx::AttributeProto::FLOAT).set_f(value);
}
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value) {
  add_attribute(node, name, onnx::AttributeProto::STRING).set_s(value);
}
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& values) {
  auto& a = add_attribute(node, name, onnx::AttributeProto::INTS);
  for (int64_t v : values) a.add_ints(v);
}
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<float>& values) {
  auto& a = add_attribute(node, name, onnx::AttributeProto::FLOATS);
  for (float v : values) a.add_floats(v);
}
void set_attribute(onnx::NodeProto& node, const std::string& name, const Tensor& value) {
  *add_attribute(node, name, onnx::AttributeProto::TENSOR).mutable_t() = tensor_proto(value, "");
}

onnx::TensorProto tensor_proto(const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  onnx_frontend::tensor_to_proto(tensor, name, proto);
  return proto;
}

}  // namespace octet::testing
