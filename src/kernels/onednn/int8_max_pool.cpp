#include "kernels/onednn/int8_max_pool.h"

#include <algorithm>
#include <cstring>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/x86/x86_isa_loops.h"
#include "octet/error.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

// The geometry of one 2-d max pool: sizes in pixels, offsets along each spatial axis (height, width).
struct MaxPoolGeometry {
  int64_t batch = 0, channels = 0;
  int64_t in[2] = {}, out[2] = {}, kernel[2] = {}, strides[2] = {}, dilations[2] = {}, pads_begin[2] = {};
};

// Windows of up to this many taps (3x3 and 5x5 pools, 8x8 ones); larger ones are left to oneDNN.
constexpr int64_t kMaxTaps = 64;
// Channels per accumulator: one 512-bit or two 256-bit registers.
constexpr int64_t kChannelBlock = 64;

// 64 channels as one GCC vector: one 512-bit register on AVX-512, two 256-bit ones on AVX2.
template <typename T>
using ChannelBlock [[gnu::vector_size(kChannelBlock)]] = T;

// The channel-wise maximum of `count` input pixels (count >= 1) over the 64 channels from c0, kept in
// registers. (A loop over `out` itself stored and reloaded it at every tap, a store-to-load round trip per
// tap, and was no faster than oneDNN; a fixed-size array, which GCC unrolled into single bytes, took 1.7 ms
// for ResNet-50's pool on one thread.)
template <typename T>
[[gnu::always_inline]] inline void max_of_taps_block(const T* const* taps, int64_t count, int64_t c0,
                                                     T* out) {
  ChannelBlock<T> best, next;
  std::memcpy(&best, taps[0] + c0, sizeof(best));
  for (int64_t t = 1; t < count; ++t) {
    std::memcpy(&next, taps[t] + c0, sizeof(next));
    best = next > best ? next : best;
  }
  std::memcpy(out + c0, &best, sizeof(best));
}

// The same for one channel (the channels past the last whole block).
template <typename T>
[[gnu::always_inline]] inline void max_of_taps_one(const T* const* taps, int64_t count, int64_t c, T* out) {
  T best = taps[0][c];
  for (int64_t t = 1; t < count; ++t) best = std::max(best, taps[t][c]);
  out[c] = best;
}

// One output row (image n, output row oh): each pixel's taps inside the image, then their maximum.
template <typename T>
[[gnu::always_inline]] inline void pool_row(const MaxPoolGeometry& g, const T* x, T* y, int64_t n,
                                            int64_t oh) {
  const int64_t c = g.channels;
  T* out = y + (n * g.out[0] + oh) * g.out[1] * c;
  const T* taps[kMaxTaps];
  for (int64_t ow = 0; ow < g.out[1]; ++ow, out += c) {
    int64_t count = 0;
    for (int64_t kh = 0; kh < g.kernel[0]; ++kh) {
      const int64_t ih = oh * g.strides[0] - g.pads_begin[0] + kh * g.dilations[0];
      if (ih < 0 || ih >= g.in[0]) continue;
      const T* row = x + (n * g.in[0] + ih) * g.in[1] * c;
      for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
        const int64_t iw = ow * g.strides[1] - g.pads_begin[1] + kw * g.dilations[1];
        if (iw >= 0 && iw < g.in[1]) taps[count++] = row + iw * c;
      }
    }
    int64_t c0 = 0;
    for (; c0 + kChannelBlock <= c; c0 += kChannelBlock) max_of_taps_block(taps, count, c0, out);
    for (; c0 < c; ++c0) max_of_taps_one(taps, count, c0, out);
  }
}

