#include "kernels/onednn/int8_qlinear_global_average_pool.h"

#include <algorithm>
#include <cmath>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/int8_qlinear_pool_params.h"
#include "kernels/x86/x86_isa_loops.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

class QLinearGlobalAveragePoolKernel : public Int8LoopKernel {
 public:
  QLinearGlobalAveragePoolKernel(x86::Isa isa, bool is_signed, bool channels_last, int64_t batch,
                                 int64_t channels, int64_t spatial, int32_t x_zero, float multiplier,
                                 int32_t y_zero)
      : Int8LoopKernel("qlinear_loop_I8"),
        isa_(isa),
        signed_(is_signed),
        channels_last_(channels_last),
        batch_(batch),
        channels_(channels),
        spatial_(spatial),
        x_zero_(x_zero),
        multiplier_(multiplier),
        y_zero_(y_zero) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    with_8bit_buffers(signed_, inputs[0], outputs[0], [this](const auto* x, auto* y) { pool(x, y); });
  }

 private:
  template <typename T>
  void pool(const T* x, T* y) const {
    // sum(x - x_zp) = sum(x) - n * x_zp, exact in int32 (the factory allows at most 2^23 positions of 255).
    const auto zero_sum = static_cast<int32_t>(spatial_ * x_zero_);
    if (!channels_last_) {
      for (int64_t n = 0; n < batch_; ++n) {
        for (int64_t c = 0; c < channels_; ++c) {
          const T* plane = x + (n * channels_ + c) * spatial_;
          int32_t sum = 0;
          for (int64_t s = 0; s < spatial_; ++s) sum += plane[s];
          y[n * channels_ + c] = requantize_vectorizable<T>(sum - zero_sum, multiplier_, y_zero_);
        }
      }
      return;
    }
    // Channels-last: one job per (image, block of 64 channels), each summing its block over every position.
    const int64_t blocks = (channels_ + kPoolChannelBlock - 1) / kPoolChannelBlock;
#pragma omp parallel for schedule(static) if (batch_ * spatial_ * channels_ > (int64_t{1} << 16))
    for (int64_t job = 0; job < batch_ * blocks; ++job) {
      const int64_t n = job / blocks, c0 = job % blocks * kPoolChannelBlock;
      const int64_t width = std::min(kPoolChannelBlock, channels_ - c0);
      const T* image = x + n * channels_ * spatial_ + c0;
      T* out = y + n * channels_ + c0;
      x86::run_for_isa(isa_, [&] [[gnu::always_inline]] {
        int32_t sums[kPoolChannelBlock] = {};
        for (int64_t s = 0; s < spatial_; ++s) {
          const T* row = image + s * channels_;
          // simd: the byte rows may alias the sums as far as C++ knows; they do not.
#pragma omp simd
          for (int64_t c = 0; c < width; ++c) sums[c] += row[c];
        }
#pragma omp simd
        for (int64_t c = 0; c < width; ++c)
          out[c] = requantize_vectorizable<T>(sums[c] - zero_sum, multiplier_, y_zero_);
      });
    }
  }

  x86::Isa isa_;
  bool signed_, channels_last_;
  int64_t batch_, channels_, spatial_;
  int32_t x_zero_;
  float multiplier_;
  int32_t y_zero_;
};

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_global_average_pool(const KernelRequest& request,
                                                                    std::string& why_not) {
  const std::optional<QLinearPoolParams> p = qlinear_pool_params(request, why_not);
  if (!p) return std::nullopt;
  const Node& node = request.node;
  const BufferDesc& x = request.inputs[0];
  const bool attribute_channels_last = node.attribute_or<int64_t>("channels_last", 0) != 0;
  const int64_t batch = x.dims[0];
  const int64_t channels = attribute_channels_last ? x.dims.back() : x.dims[1];
  const int64_t spatial = element_count(x.dims) / (batch * channels);
  // An NCHW tensor stored channels-last (nhwc, nwc, ndhwc) is read as it is.
  BufferDesc layout = BufferDesc::plain(x.type, x.dims);
  bool channels_last = attribute_channels_last;
  if (!attribute_channels_last && x.has_dnnl_desc()) {
    const std::string name = x.layout_name();
    if (name == "nhwc" || name == "nwc" || name == "ndhwc") {
      layout = x;
      channels_last = true;
    }
  }
  // The sum of a channel must fit in int32: at most 255 * spatial.
  if (spatial > (int64_t{1} << 23)) {
    why_not = "too many spatial positions for an int32 sum";
    return std::nullopt;
  }
  const float multiplier = p->x_scale / (p->y_scale * static_cast<float>(spatial));
  // requantize_vectorizable needs a finite multiplier (an infinite one times a zero sum is NaN, which the
  // reference saturates to 0).
  if (!std::isfinite(multiplier)) {
    why_not = "x_scale / y_scale overflows float";
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(layout);
  choice.outputs.push_back(BufferDesc::plain(request.outputs[0].type, request.outputs[0].dims));
  choice.kernel = std::make_shared<QLinearGlobalAveragePoolKernel>(
      x86::default_isa(), x.type == ElementType::kI8, channels_last, batch, channels, spatial, p->x_zero,
      multiplier, p->y_zero);
  return choice;
}

}  // namespace octet::cpu
