#include "frontends/openvino_ir/ir_reader.h"

#include <filesystem>
#include <set>

#include "frontends/openvino_ir/ir_bin_file.h"
#include "frontends/openvino_ir/ir_document.h"
#include "frontends/openvino_ir/ir_graph_validation.h"
#include "frontends/openvino_ir/ir_op_context.h"
#include "frontends/openvino_ir/ir_translator_table.h"
#include "io/binary_file.h"
#include "octet/error.h"
#include "ops/op_registry.h"
#include "ops/shape_inference.h"
#include "passes/generic/fold_constants.h"

namespace octet {
namespace {

using namespace openvino_ir;

bool is_const(const IrLayer& layer) {
  return layer.type == "Const" || layer.type == "Constant";
}
bool is_parameter(const IrLayer& layer) {
  return layer.type == "Parameter";
}
bool is_result(const IrLayer& layer) {
  return layer.type == "Result";
}
bool is_structural(const IrLayer& layer) {
  return is_const(layer) || is_parameter(layer) || is_result(layer);
}

// Every unsupported layer at once, like the ONNX frontend, so a user sees the whole gap in one run.
void check_all_layers_supported(const IrDocument& doc) {
  const OpRegistry& registry = OpRegistry::instance();
  std::vector<std::string> problems;
  std::set<std::string> types;
  for (const IrLayer& layer : doc.layers) {
    if (is_structural(layer)) continue;
    const IrTranslatorEntry* entry = IrTranslatorTable::instance().find(layer.type, layer.version);
    std::string reason;
    if (!entry) {
      reason = str_cat("unsupported op (version '", layer.version, "')");
    } else {
      for (const std::string& op : entry->emitted_ops)
        if (!registry.find(op)) reason = str_cat("needs internal op ", op, ", which is not supported");
    }
    if (reason.empty()) continue;
    problems.push_back(str_cat(layer.label(), ": ", reason));
    types.insert(str_cat(layer.type, "-", layer.version));
  }
  if (problems.empty()) return;
  std::string type_list;
  for (const std::string& t : types) type_list += (type_list.empty() ? "" : ", ") + t;
  std::string list;
  for (const std::string& p : problems) list += "\n  " + p;
  fail(ErrorCode::kUnsupported, problems.size(), " of ", doc.layers.size(),
       " layers are not supported (op types: ", type_list, "):", list);
}

// A Parameter's shape attribute: "1,3,224,224", "?,3,-1,224", "1..8,3,224,224" (ranges are dynamic).
Shape parse_parameter_shape(const IrLayer& layer) {
  const auto it = layer.data.find("shape");
  if (it == layer.data.end()) {
    OCTET_CHECK(!layer.outputs.empty(), ErrorCode::kInvalidModel, layer.label(),
                ": the Parameter has no output");
    return Shape(layer.outputs[0].dims);
  }
  const std::string& text = it->second;
  if (text == "...") return Shape::unknown();
  Dims dims;
  if (text.find_first_not_of(" \t") == std::string::npos) return Shape(dims);  // a scalar
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    int64_t d = kDynamicDim;
    if (item != "?" && item.find("..") == std::string::npos) {
      OCTET_CHECK(parse_int64(item, d) && d >= -1, ErrorCode::kInvalidModel, layer.label(), ": shape '", text,
                  "' is not a list of dimensions");
    }
    dims.push_back(d);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Shape(dims);
}

// v10 FP16 IRs declare f16 Parameters. Octet computes in f32 (f16 Consts are widened when read and Convert
// to f16 becomes Cast to f32), so such an input is an f32 graph input and the whole model stays f32.
ElementType parameter_type(const IrLayer& layer) {
  const auto it = layer.data.find("element_type");
  if (it == layer.data.end()) return ElementType::kF32;
  if (it->second == "boolean") return ElementType::kBool;
  const ElementType type = const_element_type(it->second, layer.label());
  return type == ElementType::kF16 ? ElementType::kF32 : type;
}

bool shapes_agree(const Shape& inferred, const Dims& declared) {
  if (!inferred.rank_known()) return true;
  if (inferred.rank() != declared.size()) return false;
  for (size_t i = 0; i < declared.size(); ++i)
    if (inferred[i] != kDynamicDim && declared[i] != kDynamicDim && inferred[i] != declared[i]) return false;
  return true;
}

class IrImporter {
 public:
  IrImporter(const IrDocument& doc, const IrBinFile& bin, const LoadOptions& options)
      : doc_(doc), bin_(bin), options_(options), constant_budget_(options.limits) {}

