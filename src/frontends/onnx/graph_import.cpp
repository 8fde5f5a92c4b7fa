#include "frontends/onnx/graph_import.h"

#include <functional>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "frontends/onnx/attribute_conversion.h"
#include "frontends/onnx/import_context.h"
#include "frontends/onnx/legacy_opsets.h"
#include "frontends/onnx/onnx_element_type.h"
#include "frontends/onnx/opset_normalization.h"
#include "frontends/onnx/tensor_conversion.h"
#include "octet/error.h"
#include "ops/op_registry.h"

namespace octet::onnx_frontend {
namespace {

constexpr std::string_view kMicrosoftDomain = "com.microsoft";

// The ONNX Runtime contrib ops the internal op set has (ops/README.md); they live in com.microsoft only.
bool is_microsoft_op(std::string_view op_type) {
  return op_type == "QLinearAdd" || op_type == "QLinearMul" || op_type == "QLinearGlobalAveragePool" ||
         op_type == "QLinearConcat";
}

// Internal ops that are not ONNX default-domain ops, so an ONNX node of that name is not one of them.
bool is_non_onnx_op(std::string_view op_type) {
  return op_type == "FakeQuantize" || op_type == "QLinearLookup" || op_type == "QLinearScaleShift" ||
         is_microsoft_op(op_type);
}

std::string canonical_domain(const std::string& domain) {
  return domain == "ai.onnx" ? "" : domain;
}

// Names every node: its own name, or `<OpType>_<index>` when it has none; repeated names get a suffix.
std::vector<std::string> claim_node_names(const onnx::GraphProto& proto, ImportContext& context) {
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(proto.node_size()));
  for (int i = 0; i < proto.node_size(); ++i) {
    const onnx::NodeProto& node = proto.node(i);
    names.push_back(
        context.claim_node_name(node.name().empty() ? str_cat(node.op_type(), "_", i) : node.name()));
  }
  return names;
}

std::string node_label(const onnx::NodeProto& node, const std::string& name) {
  return str_cat(node.op_type(), " '", name, "'");
}

void check_all_nodes_supported(const onnx::GraphProto& proto, const std::map<std::string, int64_t>& opsets,
                               const std::vector<std::string>& names) {
  std::vector<std::string> problems;
  std::set<std::string> op_types;
  for (int i = 0; i < proto.node_size(); ++i) {
    std::string reason;
    if (!node_is_supported(proto.node(i), opsets, reason)) {
      problems.push_back(str_cat(node_label(proto.node(i), names[static_cast<size_t>(i)]), ": ", reason));
      const std::string domain = canonical_domain(proto.node(i).domain());
      op_types.insert(domain.empty() ? proto.node(i).op_type() : domain + "." + proto.node(i).op_type());
    }
  }
  if (problems.empty()) return;
  std::string types;
  for (const std::string& t : op_types) types += (types.empty() ? "" : ", ") + t;
  std::string list;
  for (const std::string& p : problems) list += "\n  " + p;
  fail(ErrorCode::kUnsupported, problems.size(), " of ", proto.node_size(),
       " nodes are not supported (op types: ", types, "):", list);
}

ElementType value_info_type(const onnx::ValueInfoProto& info, const std::string& what) {
  OCTET_CHECK(info.type().has_tensor_type(), ErrorCode::kUnsupported, what,
              " is not a tensor (sequences, maps and optionals are not supported)");
  const int32_t elem_type = info.type().tensor_type().elem_type();
  OCTET_CHECK(elem_type != onnx::TensorProto::UNDEFINED, ErrorCode::kInvalidModel, what,
              " has no element type");
  const std::optional<ElementType> type = element_type_from_onnx(elem_type);
  OCTET_CHECK(type.has_value(), ErrorCode::kUnsupported, what, " has element type ",
              onnx_data_type_name(elem_type), ", which Octet does not support");
  return *type;
}

// Symbolic (dim_param) and unset dims are dynamic; a missing shape is an unknown rank.
Shape value_info_shape(const onnx::ValueInfoProto& info, const std::string& what) {
  const onnx::TypeProto::Tensor& tensor = info.type().tensor_type();
  if (!tensor.has_shape()) return Shape::unknown();
  Dims dims;
  for (const auto& dim : tensor.shape().dim()) {
    if (dim.has_dim_value()) {
      OCTET_CHECK(dim.dim_value() >= 0, ErrorCode::kInvalidModel, what, " has a negative dimension ",
                  dim.dim_value());
      dims.push_back(dim.dim_value());
    } else {
      dims.push_back(kDynamicDim);
    }
  }
  return Shape(std::move(dims));
}

struct TensorNames {
  std::unordered_set<std::string> initializers;
  std::unordered_set<std::string> graph_inputs;    // not shadowed by an initializer
  std::unordered_map<std::string, int> producers;  // node output -> node index
};

TensorNames collect_tensor_names(const onnx::GraphProto& proto, const std::vector<std::string>& names) {
  TensorNames out;
  for (const auto& init : proto.initializer()) {
    OCTET_CHECK(!init.name().empty(), ErrorCode::kInvalidModel, "an initializer has no name");
    OCTET_CHECK(out.initializers.insert(init.name()).second, ErrorCode::kInvalidModel, "initializer '",
                init.name(), "' is defined twice");
  }
  for (const auto& input : proto.input()) {
    OCTET_CHECK(!input.name().empty(), ErrorCode::kInvalidModel, "a graph input has no name");
    // An initializer listed as an input too (opset <= 8 style) is an overridable default: a constant here.
    if (out.initializers.contains(input.name())) continue;
    OCTET_CHECK(out.graph_inputs.insert(input.name()).second, ErrorCode::kInvalidModel, "graph input '",
                input.name(), "' is listed twice");
  }
  for (int i = 0; i < proto.node_size(); ++i) {
    for (const std::string& output : proto.node(i).output()) {
      if (output.empty()) continue;
      const std::string label = node_label(proto.node(i), names[static_cast<size_t>(i)]);
      OCTET_CHECK(!out.initializers.contains(output) && !out.graph_inputs.contains(output),
                  ErrorCode::kInvalidModel, label, ": output '", output,
                  "' has the name of a graph input or initializer");
      auto [it, inserted] = out.producers.emplace(output, i);
      OCTET_CHECK(inserted, ErrorCode::kInvalidModel, label, ": output '", output, "' is also produced by ",
                  node_label(proto.node(it->second), names[static_cast<size_t>(it->second)]));
    }
  }
  return out;
}

// Node indices in an order where producers come first (the model's own order when it is already sorted, as
// the ONNX spec requires but not every exporter does). Rejects references to missing tensors and cycles.
std::vector<int> topological_node_order(const onnx::GraphProto& proto, const TensorNames& tensors,
                                        const std::vector<std::string>& names) {
  const auto n = static_cast<size_t>(proto.node_size());
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<int>> consumers(n);
  for (int i = 0; i < proto.node_size(); ++i) {
    for (const std::string& input : proto.node(i).input()) {
      if (input.empty()) continue;
      auto it = tensors.producers.find(input);
      if (it != tensors.producers.end()) {
        ++pending[static_cast<size_t>(i)];
        consumers[static_cast<size_t>(it->second)].push_back(i);
        continue;
      }
      OCTET_CHECK(tensors.initializers.contains(input) || tensors.graph_inputs.contains(input),
                  ErrorCode::kInvalidModel, node_label(proto.node(i), names[static_cast<size_t>(i)]),
                  ": input '", input, "' is not a graph input, an initializer or the output of any node");
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push(static_cast<int>(i));
  std::vector<int> order;
  order.reserve(n);
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int c : consumers[static_cast<size_t>(i)])
      if (--pending[static_cast<size_t>(c)] == 0) ready.push(c);
  }
  if (order.size() != n) {
    for (size_t i = 0; i < n; ++i)
      if (pending[i] != 0)
        fail(ErrorCode::kInvalidModel, "the graph has a cycle through ",
             node_label(proto.node(static_cast<int>(i)), names[i]));
  }
  return order;
}

void add_initializers(const onnx::GraphProto& proto, const std::string& base_dir, const LoadLimits& limits,
                      Graph& graph) {
  ConstantBudget budget(limits);
  for (const auto& init : proto.initializer()) {
    const std::string what = str_cat("initializer '", init.name(), "'");
    // Before tensor_from_proto allocates: the dims alone may claim terabytes.
    const int64_t count = check_tensor_elements(Dims(init.dims().begin(), init.dims().end()), limits, what);
    const std::optional<ElementType> type = element_type_from_onnx(init.data_type());
    if (count > 0 && type.has_value()) budget.add(static_cast<uint64_t>(count) * size_of(*type), what);
    graph.add_constant(init.name(), tensor_from_proto(init, base_dir, what));
  }
}

void add_graph_inputs(const onnx::GraphProto& proto, const TensorNames& tensors, const LoadOptions& options,
                      Graph& graph) {
  for (const auto& [name, dims] : options.input_shapes) {
    if (tensors.graph_inputs.contains(name)) continue;
    std::string known;
    for (const auto& input : proto.input())
      if (tensors.graph_inputs.contains(input.name()))
        known += (known.empty() ? "'" : ", '") + input.name() + "'";
    fail(ErrorCode::kInvalidArgument, "a shape is given for input '", name,
         "', but the model has no such input (", known.empty() ? "it has none" : "its inputs: " + known, ")");
  }
  for (const auto& input : proto.input()) {
    if (!tensors.graph_inputs.contains(input.name())) continue;
    const std::string what = str_cat("graph input '", input.name(), "'");
    const ElementType type = value_info_type(input, what);
    Shape shape = value_info_shape(input, what);
    if (auto it = options.input_shapes.find(input.name()); it != options.input_shapes.end()) {
      for (int64_t d : it->second)
        OCTET_CHECK(d >= 0, ErrorCode::kInvalidArgument, "the shape given for input '", input.name(), "', ",
                    to_string(it->second), ", has a negative dimension");
      shape = Shape(it->second);
    }
    graph.add_input(input.name(), type, std::move(shape));
  }
}

OnnxNode to_onnx_node(const onnx::NodeProto& proto, const std::string& name, const std::string& base_dir,
                      Graph& graph) {
  OnnxNode node;
  node.op_type = proto.op_type();
  node.domain = canonical_domain(proto.domain());
  node.name = name;
  for (const std::string& input : proto.input()) {
    if (input.empty()) {
      node.inputs.push_back(nullptr);
      continue;
    }
    Value* value = graph.find_value(input);
    // Only possible when a rewrite dropped an output that is still read (the rewrite should have refused).
    OCTET_CHECK(value, ErrorCode::kInvalidModel, node.label(), ": input '", input, "' is not available");
    node.inputs.push_back(value);
  }
  node.outputs.assign(proto.output().begin(), proto.output().end());
  node.attributes = convert_attributes(proto, base_dir, node.label());
  return node;
}

void check_graph_outputs_exist(const onnx::GraphProto& proto, const TensorNames& tensors) {
  OCTET_CHECK(proto.output_size() > 0, ErrorCode::kInvalidModel, "the graph has no outputs");
  for (const auto& output : proto.output()) {
    OCTET_CHECK(!output.name().empty(), ErrorCode::kInvalidModel, "a graph output has no name");
    OCTET_CHECK(tensors.producers.contains(output.name()) || tensors.initializers.contains(output.name()) ||
                    tensors.graph_inputs.contains(output.name()),
                ErrorCode::kInvalidModel, "graph output '", output.name(),
                "' is not produced by any node and is not an input or initializer");
  }
}

void add_graph_outputs(const onnx::GraphProto& proto, Graph& graph) {
  for (const auto& output : proto.output()) {
    Value* value = graph.find_value(output.name());
    // Checked up front; only a rewrite that dropped a used output could get here.
    OCTET_CHECK(value, ErrorCode::kInvalidModel, "graph output '", output.name(), "' was not imported");
    graph.add_output(value);
  }
}

}  // namespace

