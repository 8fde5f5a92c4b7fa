#include "kernels/onednn/int8_qlinear_scale_shift.h"

#include <cmath>
#include <vector>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/x86_isa_loops.h"
#include "ops/qlinear_scale_shift.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

// QLinearScaleShift's inputs: X, x_scale, x_zero_point, multiplier, offset, y_scale, y_zero_point.
constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kMultiplier = 3, kOffset = 4, kYScale = 5, kYZero = 6;

// A channels-last row (the coefficients vary along it) and a plain channel plane (one multiplier and offset):
// separate functions with restrict pointers and by-value sizes, because inside the OpenMP region GCC could
// not prove the shared sizes invariant ("complicated access pattern") and left the loops scalar. Always
// inlined, into the instruction set's copy of the caller (x86_isa_loops.h).
template <typename X, typename Y>
[[gnu::always_inline]] inline void row_loop(const X* __restrict in, Y* __restrict out, int64_t count,
                                            const float* __restrict m, const float* __restrict b,
                                            int32_t x_zero, int32_t y_zero) {
#pragma omp simd
  for (int64_t i = 0; i < count; ++i)
    out[i] = scale_shift_value_vectorizable<Y>(int32_t{in[i]} - x_zero, m[i], b[i], y_zero);
}

template <typename X, typename Y>
[[gnu::always_inline]] inline void plane_loop(const X* __restrict in, Y* __restrict out, int64_t count,
                                              float m, float b, int32_t x_zero, int32_t y_zero) {
#pragma omp simd
  for (int64_t i = 0; i < count; ++i)
    out[i] = scale_shift_value_vectorizable<Y>(int32_t{in[i]} - x_zero, m, b, y_zero);
}

class QLinearScaleShiftKernel : public Int8LoopKernel {
 public:
  // `multiplier` and `offset` hold one coefficient per channel.
  QLinearScaleShiftKernel(x86::Isa isa, ElementType x_type, ElementType y_type, bool channels_last,
                          int64_t batch, int64_t channels, int64_t spatial, int32_t x_zero,
                          std::vector<float> multiplier, std::vector<float> offset, int32_t y_zero)
      : Int8LoopKernel("qlinear_loop_I8"),
        isa_(isa),
        x_signed_(x_type == ElementType::kI8),
        y_signed_(y_type == ElementType::kI8),
        channels_last_(channels_last),
        batch_(batch),
        channels_(channels),
        spatial_(spatial),
        x_zero_(x_zero),
        multiplier_(std::move(multiplier)),
        offset_(std::move(offset)),
        y_zero_(y_zero) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    if (x_signed_) {
      run_from(static_cast<const int8_t*>(inputs[0]), outputs[0]);
    } else {
      run_from(static_cast<const uint8_t*>(inputs[0]), outputs[0]);
    }
  }

 private:
  template <typename X>
  void run_from(const X* x, void* y) const {
    if (y_signed_) {
      map(x, static_cast<int8_t*>(y));
    } else {
      map(x, static_cast<uint8_t*>(y));
    }
  }

  template <typename X, typename Y>
  void map(const X* x, Y* y) const {
    const float* m = multiplier_.data();
    const float* b = offset_.data();
    const int32_t x_zero = x_zero_, y_zero = y_zero_;
    const int64_t channels = channels_, spatial = spatial_;
    if (channels_last_) {
      const int64_t rows = batch_ * spatial;
#pragma omp parallel for schedule(static) if (rows * channels > (1 << 15))
      for (int64_t r = 0; r < rows; ++r) {
        x86::run_for_isa(isa_, [&] [[gnu::always_inline]] {
          row_loop(x + r * channels, y + r * channels, channels, m, b, x_zero, y_zero);
        });
      }
      return;
    }
    const int64_t planes = batch_ * channels;
#pragma omp parallel for schedule(static) if (planes * spatial > (1 << 15))
    for (int64_t p = 0; p < planes; ++p) {
      const int64_t c = p % channels;
      x86::run_for_isa(isa_, [&] [[gnu::always_inline]] {
        plane_loop(x + p * spatial, y + p * spatial, spatial, m[c], b[c], x_zero, y_zero);
      });
    }
  }

  x86::Isa isa_;
  bool x_signed_, y_signed_, channels_last_;
  int64_t batch_, channels_, spatial_;
  int32_t x_zero_;
  std::vector<float> multiplier_, offset_;
  int32_t y_zero_;
};

