#include "kernels/onednn/int8_qlinear_average_pool.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/int8_qlinear_pool_params.h"
#include "ops/average_pool_windows.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

class QLinearAveragePoolKernel : public Int8LoopKernel {
 public:
  QLinearAveragePoolKernel(bool is_signed, bool channels_last, AveragePoolWindows windows, int32_t x_zero,
                           float x_scale, float y_scale, int32_t y_zero)
      : Int8LoopKernel("qlinear_loop_I8"),
        signed_(is_signed),
        channels_last_(channels_last),
        w_(std::move(windows)),
        x_zero_(x_zero),
        y_zero_(y_zero) {
    multipliers_.reserve(w_.divisor.size());
    for (int64_t divisor : w_.divisor)
      multipliers_.push_back(average_pool_multiplier(x_scale, y_scale, divisor));
  }

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    with_8bit_buffers(signed_, inputs[0], outputs[0], [this](const auto* x, auto* y) { pool(x, y); });
  }

 private:
  template <typename T>
  void pool(const T* x, T* y) const {
    const int64_t positions = w_.batch * w_.out_plane;
#pragma omp parallel for schedule(static) if (positions * w_.channels > (1 << 14))
    for (int64_t position = 0; position < positions; ++position) {
      const int64_t n = position / w_.out_plane, o = position % w_.out_plane;
      const auto first = static_cast<size_t>(w_.tap_begin[static_cast<size_t>(o)]);
      const auto last = static_cast<size_t>(w_.tap_begin[static_cast<size_t>(o) + 1]);
      // sum(x - x_zp) over the taps = sum(x) - taps * x_zp, exact in int32 (at most 2^23 taps of 255).
      const auto zero_sum = static_cast<int32_t>(last - first) * x_zero_;
      const float multiplier = multipliers_[static_cast<size_t>(o)];
      if (channels_last_) {
        const T* image = x + n * w_.in_plane * w_.channels;
        T* out = y + position * w_.channels;
        for (int64_t c0 = 0; c0 < w_.channels; c0 += kPoolChannelBlock) {
          const int64_t width = std::min(kPoolChannelBlock, w_.channels - c0);
          int32_t sums[kPoolChannelBlock] = {};
          for (size_t t = first; t < last; ++t) {
            const T* row = image + w_.taps[t] * w_.channels + c0;
            // simd: the byte rows may alias the sums as far as C++ knows; they do not.
#pragma omp simd
            for (int64_t c = 0; c < width; ++c) sums[c] += row[c];
          }
#pragma omp simd
          for (int64_t c = 0; c < width; ++c)
            out[c0 + c] = requantize_vectorizable<T>(sums[c] - zero_sum, multiplier, y_zero_);
        }
      } else {
        for (int64_t c = 0; c < w_.channels; ++c) {
          const T* plane = x + (n * w_.channels + c) * w_.in_plane;
          int32_t sum = 0;
          for (size_t t = first; t < last; ++t) sum += plane[w_.taps[t]];
          y[(n * w_.channels + c) * w_.out_plane + o] =
              requantize_vectorizable<T>(sum - zero_sum, multiplier, y_zero_);
        }
      }
    }
  }

  bool signed_, channels_last_;
  AveragePoolWindows w_;
  int32_t x_zero_, y_zero_;
  std::vector<float> multipliers_;  // per output position
};

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_average_pool(const KernelRequest& request,
                                                             std::string& why_not) {
  const std::optional<QLinearPoolParams> p = qlinear_pool_params(request, why_not);
  if (!p) return std::nullopt;
  const Node& node = request.node;
  const BufferDesc& x = request.inputs[0];
  // requantize_vectorizable needs a finite multiplier (an infinite one times a zero sum is NaN, which the
  // reference saturates to 0); the largest is the one for a single tap.
  if (!std::isfinite(average_pool_multiplier(p->x_scale, p->y_scale, 1))) {
    why_not = "x_scale / y_scale overflows float";
    return std::nullopt;
  }
  AveragePoolWindows windows = qlinear_average_pool_windows(node, x.dims);
  if (windows.out_plane == 0 || element_count(windows.y_dims) == 0) {
    why_not = "empty output";
    return std::nullopt;
  }
  // A window's sum must fit in int32: at most 255 per tap.
  const int64_t widest = *std::max_element(windows.divisor.begin(), windows.divisor.end());
  if (widest > (int64_t{1} << 23)) {
    why_not = "windows too large for an int32 sum";
    return std::nullopt;
  }
  // NCHW tensors of rank 3 to 5 are pooled in channels-last memory (nwc, nhwc, ndhwc): there a tap adds a row
  // of consecutive channels, which vectorizes, where NCHW gathers one byte per tap and channel (2.3 ms
  // against 0.2 ms on Inception v3's 35x35x192 pools). oneDNN's int8 convolutions write that layout already;
  // anything else gets a reorder in front.
  BufferDesc in_layout = BufferDesc::plain(x.type, x.dims);
  BufferDesc out_layout = BufferDesc::plain(request.outputs[0].type, request.outputs[0].dims);
  bool channels_last = windows.channels_last;
  if (!channels_last && x.dims.size() <= 5) {
    using tag = dnnl::memory::format_tag;
    const tag layout = x.dims.size() == 3 ? tag::acb : x.dims.size() == 4 ? tag::acdb : tag::acdeb;
    const BufferDesc& y = request.outputs[0];
    in_layout =
        BufferDesc::from_dnnl(x.type, dnnl::memory::desc(to_dnnl_dims(x.dims), to_dnnl(x.type), layout));
    out_layout =
        BufferDesc::from_dnnl(y.type, dnnl::memory::desc(to_dnnl_dims(y.dims), to_dnnl(y.type), layout));
    channels_last = true;
  }
  KernelChoice choice;
  choice.inputs.push_back(in_layout);
  choice.outputs.push_back(out_layout);
  choice.kernel = std::make_shared<QLinearAveragePoolKernel>(x.type == ElementType::kI8, channels_last,
                                                             std::move(windows), p->x_zero, p->x_scale,
                                                             p->y_scale, p->y_zero);
  return choice;
}

}  // namespace octet::cpu
