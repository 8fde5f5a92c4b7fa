// Conv and ConvTranspose (float): shape inference and reference evaluation on top of convolution_kernel.h.
#include <span>

#include "ops/convolution_kernel.h"
#include "ops/op_families.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {

namespace {

using GeometryFunction = ConvGeometry (*)(const Node&, const Dims&, const Dims&);

// Y is [N, M, out_spatial...]. Needs the weights' dims (the kernel and M); the rest may be dynamic.
void infer_convolution(Node& node, GeometryFunction geometry) {
  expect_input_type(node, 0, {ElementType::kF32});
  expect_input_type(node, 1, {ElementType::kF32});
  if (node.has_input(2)) expect_input_type(node, 2, {ElementType::kF32});
  const Shape& x = input_shape(node, 0);
  const Shape& w = input_shape(node, 1);
  if (!x.rank_known() && !w.rank_known()) {
    set_output(node, 0, ElementType::kF32, Shape::unknown());
    return;
  }
  const size_t rank = x.rank_known() ? x.rank() : w.rank();
  if (!w.is_static() || !x.rank_known()) {
    set_output(node, 0, ElementType::kF32, Shape::dynamic(rank));
    return;
  }
  const ConvGeometry g = geometry(node, x.dims(), w.dims());
  if (node.has_input(2)) {
    const Shape& b = input_shape(node, 2);
    OCTET_CHECK(!b.rank_known() || (b.rank() == 1 && (b[0] == kDynamicDim || b[0] == g.out_channels)),
                ErrorCode::kInvalidModel, node.label(), ": bias of shape ", b.to_string(),
                " does not match the ", g.out_channels, " output channels");
  }
  Dims y{g.batch, g.out_channels};
  y.insert(y.end(), g.out_spatial.begin(), g.out_spatial.end());
  set_output(node, 0, ElementType::kF32, Shape(y));
}

// Adds the per-output-channel bias B (optional input 2) to y of dims [N, M, ...].
void add_bias(const Node& node, const Tensor* bias, Tensor& y) {
  if (!bias) return;
  const int64_t channels = y.dims()[1];
  OCTET_CHECK(bias->type() == ElementType::kF32 && bias->element_count() == channels,
              ErrorCode::kInvalidModel, node.label(), ": bias ", bias->description(), " does not match the ",
              channels, " output channels");
  const int64_t plane = y.element_count() / (y.dims()[0] * channels);
  float* out = y.data<float>();
  const float* b = bias->data<float>();
  for (int64_t nc = 0; nc < y.dims()[0] * channels; ++nc)
    for (int64_t i = 0; i < plane; ++i) out[nc * plane + i] += b[nc % channels];
}

Tensor output_tensor(const ConvGeometry& g) {
  Dims y{g.batch, g.out_channels};
  y.insert(y.end(), g.out_spatial.begin(), g.out_spatial.end());
  return Tensor(ElementType::kF32, y);
}

void check_float_inputs(const Node& node, const std::vector<const Tensor*>& inputs) {
  for (size_t i = 0; i < 2; ++i)
    OCTET_CHECK(inputs[i] && inputs[i]->type() == ElementType::kF32, ErrorCode::kUnsupported, node.label(),
                ": input ", i, " must be an f32 tensor");
}

std::vector<Tensor> evaluate_conv(const Node& node, const std::vector<const Tensor*>& inputs) {
  check_float_inputs(node, inputs);
  const ConvGeometry g = conv_geometry(node, inputs[0]->dims(), inputs[1]->dims());
  Tensor y = output_tensor(g);
  const float no_zero_point = 0.0f;
  conv_reference<float, float, float>(g, inputs[0]->data<float>(), inputs[1]->data<float>(), y.data<float>(),
                                      0.0f, std::span<const float>(&no_zero_point, 1));
  add_bias(node, inputs.size() > 2 ? inputs[2] : nullptr, y);
  return {y};
}

std::vector<Tensor> evaluate_conv_transpose(const Node& node, const std::vector<const Tensor*>& inputs) {
  check_float_inputs(node, inputs);
  const ConvGeometry g = conv_transpose_geometry(node, inputs[0]->dims(), inputs[1]->dims());
  Tensor y = output_tensor(g);
  conv_transpose_reference(g, inputs[0]->data<float>(), inputs[1]->data<float>(), y.data<float>());
  add_bias(node, inputs.size() > 2 ? inputs[2] : nullptr, y);
  return {y};
}

}  // namespace

void register_convolution_ops(OpRegistry& registry) {
  registry.add({.type = "Conv",
                .min_inputs = 2,
                .max_inputs = 3,
                .infer = [](Node& node) { infer_convolution(node, &conv_geometry); },
                .evaluate = evaluate_conv});
  registry.add({.type = "ConvTranspose",
                .min_inputs = 2,
                .max_inputs = 3,
                .infer = [](Node& node) { infer_convolution(node, &conv_transpose_geometry); },
                .evaluate = evaluate_conv_transpose});
}

}  // namespace octet
