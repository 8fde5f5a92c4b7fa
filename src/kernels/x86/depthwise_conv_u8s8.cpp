#include "kernels/x86/depthwise_conv_u8s8.h"

#include <cstdlib>
#include <limits>
#include <utility>

#include "octet/error.h"

namespace octet::x86 {
namespace {

using RowKernel = void (*)(const DepthwiseConvArgs&, int64_t, int64_t);

RowKernel row_kernel(Isa isa, int64_t block) {
  switch (isa) {
    case Isa::kAvx2:
      return depthwise_conv_u8s8_rows_avx2;
    case Isa::kAvx512Bw:
      return depthwise_conv_u8s8_rows_avx512bw;
    case Isa::kAvx512Vnni:
      return block == 32 ? depthwise_conv_u8s8_rows_avx512vnni_ymm : depthwise_conv_u8s8_rows_avx512vnni;
    case Isa::kReference:
      break;
  }
  return nullptr;
}

// The channel that int32 lane m of accumulator j holds within its block (depthwise_conv_u8s8_simd.h): the
// order of the quad-packed weights, of the bias and of the scales.
int64_t accumulator_channel(int64_t j, int64_t m) {
  return 16 * (m / 4) + 4 * j + m % 4;
}

// w = 16 * hi + lo with lo in [-8, 7] and hi in [-8, 8]: both parts keep vpmaddubsw far from saturation.
int8_t low_part(int8_t w) {
  return static_cast<int8_t>(((w + 8) & 15) - 8);
}
int8_t high_part(int8_t w) {
  return static_cast<int8_t>((w - low_part(w)) / 16);
}

}  // namespace

int64_t DepthwiseConvShape::out_h() const {
  return (in_h + pad_top + pad_bottom - dilation_h * (kernel_h - 1) - 1) / stride_h + 1;
}
int64_t DepthwiseConvShape::out_w() const {
  return (in_w + pad_left + pad_right - dilation_w * (kernel_w - 1) - 1) / stride_w + 1;
}

DepthwiseConvU8S8::DepthwiseConvU8S8(const DepthwiseConvShape& shape, std::span<const int8_t> weights,
                                     std::span<const int32_t> bias, int32_t x_zero, OutputQuantization output,
                                     Isa isa, int64_t block_bytes)
    : shape_(shape),
      isa_(isa),
      x_zero_(x_zero),
      output_(std::move(output)),
      stage_(make_output_stage(output_)) {
  const DepthwiseConvShape& s = shape_;
  const int64_t taps = s.kernel_h * s.kernel_w;
  OCTET_CHECK(s.batch > 0 && s.channels > 0 && s.in_h > 0 && s.in_w > 0 && s.kernel_h > 0 && s.kernel_w > 0 &&
                  s.stride_h > 0 && s.stride_w > 0 && s.dilation_h > 0 && s.dilation_w > 0 &&
                  s.pad_top >= 0 && s.pad_left >= 0 && s.pad_bottom >= 0 && s.pad_right >= 0 &&
                  s.out_h() > 0 && s.out_w() > 0,
              ErrorCode::kInvalidArgument, "depthwise convolution: invalid shape");
  OCTET_CHECK(taps <= kMaxDepthwiseTaps, ErrorCode::kUnsupported, "depthwise convolution: ", s.kernel_h, "x",
              s.kernel_w, " kernels are not supported (at most ", kMaxDepthwiseTaps, " taps)");
  OCTET_CHECK(static_cast<int64_t>(weights.size()) == s.channels * taps, ErrorCode::kInvalidArgument,
              "depthwise convolution: ", weights.size(), " weights, expected ", s.channels * taps);
  OCTET_CHECK(bias.empty() || static_cast<int64_t>(bias.size()) == s.channels, ErrorCode::kInvalidArgument,
              "depthwise convolution: ", bias.size(), " bias values, expected ", s.channels);
  OCTET_CHECK(x_zero >= 0 && x_zero <= 255, ErrorCode::kInvalidArgument,
              "depthwise convolution: x zero point ", x_zero, " is not a u8 value");
  check_output_quantization(output_, s.channels, "depthwise convolution");
  OCTET_CHECK(isa == Isa::kReference || cpu_supports(isa), ErrorCode::kInvalidArgument,
              "depthwise convolution: this CPU cannot run the ", isa_name(isa), " path");
  // The vector paths add the bias in int32: |bias| + |sum (x - x_zero) * w| must fit.
  const int64_t max_sum = 255 * 128 * taps;
  for (int32_t b : bias)
    OCTET_CHECK(std::abs(int64_t{b}) + 2 * max_sum <= std::numeric_limits<int32_t>::max(),
                ErrorCode::kUnsupported, "depthwise convolution: bias ", b,
                " could overflow the int32 accumulator");

  const int64_t full_width = isa == Isa::kAvx2 ? 32 : 64;
  OCTET_CHECK(isa == Isa::kReference || block_bytes == 0 || block_bytes == full_width ||
                  (block_bytes == 32 && isa == Isa::kAvx512Vnni),
              ErrorCode::kInvalidArgument, "depthwise convolution: no ", block_bytes, "-byte blocks on the ",
              isa_name(isa), " path");

  weights_.assign(weights.begin(), weights.end());
  bias_.assign(bias.begin(), bias.end());
  if (isa == Isa::kReference) return;

  block_ = block_bytes == 0 ? full_width : block_bytes;
  group_taps_ = isa == Isa::kAvx512Vnni ? 4 : 2;
  column_quads_ = group_taps_ == 4 && s.kernel_h == 3 && s.kernel_w == 3 && s.dilation_h == 1 &&
                  s.dilation_w == 1 && s.stride_w <= 2;
  const int64_t blocks = (s.channels + block_ - 1) / block_;
  const int64_t groups = (taps + group_taps_ - 1) / group_taps_;
  const auto weight = [&](int64_t c, int64_t t) -> int8_t {
    return c < s.channels && t < taps ? weights_[static_cast<size_t>(c * taps + t)] : int8_t{0};
  };
  // The tap in byte k of quad g: taps in row-major order, or in the column form tap (kh = k, kw = g) and a
  // phantom (zero weight) in byte 3.
  const auto quad_tap = [&](int64_t g, int64_t k) -> int64_t {
    if (!column_quads_) return 4 * g + k;
    return k < 3 ? k * 3 + g : taps;
  };
  packed_weights_.resize(static_cast<size_t>(blocks * groups * 4 * block_));
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t part = 0; part < 4; ++part) {
        int8_t* dst = packed_weights_.data() + ((b * groups + g) * 4 + part) * block_;
        for (int64_t byte = 0; byte < block_; ++byte) {
          if (group_taps_ == 4) {
            // Vector `part` = accumulator j: byte k = byte % 4 of int32 lane m = byte / 4 is tap
            // quad_tap(g, k) of that lane's channel (the interleave depthwise_block_quads builds).
            dst[byte] = weight(b * block_ + accumulator_channel(part, byte / 4), quad_tap(g, byte % 4));
          } else {
            // Parts lo_hi, lo_lo, hi_hi, hi_lo: byte 2i + t of 128-bit lane L is channel 16L + (8 if the hi
            // half) + i, tap 2g + t (what vpunpck{l,h}bw of two taps' channel vectors yields).
            const bool hi_half = part >= 2, high = part % 2 == 0;
            const int64_t lane = byte / 16, i = (byte % 16) / 2, t = byte % 2;
            const int8_t w = weight(b * block_ + 16 * lane + (hi_half ? 8 : 0) + i, 2 * g + t);
            dst[byte] = high ? high_part(w) : low_part(w);
          }
        }
      }
    }
  }
  OCTET_ASSERT(group_taps_ == 4 || maddubs_cannot_saturate(packed_weights_, 255));
  // Bias and scales in accumulator order (entry j * (block / 4) + m of a block is accumulator_channel(j, m)).
  // Padding taps read x_zero rather than contributing 0, so x_zero * sum(w) comes off the bias.
  // The output stage may round and saturate in integers when, for every channel, its accumulator bound
  // |acc| <= |bias| + (x_zero + 255) * sum |w| (the packed bias takes x_zero * sum w off, and the taps add x
  // * w with x in [0, 255]) times its scale is within 2^30; a NaN or infinite scale keeps the float clamp.
  const int64_t padded = blocks * block_;
  packed_bias_.assign(static_cast<size_t>(padded), 0);
  packed_scales_.assign(static_cast<size_t>(padded), 0.0f);
  bool integers_exact = output_.kind != OutputKind::kF32;
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t j = 0; j < 4; ++j) {
      for (int64_t m = 0; m < block_ / 4; ++m) {
        const int64_t c = b * block_ + accumulator_channel(j, m);
        if (c >= s.channels) continue;
        int64_t weight_sum = 0, abs_weight_sum = 0;
        for (int64_t t = 0; t < taps; ++t) {
          weight_sum += weight(c, t);
          abs_weight_sum += std::abs(int{weight(c, t)});
        }
        const int64_t channel_bias = bias_.empty() ? 0 : bias_[static_cast<size_t>(c)];
        const size_t at = static_cast<size_t>(b * block_ + j * (block_ / 4) + m);
        packed_bias_[at] = static_cast<int32_t>(channel_bias - int64_t{x_zero} * weight_sum);
        packed_scales_[at] = output_.scale(c);
        const double bound =
            static_cast<double>(std::abs(channel_bias) + (int64_t{x_zero} + 255) * abs_weight_sum);
        integers_exact =
            integers_exact && bound * std::abs(static_cast<double>(output_.scale(c))) <= 1073741824.0;
      }
    }
  }
  pad_row_.assign(static_cast<size_t>(padded), static_cast<uint8_t>(x_zero));
  stage_.saturate_in_integers = integers_exact;
}