  Graph import() {
    const IrConnections connections = validate_ir_graph(doc_);
    check_all_layers_supported(doc_);
    value_names_.resize(doc_.layers.size());
    std::vector<Value*> outputs;
    for (size_t l : connections.order) {
      const IrLayer& layer = doc_.layers[l];
      value_names_[l].assign(layer.outputs.size(), "");
      if (is_parameter(layer)) {
        import_parameter(l);
      } else if (is_const(layer)) {
        import_const(l);
      } else if (is_result(layer)) {
        continue;
      } else {
        import_op(l, connections);
      }
    }
    // Results in file order: OpenVINO's output order.
    for (size_t l = 0; l < doc_.layers.size(); ++l) {
      if (!is_result(doc_.layers[l])) continue;
      OCTET_CHECK(connections.sources[l].size() == 1, ErrorCode::kInvalidModel, doc_.layers[l].label(),
                  ": a Result takes exactly one input");
      graph_.add_output(output_value(connections.sources[l][0]));
    }
    OCTET_CHECK(!graph_.outputs().empty(), ErrorCode::kInvalidModel, "the IR has no Result layer");
    for (const auto& [name, dims] : options_.input_shapes) {
      (void)dims;
      OCTET_CHECK(used_shape_overrides_.contains(name), ErrorCode::kInvalidArgument, "--shape names input '",
                  name, "', which the model does not have");
    }
    return std::move(graph_);
  }

 private:
  const IrLayer& layer(size_t l) const { return doc_.layers[l]; }

  // OpenVINO names an output after its layer, with ".<index>" when the layer has several outputs.
  std::string output_name(size_t l, size_t o) const {
    return layer(l).outputs.size() == 1 ? layer(l).name : str_cat(layer(l).name, ".", o);
  }

  Value* value_of(const PortSource& source) const {
    const std::string& name = value_names_[source.layer][source.output];
    Value* v = name.empty() ? nullptr : graph_.find_value(name);
    OCTET_CHECK(v != nullptr, ErrorCode::kUnsupported, layer(source.layer).label(), ": output ",
                source.output, " is used but its translation does not produce it");
    return v;
  }

  // The value a Result reads, named after the producer as OpenVINO names it (an Identity is added when the
  // producer passed another layer's value through, so the output still gets its own name).
  Value* output_value(const PortSource& source) {
    Value* v = value_of(source);
    const std::string wanted = output_name(source.layer, source.output);
    if (v->name() == wanted || graph_.find_value(wanted) != nullptr || graph_.is_graph_output(v)) return v;
    Node* identity = graph_.add_node("Identity", graph_.unique_name(wanted + "/identity"), {v}, {wanted});
    infer_node(*identity);
    return identity->output(0);
  }

  void name_output(size_t l, size_t o, Value* v) { value_names_[l][o] = v->name(); }

  void import_parameter(size_t l) {
    const IrLayer& p = layer(l);
    OCTET_CHECK(p.inputs.empty() && p.outputs.size() == 1, ErrorCode::kInvalidModel, p.label(),
                ": a Parameter has no inputs and one output");
    Shape shape = parse_parameter_shape(p);
    if (auto it = options_.input_shapes.find(p.name); it != options_.input_shapes.end()) {
      shape = Shape(it->second);
      used_shape_overrides_.insert(p.name);
    }
    OCTET_CHECK(graph_.find_value(p.name) == nullptr, ErrorCode::kInvalidModel, p.label(),
                ": the name is used twice");
    Value* input = graph_.add_input(p.name, parameter_type(p), shape);
    if (doc_.mean_pre_process && doc_.mean_pre_process->input_name == p.name) input = subtract_mean(p, input);
    name_output(l, 0, input);
  }

  // Legacy <pre-process> means: the old Inference Engine subtracted them from the input, so a Sub does.
  Value* subtract_mean(const IrLayer& p, Value* input) {
    const std::vector<float>& means = doc_.mean_pre_process->channel_means;
    const Shape& shape = input->shape();
    OCTET_CHECK(shape.rank_known() && shape.rank() >= 2 && input->type() == ElementType::kF32,
                ErrorCode::kUnsupported, p.label(), ": <pre-process> means need an f32 input of known rank");
    OCTET_CHECK(shape[1] == kDynamicDim || shape[1] == static_cast<int64_t>(means.size()),
                ErrorCode::kInvalidModel, p.label(), ": <pre-process> has ", means.size(),
                " channel means but the input has ", shape[1], " channels");
    Dims mean_dims(shape.rank(), 1);
    mean_dims[1] = static_cast<int64_t>(means.size());
    Value* mean = graph_.add_constant(graph_.unique_name(p.name + "/mean"),
                                      Tensor::from_vector<float>(mean_dims, means));
    Node* sub = graph_.add_node("Sub", graph_.unique_name(p.name + "/subtract_mean"), {input, mean},
                                {graph_.unique_name(p.name + "/mean_subtracted")});
    infer_node(*sub);
    return sub->output(0);
  }