// The constant f32 vector at `index` (one value per channel or one in all), expanded to `channels` values.
std::optional<std::vector<float>> channel_coefficients(const Node& node, size_t index, int64_t channels,
                                                       std::string& why_not) {
  const Value* value = node.input(index);
  if (!value || !value->is_constant() || value->type() != ElementType::kF32 || value->constant().rank() > 1 ||
      (value->constant().element_count() != 1 && value->constant().element_count() != channels)) {
    why_not = str_cat("input ", index, " is not a constant f32 vector of one value per channel");
    return std::nullopt;
  }
  const auto values = value->constant().values<float>();
  if (values.size() == 1) return std::vector<float>(static_cast<size_t>(channels), values[0]);
  return std::vector<float>(values.begin(), values.end());
}

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_scale_shift(const KernelRequest& request,
                                                            std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != kX || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty() || !is_8bit(request.outputs[0].type)) {
    why_not = "needs one runtime u8/i8 input, constant parameters and a u8/i8 output";
    return std::nullopt;
  }
  const BufferDesc& x = request.inputs[0];
  if (x.dims.size() < 2 || element_count(x.dims) == 0) {
    why_not = "needs a non-empty input with a channel axis";
    return std::nullopt;
  }
  const int64_t channels = x.dims[1];
  const auto x_scale = constant_scales(node, kXScale, why_not);
  const auto y_scale = constant_scales(node, kYScale, why_not);
  const auto x_zero = constant_zero_points(node, kXZero, why_not);
  const auto y_zero = constant_zero_points(node, kYZero, why_not);
  const auto multiplier = channel_coefficients(node, kMultiplier, channels, why_not);
  const auto offset = channel_coefficients(node, kOffset, channels, why_not);
  if (!x_scale || !y_scale || !x_zero || !y_zero || !multiplier || !offset) return std::nullopt;
  if (x_scale->size() != 1 || y_scale->size() != 1 || x_zero->size() != 1 || y_zero->size() != 1) {
    why_not = "needs per-tensor x and y parameters";
    return std::nullopt;
  }
  const ScaleShiftCoefficients k =
      scale_shift_coefficients((*x_scale)[0], *multiplier, *offset, (*y_scale)[0]);
  for (size_t c = 0; c < k.multiplier.size(); ++c) {
    // The loops are compiled for finite math (src/CMakeLists.txt): |x * m + b| <= 255 |m| + |b| must stay
    // far from overflow, which these bounds guarantee (and they exclude NaN and infinity).
    if (!(std::fabs(k.multiplier[c]) < 1e30f) || !(std::fabs(k.offset[c]) < 1e30f)) {
      why_not = str_cat("channel ", c, "'s coefficients are not finite or beyond 1e30");
      return std::nullopt;
    }
  }
  // Channels-last memory (an int8 convolution's output) is read and written as it is; anything else plain.
  const std::string layout = x.has_dnnl_desc() ? x.layout_name() : "plain";
  const bool channels_last = layout == "nhwc" || layout == "nwc" || layout == "ndhwc";
  const ElementType y_type = request.outputs[0].type;
  KernelChoice choice;
  if (channels_last) {
    choice.inputs.push_back(x);
    choice.outputs.push_back(BufferDesc::from_dnnl(y_type, with_element_type(x.md, y_type)));
  } else {
    choice.inputs.push_back(BufferDesc::plain(x.type, x.dims));
    choice.outputs.push_back(BufferDesc::plain(y_type, x.dims));
  }
  const int64_t batch = x.dims[0];
  // The widest vector path: every path computes the same floats (x86::default_isa honours OCTET_X86_ISA).
  choice.kernel = std::make_shared<QLinearScaleShiftKernel>(
      x86::default_isa(), x.type, y_type, channels_last, batch, channels,
      element_count(x.dims) / (batch * channels), (*x_zero)[0], k.multiplier, k.offset, (*y_zero)[0]);
  return choice;
}

}  // namespace octet::cpu
