#include "quantization/weight_quantization.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/onednn/onednn_int8_exactness.h"
#include "octet/error.h"

namespace octet::quantization {
namespace {

// The i16 pair budget of vpmaddubsw: (|q0| + |q1|) * 255 <= 32767.
constexpr float kPairBudget = 128.0f;

// Per channel (or for the whole tensor), the largest |w0| + |w1| over the pairs an int8 kernel may add in one
// i16 (WeightOptions::saturation_safe). `inner` elements follow the channel axis; the reduction row of a
// channel is every (outer, inner) position. Pairs: consecutive elements of that row, and for rank >= 3
// weights with the channel first ([O, I, taps...]), input channels (2j, 2j + 1) at one tap.
std::vector<float> largest_pair_sums(const Tensor& w, int64_t channel_axis, bool per_channel) {
  const int64_t channels = w.dims()[static_cast<size_t>(channel_axis)];
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < w.rank(); ++d) inner *= w.dims()[d];
  const float* v = w.data<float>();
  const int64_t outer = w.element_count() / (channels * inner);
  std::vector<float> largest(static_cast<size_t>(per_channel ? channels : 1), 0.0f);
  const auto at = [&](int64_t c, int64_t position) {
    return std::abs(v[((position / inner) * channels + c) * inner + position % inner]);
  };
  const int64_t row = outer * inner;
  for (int64_t c = 0; c < channels; ++c) {
    float& worst = largest[static_cast<size_t>(per_channel ? c : 0)];
    for (int64_t j = 0; j < row; j += 2)
      worst = std::max(worst, at(c, j) + (j + 1 < row ? at(c, j + 1) : 0.0f));
    if (channel_axis == 0 && w.rank() >= 3) {
      const int64_t taps = inner / w.dims()[1], inputs = w.dims()[1];
      for (int64_t t = 0; t < taps; ++t)
        for (int64_t i = 0; i < inputs; i += 2)
          worst = std::max(worst, at(c, i * taps + t) + (i + 1 < inputs ? at(c, (i + 1) * taps + t) : 0.0f));
    }
  }
  return largest;
}

}  // namespace

WeightLimits symmetric_weight_limits(const Tensor& w, int axis, const WeightOptions& options) {
  OCTET_CHECK(w.type() == ElementType::kF32, ErrorCode::kUnsupported, "weights of type ", to_string(w.type()),
              ": only f32 weights are quantized");
  const int levels = options.levels;
  // Narrow: levels 2k + 1 over [-k, k]; full: levels 2k over [-k, k - 1].
  OCTET_CHECK(levels >= 3 && levels <= 65536 && (levels % 2 == 1) == options.narrow_range,
              ErrorCode::kInvalidArgument, "weight levels ", levels, " with narrow_range ",
              options.narrow_range ? "on" : "off", ": need an odd number >= 3 with narrow range, else even");
  const auto rank = static_cast<int64_t>(w.rank());
  const int64_t channel_axis = axis < 0 ? axis + rank : axis;
  OCTET_CHECK(
      (!options.per_channel && !options.saturation_safe) || (channel_axis >= 0 && channel_axis < rank),
      ErrorCode::kInvalidArgument, "weight channel axis ", axis, " is out of range for weights of rank ",
      rank);
  const int64_t channels = options.per_channel ? w.dims()[static_cast<size_t>(channel_axis)] : 1;
  int64_t inner = 1;
  if (options.per_channel)
    for (int64_t d = channel_axis + 1; d < rank; ++d) inner *= w.dims()[static_cast<size_t>(d)];

  std::vector<float> largest(static_cast<size_t>(channels), 0.0f),
      smallest(static_cast<size_t>(channels), 0.0f);
  const float* values = w.data<float>();
  for (int64_t i = 0; i < w.element_count(); ++i) {
    OCTET_CHECK(std::isfinite(values[i]), ErrorCode::kInvalidModel, "weights hold a non-finite value at ", i);
    const auto c = static_cast<size_t>(options.per_channel ? (i / inner) % channels : 0);
    largest[c] = std::max(largest[c], values[i]);
    smallest[c] = std::min(smallest[c], values[i]);
  }
  const float top = static_cast<float>(options.narrow_range ? (levels - 1) / 2 : levels / 2 - 1);
  const float bottom = static_cast<float>(options.narrow_range ? (levels - 1) / 2 : levels / 2);
  // Saturation-safe: |w0| / s + |w1| / s <= budget - 1 for every pair, so that the rounded |q0| + |q1|
  // (each at most half a step above) stays <= budget.
  const std::vector<float> pairs = options.saturation_safe
                                       ? largest_pair_sums(w, channel_axis, options.per_channel)
                                       : std::vector<float>{};

  Dims limit_dims(w.rank(), 1);
  if (options.per_channel) limit_dims[static_cast<size_t>(channel_axis)] = channels;
  WeightLimits limits{Tensor(ElementType::kF32, limit_dims), Tensor(ElementType::kF32, limit_dims), levels};
  // The smallest step that keeps every value of the channel inside the grid (and its pairs in the budget).
  const auto step = [&](float high, float low, float pair) {
    return std::max({high / top, -low / bottom, pair / (kPairBudget - 1.0f)});
  };
  // A channel of zeros is exact on any grid; it gets the tensor's step (1 for all-zero weights), not an
  // empty range, which the ONNX QDQ form cannot express and which would make its i32 bias scale 0.
  float tensor_step = step(*std::max_element(largest.begin(), largest.end()),
                           *std::min_element(smallest.begin(), smallest.end()),
                           pairs.empty() ? 0.0f : *std::max_element(pairs.begin(), pairs.end()));
  if (!(tensor_step > 0.0f)) tensor_step = 1.0f;
  for (size_t c = 0; c < static_cast<size_t>(channels); ++c) {
    float scale = step(largest[c], smallest[c], pairs.empty() ? 0.0f : pairs[c]);
    if (!(scale > 0.0f)) scale = tensor_step;
    limits.low.data<float>()[c] = -bottom * scale;
    limits.high.data<float>()[c] = top * scale;
  }
  return limits;
}

// The runtime's int8 kernels are oneDNN's: ask oneDNN (which also honours ONEDNN_MAX_CPU_ISA).
bool cpu_needs_saturation_safe_weights() {
  return !cpu::onednn_int8_has_vnni();
}

}  // namespace octet::quantization
