// Convolution, GroupConvolution, ConvolutionBackpropData -> Conv / ConvTranspose; MatMul -> MatMul.
#include "frontends/openvino_ir/ir_translator_table.h"
#include "frontends/openvino_ir/translate_common.h"

namespace octet::openvino_ir {
namespace {

size_t spatial_rank_of(IrOpContext& c) {
  const int64_t rank = c.input_rank(1);
  if (rank < 3) c.invalid("the weights must have rank 3 or more");
  return static_cast<size_t>(rank - 2);
}

// ONNX takes explicit pads only with auto_pad NOTSET; with same_* / valid OpenVINO ignores them too.
Attributes conv_attributes(IrOpContext& c, size_t spatial) {
  Attributes attrs = {{"strides", spatial_ints(c, "strides", spatial, true)},
                      {"dilations", spatial_ints(c, "dilations", spatial, false)},
                      {"auto_pad", onnx_auto_pad(c)}};
  if (std::get<std::string>(attrs["auto_pad"]) == "NOTSET") attrs["pads"] = onnx_pads(c, spatial);
  return attrs;
}

std::vector<Value*> convolution(IrOpContext& c) {
  c.expect_inputs(2, 2);
  return {c.add("Conv", {c.input(0), c.input(1)}, conv_attributes(c, spatial_rank_of(c)))};
}

// GroupConvolution weights are [G, O/G, I/G, k...]; Conv wants [O, I/G, k...] with group = G.
std::vector<Value*> group_convolution(IrOpContext& c) {
  c.expect_inputs(2, 2);
  const int64_t rank = c.input_rank(1);
  if (rank < 4) c.invalid("GroupConvolution weights must have rank 4 or more ([G, O/G, I/G, k...])");
  const Dims& w = c.input_static_dims(1);
  std::vector<int64_t> merged = {w[0] * w[1]};
  merged.insert(merged.end(), w.begin() + 2, w.end());
  // Weights that are themselves a Reshape of [O, I/G, k...] values (Octet's own IR writer quantizes the 4-D
  // weights, then reshapes them for GroupConvolution) are read from before that Reshape: Reshape after
  // Reshape would hide the weights' FakeQuantize from the low-precision passes, which see through one.
  Value* weights = nullptr;
  if (const Node* p = c.input(1)->producer(); p && p->op_type() == "Reshape" && p->input(0) &&
                                              p->input(0)->shape().is_static() &&
                                              p->input(0)->shape().static_dims() == merged)
    weights = p->input(0);
  else
    weights = c.add("Reshape", {c.input(1), c.constant_i64(merged)});
  Attributes attrs = conv_attributes(c, static_cast<size_t>(rank - 3));
  attrs["group"] = w[0];
  return {c.add("Conv", {c.input(0), weights}, std::move(attrs))};
}

// Weights are [C_in, C_out, k...] in both formats. An output_shape input sets the spatial output size.
std::vector<Value*> convolution_backprop_data(IrOpContext& c) {
  c.expect_inputs(2, 3);
  const size_t spatial = spatial_rank_of(c);
  Attributes attrs = conv_attributes(c, spatial);
  std::vector<int64_t> output_padding = c.attr_ints_or("output_padding", std::vector<int64_t>(spatial, 0));
  if (output_padding.size() != spatial) c.invalid("output_padding must have one value per spatial axis");
  attrs["output_padding"] = output_padding;
  if (c.input_count() == 3) {
    // OpenVINO then derives the padding itself; ONNX does the same from output_shape with auto_pad.
    attrs["output_shape"] = c.constant_ints(2);
    const std::string pad = std::get<std::string>(attrs["auto_pad"]);
    if (pad == "NOTSET") c.unsupported("an output_shape input with explicit padding is not supported");
  }
  return {c.add("ConvTranspose", {c.input(0), c.input(1)}, std::move(attrs))};
}

// transpose_a/b swap the last two axes of a matrix input (a 1-D input is a vector either way).
Value* maybe_transpose(IrOpContext& c, size_t i, bool transpose) {
  if (!transpose) return c.input(i);
  const int64_t rank = c.input_rank(i);
  if (rank < 2) return c.input(i);
  std::vector<int64_t> perm(static_cast<size_t>(rank));
  for (int64_t k = 0; k < rank; ++k) perm[static_cast<size_t>(k)] = k;
  std::swap(perm[static_cast<size_t>(rank - 1)], perm[static_cast<size_t>(rank - 2)]);
  return c.add("Transpose", {c.input(i)}, {{"perm", perm}});
}

std::vector<Value*> matmul(IrOpContext& c) {
  c.expect_inputs(2, 2);
  Value* a = maybe_transpose(c, 0, c.attr_bool_or("transpose_a", false));
  Value* b = maybe_transpose(c, 1, c.attr_bool_or("transpose_b", false));
  return {c.add("MatMul", {a, b})};
}

}  // namespace

void register_convolution_translators(IrTranslatorTable& table) {
  table.add("Convolution", {1}, convolution, {"Conv"});
  table.add("GroupConvolution", {1}, group_convolution, {"Conv", "Reshape"});
  table.add("ConvolutionBackpropData", {1}, convolution_backprop_data, {"ConvTranspose"});
  table.add("MatMul", {1}, matmul, {"MatMul", "Transpose"});
}

}  // namespace octet::openvino_ir