class Int8MaxPoolKernel : public Int8LoopKernel {
 public:
  Int8MaxPoolKernel(x86::Isa isa, bool is_signed, const MaxPoolGeometry& geometry)
      : Int8LoopKernel("max_pool_nhwc_loop_I8"), isa_(isa), signed_(is_signed), g_(geometry) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    with_8bit_buffers(signed_, inputs[0], outputs[0], [this](const auto* x, auto* y) { pool(x, y); });
  }

 private:
  template <typename T>
  void pool(const T* x, T* y) const {
    const int64_t rows = g_.batch * g_.out[0];
    const int64_t taps = rows * g_.out[1] * g_.kernel[0] * g_.kernel[1] * g_.channels;
#pragma omp parallel for schedule(static) if (taps > (int64_t{1} << 16))
    for (int64_t r = 0; r < rows; ++r) {
      x86::run_for_isa(isa_,
                       [&] [[gnu::always_inline]] { pool_row(g_, x, y, r / g_.out[0], r % g_.out[0]); });
    }
  }

  x86::Isa isa_;
  bool signed_;
  MaxPoolGeometry g_;
};

}  // namespace

std::optional<KernelChoice> create_int8_max_pool(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const ElementType type = request.inputs.size() == 1 ? request.inputs[0].type : ElementType::kUndefined;
  if (type != ElementType::kU8 && type != ElementType::kI8) {
    why_not = "needs one runtime u8/i8 input";
    return std::nullopt;
  }
  if (node.output_count() != 1 || !request.post_ops.empty()) {
    why_not = "no Indices output and no post-ops";
    return std::nullopt;
  }
  const Dims& x = request.inputs[0].dims;
  const Dims& y = request.outputs[0].dims;
  if (x.size() != 4 || y.size() != 4 || !node.has_attribute("kernel_shape")) {
    why_not = "only 2-d pooling with a kernel_shape";
    return std::nullopt;
  }
  const Dims in(x.begin() + 2, x.end());
  const Dims kernel = spatial_attribute(node, "kernel_shape", 2, 1);
  const Dims strides = spatial_attribute(node, "strides", 2, 1);
  const Dims dilations = spatial_attribute(node, "dilations", 2, 1);
  const bool ceil_mode = node.attribute_or<int64_t>("ceil_mode", 0) != 0;
  const ConvPadding padding = conv_padding(node, in, kernel, strides, dilations, ceil_mode);
  if (padding.out != Dims(y.begin() + 2, y.end()) || y[0] != x[0] || y[1] != x[1]) {
    why_not = "output dims " + to_string(y) + " differ from the window geometry's";
    return std::nullopt;
  }
  // Each side bounded first (1..64), so that the product cannot overflow for any attribute value.
  if (kernel[0] < 1 || kernel[1] < 1 || kernel[0] > kMaxTaps || kernel[1] > kMaxTaps ||
      kernel[0] * kernel[1] > kMaxTaps) {
    why_not = str_cat("windows of more than ", kMaxTaps, " taps");
    return std::nullopt;
  }
  MaxPoolGeometry g;
  g.batch = x[0];
  g.channels = x[1];
  for (size_t i = 0; i < 2; ++i) {
    g.in[i] = in[i];
    g.out[i] = padding.out[i];
    g.kernel[i] = kernel[i];
    g.strides[i] = strides[i];
    g.dilations[i] = dilations[i];
    g.pads_begin[i] = padding.begin[i];
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1) {
      why_not = "kernel, strides and dilations must be positive";
      return std::nullopt;
    }
    // A window with no tap inside the image has no maximum (ONNX: -inf, which u8/i8 cannot hold).
    for (int64_t o = 0; o < g.out[i]; ++o) {
      bool inside = false;
      for (int64_t k = 0; k < kernel[i] && !inside; ++k) {
        const int64_t at = o * strides[i] - padding.begin[i] + k * dilations[i];
        inside = at >= 0 && at < in[i];
      }
      if (!inside) {
        why_not = "a window lies entirely in the padding";
        return std::nullopt;
      }
    }
  }
  using tag = dnnl::memory::format_tag;
  const dnnl::memory::data_type dnnl_type = to_dnnl(type);
  KernelChoice choice;
  choice.inputs.push_back(
      BufferDesc::from_dnnl(type, dnnl::memory::desc(to_dnnl_dims(x), dnnl_type, tag::nhwc)));
  choice.outputs.push_back(
      BufferDesc::from_dnnl(type, dnnl::memory::desc(to_dnnl_dims(y), dnnl_type, tag::nhwc)));
  choice.kernel = std::make_shared<Int8MaxPoolKernel>(x86::default_isa(), type == ElementType::kI8, g);
  return choice;
}

}  // namespace octet::cpu
