// FakeQuantize stays FakeQuantize; DequantizeLinear becomes the weight-decompression form OpenVINO's tools
// write (Convert -> [Subtract zero point] -> Multiply scale). QuantizeLinear and the integer ops have no
// exact IR form here and are rejected by the writer (no emitter).
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

void emit_fake_quantize(EmitContext& ctx) {
  IrData data;
  data.set_int("levels", ctx.node().attribute<int64_t>("levels"));
  data.set_string("auto_broadcast", "numpy");
  std::vector<PortRef> inputs;
  for (size_t i = 0; i < 5; ++i) inputs.push_back(ctx.input(i));
  ctx.bind_output(0, ctx.layer("FakeQuantize", "opset1", std::move(inputs), std::move(data),
                               ctx.output_type(0), ctx.output_shape(0)));
}

// A per-axis parameter of [C] as [1, .., C, .., 1] so that numpy broadcasting puts it on `axis`.
PortRef along_axis(EmitContext& ctx, size_t input, int64_t axis, size_t rank, const std::string& suffix) {
  const Shape& s = ctx.input_shape(input);
  if (!s.is_static()) ctx.unsupported("quantization parameters need static dims");
  if (s.rank() == 0 || element_count(s.dims()) == 1) return ctx.input(input);
  Dims dims(rank, 1);
  dims[static_cast<size_t>(axis)] = s.dims().back();
  return reshape_to(ctx, ctx.input(input), ctx.node().input(input), dims, suffix);
}

void emit_dequantize_linear(EmitContext& ctx) {
  const Node& node = ctx.node();
  if (ctx.output_type(0) != ElementType::kF32) ctx.unsupported("only f32 outputs");
  const size_t rank = ctx.input_rank(0);
  const int64_t axis =
      rank == 0 ? 0 : normalize_axis(node, node.attribute_or<int64_t>("axis", 1), static_cast<int64_t>(rank));
  const Shape& out = ctx.output_shape(0);
  const bool has_zero = ctx.has_input(2);
  IrData convert;
  convert.set_string("destination_type", "f32");
  PortRef x =
      ctx.layer("Convert", "opset1", {ctx.input(0)}, std::move(convert), ElementType::kF32, out, "convert");
  if (has_zero) {
    IrData zero_convert;
    zero_convert.set_string("destination_type", "f32");
    const PortRef zero_raw = along_axis(ctx, 2, axis, rank, "zero_point");
    const PortRef zero = ctx.layer("Convert", "opset1", {zero_raw}, std::move(zero_convert),
                                   ElementType::kF32, ctx.port(zero_raw).shape, "zero_point_f32");
    x = ctx.layer("Subtract", "opset1", {x, zero}, numpy_broadcast_data(), ElementType::kF32, out,
                  "subtract");
  }
  const PortRef scale = along_axis(ctx, 1, axis, rank, "scale");
  ctx.bind_output(
      0, ctx.layer("Multiply", "opset1", {x, scale}, numpy_broadcast_data(), ElementType::kF32, out));
}

}  // namespace

void register_quantization_emitters(EmitterTable& t) {
  t["FakeQuantize"] = emit_fake_quantize;
  t["DequantizeLinear"] = emit_dequantize_linear;
}

}  // namespace octet::ir_writer
