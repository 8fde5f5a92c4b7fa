#include "frontends/openvino_ir/ir_writer.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "frontends/openvino_ir/ir_emit_context.h"
#include "frontends/openvino_ir/ir_serializer.h"
#include "octet/error.h"

namespace octet {
namespace {

using ir_writer::EmitContext;
using ir_writer::IrData;
using ir_writer::IrModel;
using ir_writer::IrOutput;
using ir_writer::PortRef;

void add_parameters(const Graph& graph, IrModel& model, std::unordered_map<const Value*, PortRef>& ports) {
  for (const Value* input : graph.inputs()) {
    OCTET_CHECK(input->type() != ElementType::kUndefined, ErrorCode::kInvalidArgument, "graph input '",
                input->name(), "' has no element type");
    IrData data;
    data.set_string("shape", ir_writer::shape_attribute(input->shape()));
    data.set_string("element_type", ir_writer::ir_element_type(input->type()));
    const size_t layer = model.add_layer(input->name(), "Parameter", "opset1", std::move(data), {},
                                         {IrOutput{input->type(), input->shape(), {input->name()}}});
    ports[input] = PortRef{layer, 0};
  }
}

void add_nodes(const Graph& graph, IrModel& model, std::unordered_map<const Value*, PortRef>& ports) {
  const auto& emitters = ir_writer::emitter_table();
  for (const Node* node : graph.topological_order()) {
    auto it = emitters.find(node->op_type());
    OCTET_CHECK(it != emitters.end(), ErrorCode::kUnsupported, node->label(), ": op type '", node->op_type(),
                "' has no OpenVINO IR form in Octet's writer");
    EmitContext context(model, ports, *node);
    it->second(context);
    for (size_t i = 0; i < node->output_count(); ++i) {
      const Value* out = node->output(i);
      // An unused optional output may stay unbound; a used or graph output must be bound.
      const bool needed = !out->uses().empty() || graph.is_graph_output(out);
      OCTET_CHECK(!needed || ports.count(out), ErrorCode::kUnsupported, node->label(), ": output ", i, " ('",
                  out->name(), "') cannot be written as OpenVINO IR");
    }
  }
}

void add_results(const Graph& graph, IrModel& model, std::unordered_map<const Value*, PortRef>& ports) {
  for (const Value* output : graph.outputs()) {
    const PortRef from = ir_writer::port_of_value(model, ports, *output);
    auto& names = model.output(from).names;
    if (std::find(names.begin(), names.end(), output->name()) == names.end()) names.push_back(output->name());
    // Readers that name outputs after the producing layer (IR v10, and Octet's) then see the same name.
    const auto& producer = model.layers()[from.layer];
    if (producer.outputs.size() == 1 && producer.type != "Parameter" && producer.name != output->name())
      model.rename_layer(from.layer, output->name());
    model.add_layer(output->name() + "/sink_port_0", "Result", "opset1", {}, {from}, {});
  }
}

}  // namespace

void write_openvino_ir(const Graph& graph, const std::string& xml_path, IrVersion version) {
  const std::filesystem::path path(xml_path);
  OCTET_CHECK(path.extension() == ".xml", ErrorCode::kInvalidArgument, xml_path,
              ": an OpenVINO IR file name must end in .xml");
  try {
    IrModel model;
    std::unordered_map<const Value*, PortRef> ports;
    add_parameters(graph, model, ports);
    add_nodes(graph, model, ports);
    add_results(graph, model, ports);
    std::filesystem::path bin_path = path;
    bin_path.replace_extension(".bin");
    std::string name = path.stem().string();
    if (auto it = graph.metadata().find("name"); it != graph.metadata().end() && !it->second.empty())
      name = it->second;
    ir_writer::save_ir_files(model, name, version, xml_path, bin_path.string());
  } catch (const Error& e) {
    fail(e.code(), xml_path, ": ", e.what());
  }
}

}  // namespace octet