void DepthwiseConvU8S8::run(const uint8_t* x, void* y) const {
  if (isa_ == Isa::kReference) {
    run_reference(x, y);
    return;
  }
  DepthwiseConvArgs args;
  args.x = x;
  args.y = y;
  args.pad_row = pad_row_.data();
  args.weights = packed_weights_.data();
  args.bias = packed_bias_.data();
  args.scales = packed_scales_.data();
  const DepthwiseConvShape& s = shape_;
  args.batch = s.batch;
  args.channels = s.channels;
  args.in_h = s.in_h;
  args.in_w = s.in_w;
  args.out_h = s.out_h();
  args.out_w = s.out_w();
  args.kernel_h = s.kernel_h;
  args.kernel_w = s.kernel_w;
  args.stride_h = s.stride_h;
  args.stride_w = s.stride_w;
  args.dilation_h = s.dilation_h;
  args.dilation_w = s.dilation_w;
  args.pad_top = s.pad_top;
  args.pad_left = s.pad_left;
  args.column_quads = column_quads_;
  args.out = stage_;
  const RowKernel kernel = row_kernel(isa_, block_);
  // The column form splits rows into channel blocks too (int8_kernel_args.h).
  const int64_t items = s.batch * args.out_h * (column_quads_ ? (s.channels + block_ - 1) / block_ : 1);
#pragma omp parallel for schedule(static)
  for (int64_t item = 0; item < items; ++item) kernel(args, item, item + 1);
}

