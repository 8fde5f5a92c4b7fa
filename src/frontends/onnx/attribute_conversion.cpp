#include "frontends/onnx/attribute_conversion.h"

#include "frontends/onnx/tensor_conversion.h"
#include "octet/error.h"

namespace octet::onnx_frontend {
namespace {

using onnx::AttributeProto;

// Models written before IR version 0.0.2 leave `type` unset; the field that holds a value tells the type.
AttributeProto::AttributeType effective_type(const AttributeProto& a) {
  if (a.type() != AttributeProto::UNDEFINED) return a.type();
  if (a.has_f()) return AttributeProto::FLOAT;
  if (a.has_i()) return AttributeProto::INT;
  if (a.has_s()) return AttributeProto::STRING;
  if (a.has_t()) return AttributeProto::TENSOR;
  if (a.has_g()) return AttributeProto::GRAPH;
  if (a.floats_size() > 0) return AttributeProto::FLOATS;
  if (a.ints_size() > 0) return AttributeProto::INTS;
  if (a.strings_size() > 0) return AttributeProto::STRINGS;
  if (a.graphs_size() > 0) return AttributeProto::GRAPHS;
  return AttributeProto::UNDEFINED;
}

AttributeValue convert_attribute(const AttributeProto& a, const std::string& base_dir,
                                 const std::string& where) {
  switch (effective_type(a)) {
    case AttributeProto::FLOAT:
      return a.f();
    case AttributeProto::INT:
      return a.i();
    case AttributeProto::STRING:
      return a.s();
    case AttributeProto::TENSOR:
      return tensor_from_proto(a.t(), base_dir, where);
    case AttributeProto::FLOATS:
      return std::vector<float>(a.floats().begin(), a.floats().end());
    case AttributeProto::INTS:
      return std::vector<int64_t>(a.ints().begin(), a.ints().end());
    case AttributeProto::STRINGS:
      return std::vector<std::string>(a.strings().begin(), a.strings().end());
    case AttributeProto::GRAPH:
    case AttributeProto::GRAPHS:
      fail(ErrorCode::kUnsupported, where,
           " is a subgraph; control flow (If/Loop/Scan bodies) is not supported");
    case AttributeProto::UNDEFINED:
      fail(ErrorCode::kInvalidModel, where, " has no value");
    default:
      break;
  }
  fail(ErrorCode::kUnsupported, where, " has type ", AttributeProto::AttributeType_Name(effective_type(a)),
       ", which Octet does not support");
}

}  // namespace

bool is_subgraph_attribute(const AttributeProto& attribute) {
  const AttributeProto::AttributeType type = effective_type(attribute);
  return type == AttributeProto::GRAPH || type == AttributeProto::GRAPHS;
}

Attributes convert_attributes(const onnx::NodeProto& node, const std::string& base_dir,
                              const std::string& node_label) {
  Attributes out;
  for (const AttributeProto& a : node.attribute()) {
    const std::string where = str_cat(node_label, ": attribute '", a.name(), "'");
    OCTET_CHECK(!a.name().empty(), ErrorCode::kInvalidModel, node_label, ": an attribute has no name");
    OCTET_CHECK(a.ref_attr_name().empty(), ErrorCode::kUnsupported, where,
                " refers to a function attribute; ONNX functions are not supported");
    OCTET_CHECK(!out.contains(a.name()), ErrorCode::kInvalidModel, where, " is given twice");
    out.emplace(a.name(), convert_attribute(a, base_dir, where));
  }
  return out;
}

}  // namespace octet::onnx_frontend
