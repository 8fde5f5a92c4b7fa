#include "frontends/onnx/onnx_writer.h"

#include <fstream>
#include <set>
#include <unordered_set>

#include "frontends/onnx/fake_quantize_export.h"
#include "frontends/onnx/onnx_element_type.h"
#include "frontends/onnx/tensor_conversion.h"
#include "octet/error.h"
#include "onnx/onnx.pb.h"

namespace octet {
namespace {

using onnx_frontend::onnx_data_type;

constexpr int64_t kOnnxOpset = 18;
constexpr int64_t kOnnxIrVersion = 8;  // the IR version that opset 18 needs
constexpr const char* kMicrosoftDomain = "com.microsoft";

// The com.microsoft ops of the internal op set (ops/README.md).
bool is_microsoft_op(const std::string& type) {
  static const std::set<std::string> kOps = {"QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool",
                                             "QLinearConcat"};
  return kOps.count(type) > 0;
}

// Ops of the internal op set that only OpenVINO IR has.
bool is_openvino_only_op(const std::string& type) {
  static const std::set<std::string> kOps = {"PriorBox",   "PriorBoxClustered", "DetectionOutput",
                                             "RegionYolo", "CTCGreedyDecoder",  "NormalizeL2",
                                             "MVN"};
  return kOps.count(type) > 0;
}

void set_type_and_shape(const Value& value, onnx::ValueInfoProto& info) {
  info.set_name(value.name());
  OCTET_CHECK(value.type() != ElementType::kUndefined, ErrorCode::kInvalidArgument, "value '", value.name(),
              "' has no element type (run shape inference before writing)");
  auto* tensor_type = info.mutable_type()->mutable_tensor_type();
  tensor_type->set_elem_type(onnx_data_type(value.type()));
  const Shape& shape = value.shape();
  if (!shape.rank_known()) return;
  auto* proto_shape = tensor_type->mutable_shape();
  for (size_t i = 0; i < shape.rank(); ++i) {
    auto* dim = proto_shape->add_dim();
    if (shape[i] == kDynamicDim) {
      dim->set_dim_param(value.name() + "_dim" + std::to_string(i));
    } else {
      dim->set_dim_value(shape[i]);
    }
  }
}

void add_attribute(const Node& node, const std::string& name, const AttributeValue& value,
                   onnx::NodeProto& proto) {
  onnx::AttributeProto* a = proto.add_attribute();
  a->set_name(name);
  // Cast keeps `to` as an element type name (ops/README.md); ONNX wants the TensorProto data type.
  if (node.op_type() == "Cast" && name == "to") {
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(onnx_data_type(element_type_from_string(std::get<std::string>(value))));
    return;
  }
  if (const auto* i = std::get_if<int64_t>(&value)) {
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(*i);
  } else if (const auto* f = std::get_if<float>(&value)) {
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(*f);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(*s);
  } else if (const auto* ints = std::get_if<std::vector<int64_t>>(&value)) {
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : *ints) a->add_ints(v);
  } else if (const auto* floats = std::get_if<std::vector<float>>(&value)) {
    a->set_type(onnx::AttributeProto::FLOATS);
    for (float v : *floats) a->add_floats(v);
  } else if (const auto* strings = std::get_if<std::vector<std::string>>(&value)) {
    a->set_type(onnx::AttributeProto::STRINGS);
    for (const auto& v : *strings) a->add_strings(v);
  } else {
    a->set_type(onnx::AttributeProto::TENSOR);
    onnx_frontend::tensor_to_proto(std::get<Tensor>(value), "", *a->mutable_t());
  }
}

class OnnxGraphWriter {
 public:
  OnnxGraphWriter(const Graph& graph, onnx::ModelProto& model) : graph_(graph), model_(model) {}

  void write() {
    onnx::GraphProto& g = *model_.mutable_graph();
    auto it = graph_.metadata().find("name");
    g.set_name(it != graph_.metadata().end() && !it->second.empty() ? it->second : "octet");
    for (const Value* input : graph_.inputs()) set_type_and_shape(*input, *g.add_input());
    for (const Node* node : graph_.topological_order()) write_node(*node);
    for (const Value* output : graph_.outputs()) {
      if (output->is_constant()) add_initializer(*output);
      set_type_and_shape(*output, *g.add_output());
    }
    model_.set_ir_version(kOnnxIrVersion);
    model_.set_producer_name("octet");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    if (uses_microsoft_) {
      auto* ms = model_.add_opset_import();
      ms->set_domain(kMicrosoftDomain);
      ms->set_version(1);
    }
  }

