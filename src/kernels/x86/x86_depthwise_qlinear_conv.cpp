// The plugin side of the depthwise kernel: reads QLinearConv's constant inputs, builds a DepthwiseConvU8S8
// and wraps it as a Kernel that reads and writes NHWC.
#include <memory>
#include <utility>

#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/depthwise_conv_u8s8.h"
#include "kernels/x86/x86_int8_factories.h"
#include "kernels/x86/x86_isa_choice.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

// QLinearConv's inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kW = 3, kWScale = 4, kWZero = 5, kYScale = 6, kYZero = 7,
                 kBias = 8;

class DepthwiseKernel : public Kernel {
 public:
  explicit DepthwiseKernel(std::unique_ptr<const x86::DepthwiseConvU8S8> conv) : conv_(std::move(conv)) {}
  // The VNNI path on 256-bit vectors says so ("_dw_ymm").
  std::string exec_type() const override {
    const bool narrowed = conv_->isa() == x86::Isa::kAvx512Vnni && conv_->block_bytes() == 32;
    return x86::x86_exec_type(conv_->isa(), narrowed ? "dw_ymm" : "dw");
  }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext&) const override {
    struct Bound : BoundKernel {
      const x86::DepthwiseConvU8S8* conv;
      const uint8_t* x;
      void* y;
      Bound(const x86::DepthwiseConvU8S8* c, const void* in, void* out)
          : conv(c), x(static_cast<const uint8_t*>(in)), y(out) {}
      void execute() override { conv->run(x, y); }
    };
    return std::make_unique<Bound>(conv_.get(), inputs[0], outputs[0]);
  }

 private:
  std::unique_ptr<const x86::DepthwiseConvU8S8> conv_;
};

dnnl::memory::desc nhwc(const Dims& dims, ElementType type) {
  return dnnl::memory::desc(to_dnnl_dims(dims), to_dnnl(type), dnnl::memory::format_tag::nhwc);
}

}  // namespace