  void import_const(size_t l) {
    const IrLayer& c = layer(l);
    const std::string where = c.label();
    OCTET_CHECK(c.inputs.empty() && c.outputs.size() == 1, ErrorCode::kInvalidModel, where,
                ": a Const has no inputs and one output");
    const auto attr = [&](const char* key) -> const std::string& {
      const auto it = c.data.find(key);
      OCTET_CHECK(it != c.data.end(), ErrorCode::kInvalidModel, where, ": attribute '", key, "' is missing");
      return it->second;
    };
    const ElementType type = const_element_type(attr("element_type"), where);
    Dims dims;
    if (c.data.contains("shape")) {
      dims = parse_static_dims(attr("shape"), where);
    } else {
      for (int64_t d : c.outputs[0].dims)
        OCTET_CHECK(d >= 0, ErrorCode::kInvalidModel, where, ": a Const cannot have a dynamic dimension");
      dims = c.outputs[0].dims;
    }
    OCTET_CHECK(shapes_agree(Shape(dims), c.outputs[0].dims), ErrorCode::kInvalidModel, where, ": shape ",
                to_string(dims), " differs from the output port's dims ", to_string(c.outputs[0].dims));
    uint64_t offset = 0;
    uint64_t size = 0;
    OCTET_CHECK(parse_uint64(attr("offset"), offset), ErrorCode::kInvalidModel, where, ": offset '",
                attr("offset"), "' is not a non-negative integer");
    OCTET_CHECK(parse_uint64(attr("size"), size), ErrorCode::kInvalidModel, where, ": size '", attr("size"),
                "' is not a non-negative integer");
    // Before read_tensor allocates: the shape attribute alone may claim terabytes.
    const int64_t count = check_tensor_elements(dims, options_.limits, where);
    if (count > 0) constant_budget_.add(static_cast<uint64_t>(count) * size_of(type), where);
    Tensor tensor = bin_.read_tensor(type, dims, offset, size, where);
    Value* v = graph_.add_constant(graph_.unique_name(c.name.empty() ? "const" : c.name), std::move(tensor));
    name_output(l, 0, v);
  }

  void import_op(size_t l, const IrConnections& connections) {
    const IrLayer& op = layer(l);
    std::vector<Value*> inputs;
    for (const PortSource& s : connections.sources[l]) inputs.push_back(value_of(s));
    const IrTranslatorEntry* entry = IrTranslatorTable::instance().find(op.type, op.version);
    OCTET_ASSERT(entry != nullptr);  // check_all_layers_supported ran first
    IrOpContext context(graph_, op, inputs, connections.output_used[l]);
    std::vector<Value*> outputs = entry->translate(context);
    OCTET_CHECK(outputs.size() == op.outputs.size(), ErrorCode::kInvalidModel, op.label(), ": the layer has ",
                op.outputs.size(), " output ports, but the op has ", outputs.size(), " outputs");
    const std::set<Value*> passed_through(inputs.begin(), inputs.end());
    for (size_t o = 0; o < outputs.size(); ++o) {
      Value* v = outputs[o];
      if (!v) continue;
      if (!passed_through.contains(v) && !graph_.find_value(output_name(l, o)))
        graph_.rename_value(v, output_name(l, o));
      if (options_.input_shapes.empty()) {
        OCTET_CHECK(shapes_agree(v->shape(), op.outputs[o].dims), ErrorCode::kInvalidModel, op.label(),
                    ": output port ", op.outputs[o].id, " declares dims ", to_string(op.outputs[o].dims),
                    " but the op computes ", v->shape().to_string());
      }
      name_output(l, o, v);
    }
  }

  const IrDocument& doc_;
  const IrBinFile& bin_;
  const LoadOptions& options_;
  ConstantBudget constant_budget_;
  Graph graph_;
  std::vector<std::vector<std::string>> value_names_;
  std::set<std::string> used_shape_overrides_;
};

bool has_const_layers(const IrDocument& doc) {
  for (const IrLayer& l : doc.layers)
    if (is_const(l)) return true;
  return false;
}

Graph load(const IrDocument& doc, const IrBinFile& bin, const LoadOptions& options, const std::string& path) {
  check_node_count(static_cast<int64_t>(doc.layers.size()), options.limits);
  check_input_shape_limits(options);
  Graph graph = IrImporter(doc, bin, options).import();
  auto& meta = graph.metadata();
  meta["format"] = "openvino_ir";
  meta["ir_version"] = std::to_string(doc.ir_version);
  meta["name"] = doc.name;
  meta["path"] = path;
  fold_constants(graph);
  infer_shapes(graph);
  check_graph_limits(graph, options.limits);
  return graph;
}

template <typename F>
Graph with_source_in_errors(const std::string& source, F&& read) {
  try {
    return read();
  } catch (const Error& e) {
    fail(e.code(), source, ": ", e.what());
  } catch (const std::bad_alloc&) {
    fail(ErrorCode::kInvalidModel, source, ": out of memory while loading (a tensor is too large)");
  }
}

}  // namespace

Graph read_openvino_ir(const std::string& xml_path, const LoadOptions& options) {
  return with_source_in_errors(xml_path, [&] {
    const IrDocument doc = parse_ir_document(read_binary_file(xml_path));
    IrBinFile bin;
    if (has_const_layers(doc)) {
      const std::string bin_path = std::filesystem::path(xml_path).replace_extension(".bin").string();
      bin = IrBinFile(read_binary_file(bin_path));
    }
    return load(doc, bin, options, xml_path);
  });
}

Graph read_openvino_ir_from_memory(const std::string& xml, const std::string& bin,
                                   const LoadOptions& options) {
  return with_source_in_errors("in-memory OpenVINO IR",
                               [&] { return load(parse_ir_document(xml), IrBinFile(bin), options, ""); });
}

}  // namespace octet
