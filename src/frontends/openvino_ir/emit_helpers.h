// Small building blocks several emitter families share.
#pragma once

#include <string>
#include <vector>

#include "frontends/openvino_ir/ir_emit_context.h"

namespace octet::ir_writer {

IrData numpy_broadcast_data();
// A Reshape layer (special_zero=false) of `port` to static `dims`; a constant is reshaped in place instead.
PortRef reshape_to(EmitContext& ctx, PortRef port, const Value* source, const Dims& dims,
                   const std::string& suffix);
// `bias` of [C] as [1, C, 1, ...] of rank `rank`, then Add to x (named after the node).
PortRef add_channel_bias(EmitContext& ctx, PortRef x, size_t bias_input, size_t rank, const Shape& out_shape);
// Spatial attributes: "strides", "dilations", pads as "pads_begin"/"pads_end", and "auto_pad".
void set_window_data(IrData& data, const Dims& strides, const Dims& dilations, const Dims& pads_begin,
                     const Dims& pads_end, bool with_dilations);
bool has_dynamic(const Dims& dims);
// The IR spelling of an ONNX auto_pad value ("NOTSET" -> "explicit", "SAME_UPPER" -> "same_upper", ...).
std::string ir_auto_pad(const std::string& onnx_auto_pad);

}  // namespace octet::ir_writer