// The oracle: the definition, one output element at a time, from the weights as given.
void DepthwiseConvU8S8::run_reference(const uint8_t* x, void* y) const {
  const DepthwiseConvShape& s = shape_;
  const int64_t out_h = s.out_h(), out_w = s.out_w(), taps = s.kernel_h * s.kernel_w;
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t oh = 0; oh < out_h; ++oh) {
      for (int64_t ow = 0; ow < out_w; ++ow) {
        for (int64_t c = 0; c < s.channels; ++c) {
          int64_t acc = bias_.empty() ? 0 : bias_[static_cast<size_t>(c)];
          for (int64_t kh = 0; kh < s.kernel_h; ++kh) {
            const int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
            if (ih < 0 || ih >= s.in_h) continue;
            for (int64_t kw = 0; kw < s.kernel_w; ++kw) {
              const int64_t iw = ow * s.stride_w - s.pad_left + kw * s.dilation_w;
              if (iw < 0 || iw >= s.in_w) continue;
              const int32_t xv = x[((n * s.in_h + ih) * s.in_w + iw) * s.channels + c];
              acc += (xv - x_zero_) * weights_[static_cast<size_t>(c * taps + kh * s.kernel_w + kw)];
            }
          }
          store_output(stage_, output_.scale(c), acc, y, ((n * out_h + oh) * out_w + ow) * s.channels + c);
        }
      }
    }
  }
}

}  // namespace octet::x86
