#include "frontends/openvino_ir/emit_helpers.h"

#include <algorithm>

namespace octet::ir_writer {

IrData numpy_broadcast_data() {
  IrData data;
  data.set_string("auto_broadcast", "numpy");
  return data;
}

PortRef reshape_to(EmitContext& ctx, PortRef port, const Value* source, const Dims& dims,
                   const std::string& suffix) {
  if (source && source->is_constant()) return ctx.constant(source->constant().reshaped(dims), suffix);
  const PortRef shape = ctx.constant_i64(dims, suffix + "_shape");
  IrData data;
  data.set_bool("special_zero", false);
  return ctx.layer("Reshape", "opset1", {port, shape}, std::move(data), ctx.port(port).type, Shape(dims),
                   suffix);
}

PortRef add_channel_bias(EmitContext& ctx, PortRef x, size_t bias_input, size_t rank,
                         const Shape& out_shape) {
  const Shape& bias_shape = ctx.input_shape(bias_input);
  if (!bias_shape.is_static() || bias_shape.rank() != 1)
    ctx.unsupported("the bias must be a static 1-D tensor");
  Dims dims(rank, 1);
  dims[1] = bias_shape[0];
  const PortRef bias = reshape_to(ctx, ctx.input(bias_input), ctx.node().input(bias_input), dims, "bias");
  return ctx.layer("Add", "opset1", {x, bias}, numpy_broadcast_data(), ctx.output_type(0), out_shape);
}

void set_window_data(IrData& data, const Dims& strides, const Dims& dilations, const Dims& pads_begin,
                     const Dims& pads_end, bool with_dilations) {
  data.set_ints("strides", strides);
  if (with_dilations) data.set_ints("dilations", dilations);
  data.set_ints("pads_begin", pads_begin);
  data.set_ints("pads_end", pads_end);
}

bool has_dynamic(const Dims& dims) {
  return std::find(dims.begin(), dims.end(), kDynamicDim) != dims.end();
}

std::string ir_auto_pad(const std::string& onnx_auto_pad) {
  if (onnx_auto_pad == "SAME_UPPER") return "same_upper";
  if (onnx_auto_pad == "SAME_LOWER") return "same_lower";
  if (onnx_auto_pad == "VALID") return "valid";
  return "explicit";
}

}  // namespace octet::ir_writer
