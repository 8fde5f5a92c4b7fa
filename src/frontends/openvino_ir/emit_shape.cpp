// Layout and shape ops: Reshape, Flatten (-> Reshape), Transpose, Squeeze, Unsqueeze, Concat, Shape (->
// ShapeOf), Size, Tile, Expand / ConstantOfShape (-> Broadcast), Range, Gather, GatherElements,
// DepthToSpace, SpaceToDepth.
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

PortRef simple(EmitContext& ctx, const std::string& type, const std::string& version,
               std::vector<PortRef> inputs, IrData data = {}) {
  return ctx.layer(type, version, std::move(inputs), std::move(data), ctx.output_type(0),
                   ctx.output_shape(0));
}

PortRef reshape_layer(EmitContext& ctx, PortRef shape, bool special_zero) {
  IrData data;
  data.set_bool("special_zero", special_zero);
  return simple(ctx, "Reshape", "opset1", {ctx.input(0), shape}, std::move(data));
}

void emit_reshape(EmitContext& ctx) {
  const bool allow_zero = ctx.node().attribute_or<int64_t>("allowzero", 0) != 0;
  ctx.bind_output(0, reshape_layer(ctx, ctx.input(1), !allow_zero));
}

void emit_flatten(EmitContext& ctx) {
  const Shape& in = ctx.input_shape(0);
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  const int64_t axis = normalize_axis(ctx.node(), ctx.node().attribute_or<int64_t>("axis", 1), rank + 1);
  const Shape& out = ctx.output_shape(0);
  std::vector<int64_t> target;
  bool special_zero = false;
  if (out.is_static()) {
    target = out.dims();
  } else if (axis == 1) {
    target = {0, -1};  // keep the (dynamic) batch, flatten the rest
    special_zero = true;
  } else if (axis == 0) {
    target = {1, -1};
  } else {
    Dims tail(in.dims().begin() + axis, in.dims().end());
    if (has_dynamic(tail)) ctx.unsupported("flattening dynamic dims on both sides of the axis");
    target = {-1, element_count(tail)};
  }
  ctx.bind_output(0, reshape_layer(ctx, ctx.constant_i64(target, "shape"), special_zero));
}

void emit_transpose(EmitContext& ctx) {
  std::vector<int64_t> perm;
  if (ctx.node().has_attribute("perm")) {
    perm = ctx.node().attribute<std::vector<int64_t>>("perm");
  } else {
    for (int64_t i = static_cast<int64_t>(ctx.input_rank(0)) - 1; i >= 0; --i) perm.push_back(i);
  }
  ctx.bind_output(0, simple(ctx, "Transpose", "opset1", {ctx.input(0), ctx.constant_i64(perm, "order")}));
}

void emit_squeeze(EmitContext& ctx, const std::string& type) {
  std::vector<PortRef> inputs{ctx.input(0)};
  if (ctx.has_input(1)) inputs.push_back(ctx.input(1));
  if (type == "Unsqueeze" && inputs.size() < 2) ctx.unsupported("axes are required");
  ctx.bind_output(0, simple(ctx, type, "opset1", std::move(inputs)));
}

void emit_concat(EmitContext& ctx) {
  const Shape& out = ctx.output_shape(0);
  if (!out.rank_known()) ctx.unsupported("the output rank is unknown");
  IrData data;
  data.set_int("axis", normalize_axis(ctx.node(), ctx.node().attribute<int64_t>("axis"),
                                      static_cast<int64_t>(out.rank())));
  std::vector<PortRef> inputs;
  for (size_t i = 0; i < ctx.node().input_count(); ++i) inputs.push_back(ctx.input(i));
  ctx.bind_output(0, simple(ctx, "Concat", "opset1", std::move(inputs), std::move(data)));
}

void emit_shape_of(EmitContext& ctx) {
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  if (ctx.node().attribute_or<int64_t>("start", 0) != 0 ||
      ctx.node().attribute_or<int64_t>("end", rank) < rank)
    ctx.unsupported("start / end attributes");
  IrData data;
  data.set_string("output_type", "i64");
  ctx.bind_output(0, simple(ctx, "ShapeOf", "opset3", {ctx.input(0)}, std::move(data)));
}