bool node_is_supported(const onnx::NodeProto& node, const std::map<std::string, int64_t>& opsets,
                       std::string& reason) {
  const std::string domain = canonical_domain(node.domain());
  const OpRegistry& registry = OpRegistry::instance();
  for (const auto& attribute : node.attribute()) {
    if (is_subgraph_attribute(attribute)) {
      reason = str_cat("attribute '", attribute.name(), "' is a subgraph (control flow is not supported)");
      return false;
    }
  }
  auto opset = opsets.find(domain);
  if (domain.empty()) {
    if (opset == opsets.end()) {
      reason = "the model imports no opset for the default ONNX domain";
      return false;
    }
    if (opset->second < kFirstFullySupportedOpset &&
        !has_opset7_definition_at(node.op_type(), opset->second)) {
      reason = str_cat("the opset ", opset->second, " version of this op differs from its opset ",
                       kFirstFullySupportedOpset, " one; opsets below ", kFirstFullySupportedOpset,
                       " are supported only for ops that did not change until then");
      return false;
    }
    if (is_non_onnx_op(node.op_type())) {
      reason = "not an op of the default ONNX domain";
      return false;
    }
    // Without y_scale a QLinearConv is Octet's internal f32-output form (ops/qlinear_conv_matmul.cpp).
    constexpr int kYScale = 6;
    if (node.op_type() == "QLinearConv" && (node.input_size() <= kYScale || node.input(kYScale).empty())) {
      reason = "input 6 (y_scale) is missing; ONNX requires it";
      return false;
    }
    std::vector<std::string_view> needed = {node.op_type()};
    if (const NormalizationRule* rule = find_normalization_rule(node.op_type(), opset->second))
      needed = rule->emitted_ops;
    for (std::string_view op : needed) {
      if (!registry.find(op)) {
        reason = op == node.op_type() ? str_cat("unsupported op (opset ", opset->second, ")")
                                      : str_cat("needs op ", op, ", which is not supported");
        return false;
      }
    }
    return true;
  }
  if (domain == kMicrosoftDomain) {
    if (is_microsoft_op(node.op_type()) && registry.find(node.op_type())) return true;
    reason = "unsupported op of domain com.microsoft";
    return false;
  }
  reason = str_cat("domain '", domain, "' is not supported");
  return false;
}