 private:
  void add_initializer(const Value& value) {
    if (!written_initializers_.insert(value.name()).second) return;
    onnx_frontend::tensor_to_proto(value.constant(), value.name(),
                                   *model_.mutable_graph()->add_initializer());
  }

  void write_node(const Node& node) {
    if (is_openvino_only_op(node.op_type()))
      fail(ErrorCode::kUnsupported, node.label(), ": op '", node.op_type(),
           "' exists only in OpenVINO IR; ONNX has no form for it");
    if (node.op_type() == "FakeQuantize") return write_fake_quantize(node);
    onnx::NodeProto& proto = *model_.mutable_graph()->add_node();
    proto.set_op_type(node.op_type());
    proto.set_name(node.name());
    if (is_microsoft_op(node.op_type())) {
      proto.set_domain(kMicrosoftDomain);
      uses_microsoft_ = true;
    }
    size_t present = node.input_count();
    while (present > 0 && !node.has_input(present - 1)) --present;  // trailing omitted inputs are dropped
    for (size_t i = 0; i < present; ++i) {
      const Value* input = node.input(i);
      if (input && input->is_constant()) add_initializer(*input);
      proto.add_input(input ? input->name() : "");
    }
    for (const Value* output : node.outputs()) proto.add_output(output->name());
    for (const auto& [name, value] : node.attributes()) add_attribute(node, name, value, proto);
    // Split-18 needs either the split input or num_outputs; the internal op also allows neither.
    if (node.op_type() == "Split" && !node.has_input(1) && !node.has_attribute("num_outputs")) {
      onnx::AttributeProto* a = proto.add_attribute();
      a->set_name("num_outputs");
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(static_cast<int64_t>(node.output_count()));
    }
  }

  void write_fake_quantize(const Node& node) {
    const onnx_frontend::QdqExport qdq = onnx_frontend::fake_quantize_to_qdq(node);
    onnx::GraphProto& g = *model_.mutable_graph();
    for (const auto& [name, tensor] : qdq.initializers) {
      OCTET_CHECK(written_initializers_.insert(name).second && !graph_.find_value(name),
                  ErrorCode::kUnsupported, node.label(), ": the name '", name,
                  "' for its quantization parameters is taken");
      onnx_frontend::tensor_to_proto(tensor, name, *g.add_initializer());
    }
    for (const auto& spec : qdq.nodes) {
      onnx::NodeProto& proto = *g.add_node();
      proto.set_op_type(spec.op_type);
      proto.set_name(spec.name);
      for (const auto& in : spec.inputs) proto.add_input(in);
      for (const auto& out : spec.outputs) proto.add_output(out);
      if (spec.axis) {
        onnx::AttributeProto* a = proto.add_attribute();
        a->set_name("axis");
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(*spec.axis);
      }
    }
  }

  const Graph& graph_;
  onnx::ModelProto& model_;
  std::unordered_set<std::string> written_initializers_;
  bool uses_microsoft_ = false;
};

}  // namespace

std::string write_onnx_to_bytes(const Graph& graph) {
  onnx::ModelProto model;
  OnnxGraphWriter(graph, model).write();
  std::string bytes;
  OCTET_CHECK(model.SerializeToString(&bytes), ErrorCode::kInternal,
              "the ONNX model could not be serialized");
  return bytes;
}

void write_onnx(const Graph& graph, const std::string& path) {
  std::string bytes;
  try {
    bytes = write_onnx_to_bytes(graph);
  } catch (const Error& e) {
    fail(e.code(), path, ": ", e.what());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  OCTET_CHECK(out.is_open(), ErrorCode::kIo, path, ": cannot open for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  OCTET_CHECK(!out.fail(), ErrorCode::kIo, path, ": write failed");
}

}  // namespace octet