std::optional<KernelChoice> create_x86_depthwise_qlinear_conv(const KernelRequest& request,
                                                              std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != kX ||
      request.inputs[0].type != ElementType::kU8 || !request.post_ops.empty()) {
    why_not = "needs one runtime u8 input x, every other input constant, no post-ops";
    return std::nullopt;
  }
  if (!node.has_input(kYScale)) {
    why_not = "writes u8/i8 only (not QLinearConv's f32 form)";
    return std::nullopt;
  }
  const std::optional<x86::Isa> isa = x86::vector_isa_for_plugin(why_not);
  if (!isa) return std::nullopt;
  const Dims& x_dims = request.inputs[0].dims;
  const Value* w = node.input(kW);
  if (x_dims.size() != 4 || !w || !w->is_constant() || !is_8bit(w->type()) || w->constant().rank() != 4) {
    why_not = "needs a 2-d convolution with constant u8/i8 weights";
    return std::nullopt;
  }
  const Tensor& weights = w->constant();
  const ConvGeometry g = conv_geometry(node, x_dims, weights.dims());
  if (g.group != g.in_channels || g.out_channels != g.in_channels || weights.dims()[1] != 1) {
    why_not = "not depthwise (needs group == input channels == output channels)";
    return std::nullopt;
  }
  const auto x_scale = constant_scales(node, kXScale, why_not);
  const auto w_scale = constant_scales(node, kWScale, why_not);
  const auto y_scale = constant_scales(node, kYScale, why_not);
  const auto x_zero = constant_zero_points(node, kXZero, why_not);
  const auto w_zero = constant_zero_points(node, kWZero, why_not);
  const auto y_zero = constant_zero_points(node, kYZero, why_not);
  if (!x_scale || !w_scale || !y_scale || !x_zero || !w_zero || !y_zero) return std::nullopt;
  if (x_scale->size() != 1 || x_zero->size() != 1 || y_scale->size() != 1 || y_zero->size() != 1) {
    why_not = "x's and y's parameters must be per tensor";
    return std::nullopt;
  }
  const Value* bias = node.input(kBias);
  if (bias && (!bias->is_constant() || bias->type() != ElementType::kI32 ||
               bias->constant().element_count() != g.out_channels)) {
    why_not = "bias is not a constant i32 tensor of one value per channel";
    return std::nullopt;
  }
  const ElementType y_type = request.outputs[0].type;
  if (!is_8bit(y_type)) {
    why_not = "output is not u8/i8";
    return std::nullopt;
  }
  const int64_t taps = weights.element_count() / g.out_channels;
  const std::optional<std::vector<int8_t>> w_values =
      weights_minus_zero_point(weights, *w_zero, g.out_channels, taps);
  if (!w_values) {
    why_not = "weights minus their zero point do not fit in s8";
    return std::nullopt;
  }
  x86::DepthwiseConvShape shape;
  shape.batch = g.batch;
  shape.channels = g.in_channels;
  shape.in_h = g.in_spatial[0];
  shape.in_w = g.in_spatial[1];
  shape.kernel_h = g.kernel[0];
  shape.kernel_w = g.kernel[1];
  shape.stride_h = g.strides[0];
  shape.stride_w = g.strides[1];
  shape.dilation_h = g.dilations[0];
  shape.dilation_w = g.dilations[1];
  shape.pad_top = g.pads_begin[0];
  shape.pad_left = g.pads_begin[1];
  shape.pad_bottom = g.pads_end[0];
  shape.pad_right = g.pads_end[1];
  if (shape.out_h() != g.out_spatial[0] || shape.out_w() != g.out_spatial[1]) {
    why_not = "unexpected output size";
    return std::nullopt;
  }
  // Output scale of channel c: x_scale * w_scale[c] / y_scale, in float and in this order (as the op does).
  x86::OutputQuantization output;
  output.kind = y_type == ElementType::kU8 ? x86::OutputKind::kU8 : x86::OutputKind::kI8;
  output.zero_point = (*y_zero)[0];
  for (const float s : *w_scale) output.scales.push_back((*x_scale)[0] * s / (*y_scale)[0]);
  std::span<const int32_t> bias_values;
  if (bias) bias_values = bias->constant().values<int32_t>();
  // The AVX-512 paths work on 64-channel blocks and copy the taps of a partial last block at every pixel.
  // When 32-byte blocks cover the channels with less padding, 256-bit vectors are faster and give the same
  // integers: the VNNI path narrows its own vectors, the AVX-512 BW path hands over to the AVX2 one
  // (MobileNet v2, 2 threads, AVX2 against AVX-512 BW: 32 channels 151 against 417 us, 96 channels 82
  // against 146 us, 144 channels 171 against 180 us; 192 and more, multiples of 64, are faster on AVX-512).
  // A path forced with OCTET_X86_ISA keeps its instruction set.
  x86::Isa chosen = *isa;
  int64_t block_bytes = 0;
  const auto padded = [&](int64_t block) { return (shape.channels + block - 1) / block * block; };
  if (padded(32) < padded(64)) {
    if (chosen == x86::Isa::kAvx512Vnni)
      block_bytes = 32;
    else if (chosen == x86::Isa::kAvx512Bw && !x86::isa_forced_by_environment() &&
             x86::cpu_supports(x86::Isa::kAvx2))
      chosen = x86::Isa::kAvx2;
  }
  std::unique_ptr<const x86::DepthwiseConvU8S8> conv;
  try {
    conv = std::make_unique<const x86::DepthwiseConvU8S8>(shape, *w_values, bias_values, (*x_zero)[0],
                                                          std::move(output), chosen, block_bytes);
  } catch (const Error& e) {
    why_not = e.what();
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::from_dnnl(ElementType::kU8, nhwc(x_dims, ElementType::kU8)));
  choice.outputs.push_back(BufferDesc::from_dnnl(y_type, nhwc(request.outputs[0].dims, y_type)));
  choice.kernel = std::make_shared<DepthwiseKernel>(std::move(conv));
  return choice;
}

}  // namespace octet::cpu