Graph import_graph(const onnx::GraphProto& proto, const GraphImportSettings& settings) {
  Graph graph;
  auto default_opset = settings.opsets.find("");
  const int64_t opset = default_opset == settings.opsets.end() ? 0 : default_opset->second;

  // Names first, so that every message below names nodes as the imported graph will.
  ImportContext naming(graph, opset, {}, {});
  const std::vector<std::string> names = claim_node_names(proto, naming);
  // A broken file is reported as broken before asking whether its ops are supported.
  const TensorNames tensors = collect_tensor_names(proto, names);
  const std::vector<int> order = topological_node_order(proto, tensors, names);
  check_graph_outputs_exist(proto, tensors);
  if (!settings.skip_support_check) check_all_nodes_supported(proto, settings.opsets, names);

  std::unordered_set<std::string> reserved(tensors.initializers.begin(), tensors.initializers.end());
  reserved.insert(tensors.graph_inputs.begin(), tensors.graph_inputs.end());
  for (const auto& [name, _] : tensors.producers) reserved.insert(name);
  std::unordered_set<std::string> consumed;
  for (const auto& node : proto.node()) consumed.insert(node.input().begin(), node.input().end());
  for (const auto& output : proto.output()) consumed.insert(output.name());

  ImportContext context(graph, opset, std::move(reserved), std::move(consumed));
  for (const std::string& name : names) context.claim_node_name(name);
  add_initializers(proto, settings.base_dir, settings.options.limits, graph);
  add_graph_inputs(proto, tensors, settings.options, graph);
  for (int i : order) {
    const std::string& name = names[static_cast<size_t>(i)];
    import_node(context, to_onnx_node(proto.node(i), name, settings.base_dir, graph));
  }
  add_graph_outputs(proto, graph);
  return graph;
}

}  // namespace octet::onnx_frontend
