// Attribute conversions that several translator families share (convolution and pooling padding).
#pragma once

#include <string>
#include <vector>

#include "frontends/openvino_ir/ir_op_context.h"

namespace octet::openvino_ir {

// OpenVINO's auto_pad ("explicit"/"notset", "valid", "same_upper", "same_lower") as ONNX spells it.
inline std::string onnx_auto_pad(const IrOpContext& context) {
  const std::string pad = context.attr_string_or("auto_pad", "explicit");
  if (pad == "explicit" || pad == "notset" || pad.empty()) return "NOTSET";
  if (pad == "valid") return "VALID";
  if (pad == "same_upper") return "SAME_UPPER";
  if (pad == "same_lower") return "SAME_LOWER";
  context.invalid("auto_pad \"" + pad + "\" is not one of explicit, valid, same_upper, same_lower");
}

// pads_begin and pads_end as ONNX `pads` (all begins, then all ends), checked against the spatial rank.
inline std::vector<int64_t> onnx_pads(const IrOpContext& context, size_t spatial_rank) {
  std::vector<int64_t> begin = context.attr_ints_or("pads_begin", std::vector<int64_t>(spatial_rank, 0));
  std::vector<int64_t> end = context.attr_ints_or("pads_end", std::vector<int64_t>(spatial_rank, 0));
  if (begin.size() != spatial_rank || end.size() != spatial_rank)
    context.invalid("pads_begin and pads_end must have one value per spatial axis");
  for (int64_t p : begin)
    if (p < 0) context.invalid("pads_begin has a negative value");
  for (int64_t p : end)
    if (p < 0) context.invalid("pads_end has a negative value");
  begin.insert(begin.end(), end.begin(), end.end());
  return begin;
}

// An int list attribute with one value per spatial axis (strides, dilations, kernel).
inline std::vector<int64_t> spatial_ints(const IrOpContext& context, const std::string& key,
                                         size_t spatial_rank, bool required) {
  std::vector<int64_t> values =
      required ? context.attr_ints(key) : context.attr_ints_or(key, std::vector<int64_t>(spatial_rank, 1));
  if (values.size() != spatial_rank) context.invalid(key + " must have one value per spatial axis");
  for (int64_t v : values)
    if (v <= 0) context.invalid(key + " must be positive");
  return values;
}

}  // namespace octet::openvino_ir
