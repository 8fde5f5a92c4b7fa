// Slice -> StridedSlice (constant starts/ends/axes/steps) or Slice-8 (computed ones), Split -> Split or
// VariadicSplit, Pad -> Pad-1 (Pad-12 when some pad is negative).
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

std::vector<int64_t> int_values(const Tensor* tensor) {
  return tensor ? tensor->to_int64_vector() : std::vector<int64_t>{};
}

void emit_slice_8(EmitContext& ctx) {
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  std::vector<PortRef> inputs{ctx.input(0), ctx.input(1), ctx.input(2)};
  const Shape& starts = ctx.input_shape(1);
  if (!starts.is_static() || starts.rank() != 1) ctx.unsupported("starts must have static 1-D dims");
  const size_t n = static_cast<size_t>(starts[0]);
  inputs.push_back(ctx.has_input(4) ? ctx.input(4) : ctx.constant_i64(std::vector<int64_t>(n, 1), "steps"));
  if (ctx.has_input(3)) {
    inputs.push_back(ctx.input(3));
  } else {
    std::vector<int64_t> axes;
    for (int64_t i = 0; i < static_cast<int64_t>(n) && i < rank; ++i) axes.push_back(i);
    inputs.push_back(ctx.constant_i64(axes, "axes"));
  }
  ctx.bind_output(
      0, ctx.layer("Slice", "opset8", std::move(inputs), {}, ctx.output_type(0), ctx.output_shape(0)));
}

void emit_slice(EmitContext& ctx) {
  const Tensor* starts_t = ctx.constant_input(1);
  const Tensor* ends_t = ctx.constant_input(2);
  const bool axes_ok = !ctx.has_input(3) || ctx.constant_input(3);
  const bool steps_ok = !ctx.has_input(4) || ctx.constant_input(4);
  if (!starts_t || !ends_t || !axes_ok || !steps_ok) return emit_slice_8(ctx);
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  const std::vector<int64_t> starts = int_values(starts_t);
  const std::vector<int64_t> ends = int_values(ends_t);
  std::vector<int64_t> axes = int_values(ctx.constant_input(3));
  if (!ctx.has_input(3))
    for (int64_t i = 0; i < static_cast<int64_t>(starts.size()); ++i) axes.push_back(i);
  std::vector<int64_t> steps = int_values(ctx.constant_input(4));
  if (!ctx.has_input(4)) steps.assign(starts.size(), 1);
  OCTET_CHECK(ends.size() == starts.size() && axes.size() == starts.size() && steps.size() == starts.size(),
              ErrorCode::kInvalidModel, ctx.node().label(),
              ": starts, ends, axes and steps differ in length");
  // StridedSlice takes per-axis vectors from axis 0; axes that are not sliced are masked (taken whole).
  int64_t length = 0;
  for (int64_t& axis : axes) {
    axis = normalize_axis(ctx.node(), axis, rank);
    length = std::max(length, axis + 1);
  }
  std::vector<int64_t> begin(length, 0), end(length, 0), stride(length, 1), begin_mask(length, 1),
      end_mask(length, 1);
  for (size_t i = 0; i < axes.size(); ++i) {
    const auto a = static_cast<size_t>(axes[i]);
    begin[a] = starts[i];
    end[a] = ends[i];
    stride[a] = steps[i];
    begin_mask[a] = 0;
    end_mask[a] = 0;
  }
  IrData data;
  data.set_ints("begin_mask", begin_mask);
  data.set_ints("end_mask", end_mask);
  data.set_ints("new_axis_mask", std::vector<int64_t>(length, 0));
  data.set_ints("shrink_axis_mask", std::vector<int64_t>(length, 0));
  data.set_ints("ellipsis_mask", std::vector<int64_t>(length, 0));
  ctx.bind_output(0, ctx.layer("StridedSlice", "opset1",
                               {ctx.input(0), ctx.constant_i64(begin, "begin"), ctx.constant_i64(end, "end"),
                                ctx.constant_i64(stride, "stride")},
                               std::move(data), ctx.output_type(0), ctx.output_shape(0)));
}

void emit_split(EmitContext& ctx) {
  const Node& node = ctx.node();
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  const int64_t axis = normalize_axis(node, node.attribute_or<int64_t>("axis", 0), rank);
  std::vector<int64_t> lengths;
  std::vector<IrOutput> outputs;
  for (size_t i = 0; i < node.output_count(); ++i) {
    const Shape& s = ctx.output_shape(i);
    lengths.push_back(s.rank_known() ? s[static_cast<size_t>(axis)] : kDynamicDim);
    outputs.push_back(IrOutput{ctx.output_type(i), s, {}});
  }
  const PortRef axis_port = ctx.constant(Tensor::scalar<int64_t>(axis), "axis");
  std::vector<PortRef> ports;
  if (!has_dynamic(lengths)) {
    ports =
        ctx.layer("VariadicSplit", "opset1", {ctx.input(0), axis_port, ctx.constant_i64(lengths, "lengths")},
                  {}, std::move(outputs));
  } else {
    if (ctx.has_input(1)) ctx.unsupported("split lengths over a dynamic axis");
    IrData data;
    data.set_int("num_splits", static_cast<int64_t>(node.output_count()));
    ports = ctx.layer("Split", "opset1", {ctx.input(0), axis_port}, std::move(data), std::move(outputs));
  }
  for (size_t i = 0; i < ports.size(); ++i) ctx.bind_output(i, ports[i]);
}

void emit_pad(EmitContext& ctx) {
  const Node& node = ctx.node();
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  const std::vector<int64_t> pads = ctx.required_constant(1, "pads").to_int64_vector();
  std::vector<int64_t> axes;
  if (ctx.has_input(3)) {
    for (int64_t a : ctx.required_constant(3, "axes").to_int64_vector())
      axes.push_back(normalize_axis(node, a, rank));
  } else {
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  OCTET_CHECK(pads.size() == 2 * axes.size(), ErrorCode::kInvalidModel, node.label(), ": pads has ",
              pads.size(), " entries for ", axes.size(), " axes");
  std::vector<int64_t> begin(static_cast<size_t>(rank), 0), end(static_cast<size_t>(rank), 0);
  bool negative = false;
  for (size_t i = 0; i < axes.size(); ++i) {
    begin[static_cast<size_t>(axes[i])] = pads[i];
    end[static_cast<size_t>(axes[i])] = pads[axes.size() + i];
    negative = negative || pads[i] < 0 || pads[axes.size() + i] < 0;
  }
  const std::string mode = node.attribute_or<std::string>("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge") ctx.unsupported("pad mode '" + mode + "'");
  IrData data;
  data.set_string("pad_mode", mode);
  std::vector<PortRef> inputs{ctx.input(0), ctx.constant_i64(begin, "pads_begin"),
                              ctx.constant_i64(end, "pads_end")};
  if (mode == "constant") {
    const Tensor* value = ctx.constant_input(2);
    if (ctx.has_input(2) && !(value && value->element_count() == 0)) {
      inputs.push_back(ctx.input(2));
    } else {
      inputs.push_back(ctx.constant(Tensor(ctx.input_type(0), {}), "pad_value"));
    }
  }
  ctx.bind_output(0, ctx.layer("Pad", negative ? "opset12" : "opset1", std::move(inputs), std::move(data),
                               ctx.output_type(0), ctx.output_shape(0)));
}

}  // namespace

void register_slicing_emitters(EmitterTable& t) {
  t["Slice"] = emit_slice;
  t["Split"] = emit_split;
  t["Pad"] = emit_pad;
}

}  // namespace octet::ir_writer
