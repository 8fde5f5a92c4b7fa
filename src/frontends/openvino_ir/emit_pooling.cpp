// MaxPool -> MaxPool (opset1, or opset8 for dilations), AveragePool -> AvgPool, GlobalAveragePool /
// GlobalMaxPool -> ReduceMean / ReduceMax over the spatial axes, LRN -> LRN. Pads are written explicit when
// the input dims are known; ceil_mode then becomes extra end padding wherever that means the same.
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/convolution_kernel.h"

namespace octet::ir_writer {
namespace {

struct PoolWindow {
  Dims kernel, strides, dilations;
  ConvPadding padding;
  bool ceil_mode = false;
  bool known = false;  // pads and output dims are all static
};

PoolWindow pool_window(EmitContext& ctx) {
  const Node& node = ctx.node();
  const size_t rank = ctx.input_rank(0);
  if (rank < 3) ctx.unsupported("the input needs a spatial axis");
  const Dims& x = ctx.input_shape(0).dims();
  PoolWindow w;
  const size_t r = rank - 2;
  if (!node.has_attribute("kernel_shape")) ctx.unsupported("attribute 'kernel_shape' is missing");
  w.kernel = spatial_attribute(node, "kernel_shape", r, 1);
  w.strides = spatial_attribute(node, "strides", r, 1);
  w.dilations = spatial_attribute(node, "dilations", r, 1);
  w.ceil_mode = node.attribute_or<int64_t>("ceil_mode", 0) != 0;
  w.padding = conv_padding(node, Dims(x.begin() + 2, x.end()), w.kernel, w.strides, w.dilations, w.ceil_mode);
  w.known = !has_dynamic(w.padding.begin) && !has_dynamic(w.padding.end) && !has_dynamic(w.padding.out);
  return w;
}

// Pads such that floor rounding yields the ceil_mode output: the overhang becomes end padding.
Dims floor_mode_pads_end(const PoolWindow& w, const Dims& in) {
  Dims end = w.padding.end;
  for (size_t i = 0; i < end.size(); ++i) {
    const int64_t extent = (w.kernel[i] - 1) * w.dilations[i] + 1;
    end[i] = std::max(end[i], (w.padding.out[i] - 1) * w.strides[i] + extent - in[i] - w.padding.begin[i]);
  }
  return end;
}

// strides, pads_begin, pads_end, kernel, rounding_type, auto_pad; `overhang_as_pads` turns ceil_mode into
// end padding (right for max, and for averages that exclude the padding).
IrData window_data(EmitContext& ctx, const PoolWindow& w, bool overhang_as_pads, bool with_dilations) {
  IrData data;
  data.set_ints("strides", w.strides);
  if (with_dilations) data.set_ints("dilations", w.dilations);
  const std::string auto_pad = ctx.node().attribute_or<std::string>("auto_pad", "NOTSET");
  if (w.known) {
    const Dims& x = ctx.input_shape(0).dims();
    const Dims in(x.begin() + 2, x.end());
    const bool as_pads = w.ceil_mode && overhang_as_pads;
    data.set_ints("pads_begin", w.padding.begin);
    data.set_ints("pads_end", as_pads ? floor_mode_pads_end(w, in) : w.padding.end);
    data.set_ints("kernel", w.kernel);
    data.set_string("rounding_type", w.ceil_mode && !as_pads ? "ceil" : "floor");
    data.set_string("auto_pad", "explicit");
    return data;
  }
  if (auto_pad == "NOTSET" && w.ceil_mode) ctx.unsupported("ceil_mode with dynamic input dims");
  const Dims zeros(w.kernel.size(), 0);
  data.set_ints("pads_begin", auto_pad == "NOTSET" ? w.padding.begin : zeros);
  data.set_ints("pads_end", auto_pad == "NOTSET" ? w.padding.end : zeros);
  data.set_ints("kernel", w.kernel);
  data.set_string("rounding_type", "floor");
  data.set_string("auto_pad", ir_auto_pad(auto_pad));
  return data;
}

void emit_max_pool(EmitContext& ctx) {
  const Node& node = ctx.node();
  if (node.output_count() > 1 && !node.output(1)->uses().empty())
    ctx.unsupported("the Indices output is used");
  const PoolWindow w = pool_window(ctx);
  const bool dilated = std::any_of(w.dilations.begin(), w.dilations.end(), [](int64_t d) { return d != 1; });
  if (!dilated) {
    ctx.bind_output(0, ctx.layer("MaxPool", "opset1", {ctx.input(0)}, window_data(ctx, w, true, false),
                                 ctx.output_type(0), ctx.output_shape(0)));
    return;
  }
  IrData data = window_data(ctx, w, true, true);
  data.set_string("index_element_type", "i64");
  data.set_int("axis", 0);
  const auto outs = ctx.layer("MaxPool", "opset8", {ctx.input(0)}, std::move(data),
                              {IrOutput{ctx.output_type(0), ctx.output_shape(0), {}},
                               IrOutput{ElementType::kI64, ctx.output_shape(0), {}}});
  ctx.bind_output(0, outs[0]);
}

void emit_average_pool(EmitContext& ctx) {
  const PoolWindow w = pool_window(ctx);
  if (std::any_of(w.dilations.begin(), w.dilations.end(), [](int64_t d) { return d != 1; }))
    ctx.unsupported("AvgPool has no dilations");
  const bool include_pad = ctx.node().attribute_or<int64_t>("count_include_pad", 0) != 0;
  IrData data = window_data(ctx, w, !include_pad, false);
  data.set_bool("exclude-pad", !include_pad);
  ctx.bind_output(0, ctx.layer("AvgPool", "opset1", {ctx.input(0)}, std::move(data), ctx.output_type(0),
                               ctx.output_shape(0)));
}

void emit_global_pool(EmitContext& ctx, const std::string& reduce) {
  const size_t rank = ctx.input_rank(0);
  std::vector<int64_t> axes;
  for (size_t i = 2; i < rank; ++i) axes.push_back(static_cast<int64_t>(i));
  IrData data;
  data.set_bool("keep_dims", true);
  ctx.bind_output(0, ctx.layer(reduce, "opset1", {ctx.input(0), ctx.constant_i64(axes, "axes")},
                               std::move(data), ctx.output_type(0), ctx.output_shape(0)));
}

void emit_lrn(EmitContext& ctx) {
  const Node& node = ctx.node();
  IrData data;
  data.set_float("alpha", node.attribute_or<float>("alpha", 0.0001f));
  data.set_float("beta", node.attribute_or<float>("beta", 0.75f));
  data.set_float("bias", node.attribute_or<float>("bias", 1.0f));
  data.set_int("size", node.attribute<int64_t>("size"));
  ctx.bind_output(0, ctx.layer("LRN", "opset1", {ctx.input(0), ctx.constant_i64({1}, "axes")},
                               std::move(data), ctx.output_type(0), ctx.output_shape(0)));
}

}  // namespace

void register_pooling_emitters(EmitterTable& t) {
  t["MaxPool"] = emit_max_pool;
  t["AveragePool"] = emit_average_pool;
  t["GlobalAveragePool"] = [](EmitContext& ctx) { emit_global_pool(ctx, "ReduceMean"); };
  t["GlobalMaxPool"] = [](EmitContext& ctx) { emit_global_pool(ctx, "ReduceMax"); };
  t["LRN"] = emit_lrn;
}

}  // namespace octet::ir_writer
