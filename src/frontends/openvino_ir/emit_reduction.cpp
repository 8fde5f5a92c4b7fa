// ReduceMean/Max/Min/Sum/Prod -> the opset1 reductions, ReduceL1/L2 -> opset4, TopK -> TopK-3.
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

void emit_reduce(EmitContext& ctx, const std::string& type, const std::string& version) {
  const Node& node = ctx.node();
  const bool keep = node.attribute_or<int64_t>("keepdims", 1) != 0;
  const Tensor* axes_tensor = ctx.constant_input(1);
  const bool no_axes = !ctx.has_input(1) || (axes_tensor && axes_tensor->element_count() == 0);
  PortRef axes;
  if (no_axes) {
    if (node.attribute_or<int64_t>("noop_with_empty_axes", 0) != 0) return ctx.bind_output(0, ctx.input(0));
    std::vector<int64_t> all;
    for (int64_t i = 0; i < static_cast<int64_t>(ctx.input_rank(0)); ++i) all.push_back(i);
    axes = ctx.constant_i64(all, "axes");
  } else {
    axes = ctx.input(1);
  }
  IrData data;
  data.set_bool("keep_dims", keep);
  ctx.bind_output(0, ctx.layer(type, version, {ctx.input(0), axes}, std::move(data), ctx.output_type(0),
                               ctx.output_shape(0)));
}

void emit_top_k(EmitContext& ctx) {
  const Node& node = ctx.node();
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  PortRef k = reshape_to(ctx, ctx.input(1), node.input(1), {}, "k");
  IrData data;
  data.set_int("axis", normalize_axis(node, node.attribute_or<int64_t>("axis", -1), rank));
  data.set_string("mode", node.attribute_or<int64_t>("largest", 1) != 0 ? "max" : "min");
  data.set_string("sort", node.attribute_or<int64_t>("sorted", 1) != 0 ? "value" : "none");
  data.set_string("index_element_type", "i64");
  const auto outs = ctx.layer("TopK", "opset3", {ctx.input(0), k}, std::move(data),
                              {IrOutput{ctx.output_type(0), ctx.output_shape(0), {}},
                               IrOutput{ctx.output_type(1), ctx.output_shape(1), {}}});
  ctx.bind_output(0, outs[0]);
  ctx.bind_output(1, outs[1]);
}

}  // namespace

void register_reduction_emitters(EmitterTable& t) {
  const std::pair<const char*, const char*> opset1[] = {
      {"ReduceMean", "ReduceMean"}, {"ReduceMax", "ReduceMax"},   {"ReduceMin", "ReduceMin"},
      {"ReduceSum", "ReduceSum"},   {"ReduceProd", "ReduceProd"}, {"ReduceL1", "ReduceL1"},
      {"ReduceL2", "ReduceL2"}};
  for (const auto& [onnx, ir] : opset1) {
    const std::string version = std::string(ir).starts_with("ReduceL") ? "opset4" : "opset1";
    t[onnx] = [ir = std::string(ir), version](EmitContext& ctx) { emit_reduce(ctx, ir, version); };
  }
  t["TopK"] = emit_top_k;
}

}  // namespace octet::ir_writer