void emit_size(EmitContext& ctx) {
  IrData data;
  data.set_string("output_type", "i64");
  const PortRef shape = ctx.layer("ShapeOf", "opset3", {ctx.input(0)}, std::move(data), ElementType::kI64,
                                  Shape({static_cast<int64_t>(ctx.input_rank(0))}), "shape");
  IrData reduce;
  reduce.set_bool("keep_dims", false);
  ctx.bind_output(
      0, simple(ctx, "ReduceProd", "opset1", {shape, ctx.constant_i64({0}, "axes")}, std::move(reduce)));
}

// ONNX Expand broadcasts both ways (the output takes the larger of each dim): Broadcast-3 bidirectional.
void emit_expand(EmitContext& ctx) {
  IrData data;
  data.set_string("mode", "bidirectional");
  ctx.bind_output(0, simple(ctx, "Broadcast", "opset3", {ctx.input(0), ctx.input(1)}, std::move(data)));
}

void emit_constant_of_shape(EmitContext& ctx) {
  const Node& node = ctx.node();
  Tensor value =
      node.has_attribute("value") ? node.attribute<Tensor>("value") : Tensor(ElementType::kF32, {});
  const PortRef scalar = ctx.constant(value.reshaped({}), "value");
  IrData data;
  data.set_string("mode", "numpy");
  ctx.bind_output(0, simple(ctx, "Broadcast", "opset3", {scalar, ctx.input(0)}, std::move(data)));
}

void emit_gather(EmitContext& ctx, const std::string& type, const std::string& version) {
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  const int64_t axis = normalize_axis(ctx.node(), ctx.node().attribute_or<int64_t>("axis", 0), rank);
  if (type == "GatherElements") {
    IrData data;
    data.set_int("axis", axis);
    ctx.bind_output(0, simple(ctx, type, version, {ctx.input(0), ctx.input(1)}, std::move(data)));
    return;
  }
  IrData data;
  data.set_int("batch_dims", 0);
  const PortRef axis_port = ctx.constant(Tensor::scalar<int64_t>(axis), "axis");
  ctx.bind_output(0, simple(ctx, type, version, {ctx.input(0), ctx.input(1), axis_port}, std::move(data)));
}

void emit_depth_space(EmitContext& ctx, const std::string& type) {
  IrData data;
  data.set_int("block_size", ctx.node().attribute<int64_t>("blocksize"));
  const std::string mode = ctx.node().attribute_or<std::string>("mode", "DCR");
  data.set_string("mode", mode == "CRD" ? "depth_first" : "blocks_first");
  ctx.bind_output(0, simple(ctx, type, "opset1", {ctx.input(0)}, std::move(data)));
}

}  // namespace

void register_shape_emitters(EmitterTable& t) {
  t["Reshape"] = emit_reshape;
  t["Flatten"] = emit_flatten;
  t["Transpose"] = emit_transpose;
  t["Squeeze"] = [](EmitContext& ctx) { emit_squeeze(ctx, "Squeeze"); };
  t["Unsqueeze"] = [](EmitContext& ctx) { emit_squeeze(ctx, "Unsqueeze"); };
  t["Concat"] = emit_concat;
  t["Shape"] = emit_shape_of;
  t["Size"] = emit_size;
  t["Tile"] = [](EmitContext& ctx) {
    ctx.bind_output(0, simple(ctx, "Tile", "opset1", {ctx.input(0), ctx.input(1)}));
  };
  t["Expand"] = emit_expand;
  t["ConstantOfShape"] = emit_constant_of_shape;
  t["Range"] = [](EmitContext& ctx) {
    IrData data;
    data.set_string("output_type", ir_element_type(ctx.output_type(0)));
    ctx.bind_output(
        0, simple(ctx, "Range", "opset4", {ctx.input(0), ctx.input(1), ctx.input(2)}, std::move(data)));
  };
  t["Gather"] = [](EmitContext& ctx) { emit_gather(ctx, "Gather", "opset8"); };
  t["GatherElements"] = [](EmitContext& ctx) { emit_gather(ctx, "GatherElements", "opset6"); };
  t["DepthToSpace"] = [](EmitContext& ctx) { emit_depth_space(ctx, "DepthToSpace"); };
  t["SpaceToDepth"] = [](EmitContext& ctx) { emit_depth_space(ctx, "SpaceToDepth"); };
}

}  // namespace octet::ir_writer
