// The OpenVINO-only ops of the internal op set (ops/openvino_*.cpp) keep OpenVINO's names, inputs and
// attribute names, so they are written back as they were read: one layer, attributes copied to <data>.
#include <set>

#include "frontends/openvino_ir/ir_emit_context.h"

namespace octet::ir_writer {
namespace {

// The reader keeps booleans as int64 0/1; OpenVINO spells them true/false.
bool is_boolean_attribute(const std::string& name) {
  static const std::set<std::string> kBooleans = {"flip",
                                                  "clip",
                                                  "scale_all_sizes",
                                                  "min_max_aspect_ratios_order",
                                                  "share_location",
                                                  "normalized",
                                                  "decrease_label_id",
                                                  "variance_encoded_in_target",
                                                  "clip_after_nms",
                                                  "clip_before_nms",
                                                  "do_softmax",
                                                  "ctc_merge_repeated",
                                                  "normalize_variance",
                                                  "across_channels"};
  return kBooleans.count(name) > 0;
}

IrData copied_attributes(EmitContext& ctx) {
  IrData data;
  for (const auto& [name, value] : ctx.node().attributes()) {
    if (const auto* i = std::get_if<int64_t>(&value)) {
      if (is_boolean_attribute(name)) {
        data.set_bool(name, *i != 0);
      } else {
        data.set_int(name, *i);
      }
    } else if (const auto* f = std::get_if<float>(&value)) {
      data.set_string(name, format_float(*f));
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      data.set_string(name, *s);
    } else if (const auto* ints = std::get_if<std::vector<int64_t>>(&value)) {
      data.set_ints(name, *ints);
    } else if (const auto* floats = std::get_if<std::vector<float>>(&value)) {
      data.set_floats(name, *floats);
    } else {
      ctx.unsupported("attribute '" + name + "' has no IR spelling");
    }
  }
  return data;
}

void add_passthrough(EmitterTable& table, const std::string& type,
                     std::function<std::string(const Node&)> version) {
  table[type] = [type, version](EmitContext& ctx) {
    std::vector<PortRef> inputs;
    for (size_t i = 0; i < ctx.node().input_count(); ++i)
      if (ctx.has_input(i)) inputs.push_back(ctx.input(i));
    ctx.bind_output(0, ctx.layer(type, version(ctx.node()), std::move(inputs), copied_attributes(ctx),
                                 ctx.output_type(0), ctx.output_shape(0)));
  };
}

}  // namespace

void register_openvino_op_emitters(EmitterTable& t) {
  const auto opset1 = [](const Node&) { return std::string("opset1"); };
  add_passthrough(t, "PriorBoxClustered", opset1);
  add_passthrough(t, "RegionYolo", opset1);
  add_passthrough(t, "CTCGreedyDecoder", opset1);
  add_passthrough(t, "NormalizeL2", opset1);
  add_passthrough(t, "MVN", [](const Node&) { return std::string("opset6"); });
  // PriorBox-8 added min_max_aspect_ratios_order; DetectionOutput-8 dropped num_classes.
  add_passthrough(t, "PriorBox", [](const Node& node) {
    return std::string(node.has_attribute("min_max_aspect_ratios_order") ? "opset8" : "opset1");
  });
  add_passthrough(t, "DetectionOutput", [](const Node& node) {
    return std::string(node.has_attribute("num_classes") ? "opset1" : "opset8");
  });
}

}  // namespace octet::ir_writer
