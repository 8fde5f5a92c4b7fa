// MaxPool (v1, v8) and AvgPool -> MaxPool / AveragePool.
#include "frontends/openvino_ir/ir_translator_table.h"
#include "frontends/openvino_ir/translate_common.h"

namespace octet::openvino_ir {
namespace {

Attributes pool_attributes(IrOpContext& c) {
  const int64_t rank = c.input_rank(0);
  if (rank < 3) c.invalid("pooling needs an input of rank 3 or more");
  const size_t spatial = static_cast<size_t>(rank - 2);
  const std::string rounding = c.attr_string_or("rounding_type", "floor");
  if (rounding != "floor" && rounding != "ceil") c.unsupported("rounding_type \"" + rounding + "\"");
  Attributes attrs = {{"kernel_shape", spatial_ints(c, "kernel", spatial, true)},
                      {"strides", spatial_ints(c, "strides", spatial, true)},
                      {"ceil_mode", int64_t{rounding == "ceil" ? 1 : 0}},
                      {"auto_pad", onnx_auto_pad(c)}};
  if (std::get<std::string>(attrs["auto_pad"]) == "NOTSET") attrs["pads"] = onnx_pads(c, spatial);
  return attrs;
}

std::vector<Value*> max_pool_v1(IrOpContext& c) {
  c.expect_inputs(1, 1);
  return {c.add("MaxPool", {c.input(0)}, pool_attributes(c))};
}

// MaxPool-8 adds dilations and an indices output. Its indices count along the flattened spatial axes
// (from `axis`), ONNX's along the whole tensor, so a model that uses them is refused.
std::vector<Value*> max_pool_v8(IrOpContext& c) {
  c.expect_inputs(1, 1);
  if (c.output_used(1)) c.unsupported("the indices output of MaxPool-8 is not supported");
  Attributes attrs = pool_attributes(c);
  attrs["dilations"] = spatial_ints(c, "dilations", static_cast<size_t>(c.input_rank(0) - 2), false);
  return {c.add("MaxPool", {c.input(0)}, std::move(attrs)), nullptr};
}

// exclude-pad=true divides by the number of real (non-pad) elements: ONNX count_include_pad = 0.
std::vector<Value*> avg_pool(IrOpContext& c) {
  c.expect_inputs(1, 1);
  Attributes attrs = pool_attributes(c);
  attrs["count_include_pad"] = int64_t{c.attr_bool_or("exclude-pad", false) ? 0 : 1};
  return {c.add("AveragePool", {c.input(0)}, std::move(attrs))};
}

}  // namespace

void register_pooling_translators(IrTranslatorTable& table) {
  table.add("MaxPool", {1}, max_pool_v1, {"MaxPool"});
  table.add("MaxPool", {8}, max_pool_v8, {"MaxPool"});
  table.add("AvgPool", {1}, avg_pool, {"AveragePool"});
}

}  // namespace octet::openvino_ir
