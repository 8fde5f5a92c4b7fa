#include "quantization/tensor_statistics.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <numeric>

namespace octet::quantization {
namespace {

constexpr size_t kBins = TensorStatistics::kHistogramBins;

struct SampleExtremes {
  float min = 0, max = 0;
  bool finite = true;
  uint64_t zeros = 0;  // +0.0 and -0.0
};

// Eight independent lanes: the compiler keeps them in one vector register (a single running min/max/sum is a
// serial dependency chain that -O3 does not vectorize without -ffast-math).
constexpr size_t kLanes = 8;

SampleExtremes extremes_of(std::span<const float> values) {
  std::array<float, kLanes> lo, hi;
  lo.fill(values[0]);
  hi.fill(values[0]);
  std::array<uint32_t, kLanes> zeros{}, finite;
  finite.fill(1);
  const auto lane = [&](size_t l, float v) {
    const uint32_t bits = std::bit_cast<uint32_t>(v);
    lo[l] = v < lo[l] ? v : lo[l];
    hi[l] = v > hi[l] ? v : hi[l];
    // 0 for NaN and for infinities (exponent bits all set); std::isfinite would not vectorize.
    finite[l] &= (bits & 0x7f800000u) != 0x7f800000u;
    zeros[l] += (bits & 0x7fffffffu) == 0u;
  };
  const size_t n = values.size();
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (size_t l = 0; l < kLanes; ++l) lane(l, values[i + l]);
  }
  for (; i < n; ++i) lane(0, values[i]);
  const auto sum = [](const std::array<uint32_t, kLanes>& a) {
    return std::accumulate(a.begin(), a.end(), uint64_t{0});
  };
  return {*std::min_element(lo.begin(), lo.end()), *std::max_element(hi.begin(), hi.end()),
          sum(finite) == kLanes, sum(zeros)};
}

double sum_of(const float* data, size_t n) {
  std::array<double, kLanes> partial{};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (size_t l = 0; l < kLanes; ++l) partial[l] += static_cast<double>(data[i + l]);
  }
  double sum = std::accumulate(partial.begin(), partial.end(), 0.0);
  for (; i < n; ++i) sum += static_cast<double>(data[i]);
  return sum;
}

void trim_trailing_zeros(std::vector<double>& counts, size_t keep_at_least) {
  while (counts.size() > keep_at_least && counts.back() == 0.0) counts.pop_back();
}

// Adds every non-zero value to its half's bin floor(|v| / width).
// Branch-free, because the sign of activations is unpredictable (ReLU outputs are half zeros): the sign bit
// picks the half and its inverse width. Multiplying by the inverse width, a power of two, is exact, so the
// index is below kBins (each half covers its sign's largest magnitude, covering_exponent) and the merged
// histogram equals a one-pass histogram at the final width; the mask only keeps a bug from writing outside.
template <typename Real>
void bin_values(std::span<const float> values, const std::array<uint64_t*, 2>& halves,
                const std::array<Real, 2>& inverses) {
  // Zeros go to one of eight scratch counters in turn (they are counted apart already): runs of zeros would
  // otherwise wait on one counter's store-to-load latency. Targets by (is_zero, sign).
  std::array<uint64_t, 8> scratch{};
  const std::array<uint64_t*, 4> targets = {halves[0], halves[1], scratch.data(), scratch.data()};
  for (size_t i = 0; i < values.size(); ++i) {
    const uint32_t bits = std::bit_cast<uint32_t>(values[i]);
    const uint32_t sign = bits >> 31;
    const uint32_t magnitude_bits = bits & 0x7fffffffu;
    const uint32_t zero = magnitude_bits == 0 ? 1 : 0;
    const Real magnitude = static_cast<Real>(std::bit_cast<float>(magnitude_bits));
    const auto bin = static_cast<uint32_t>(magnitude * inverses[sign]) & (kBins - 1);
    const uint32_t zero_mask = 0u - zero;
    const uint32_t index = (bin & ~zero_mask) | (static_cast<uint32_t>(i & 7) & zero_mask);
    ++targets[sign | (zero << 1)][index];
  }
}

}  // namespace

void TensorStatistics::bin_sample(std::span<const float> values) {
  // A half may still be unset (empty, null data) when no value of its sign was seen: it is never a target.
  const std::array<uint64_t*, 2> halves = {positive_.counts.data(), negative_.counts.data()};
  const auto inverse = [](const HalfHistogram& half) {
    return half.counts.empty() ? 0.0 : std::ldexp(1.0, -half.exponent);
  };
  const std::array<double, 2> inverses = {inverse(positive_), inverse(negative_)};
  // Float arithmetic is faster; inverse widths beyond float's exponent range (|values| below ~1e-34 or above
  // ~1e38) take the double path.
  constexpr double kFloatLimit = 0x1p120;
  const auto fits_float = [&](double x) { return x == 0 || (x < kFloatLimit && x * kFloatLimit >= 1); };
  if (fits_float(inverses[0]) && fits_float(inverses[1])) {
    bin_values<float>(values, halves, {static_cast<float>(inverses[0]), static_cast<float>(inverses[1])});
  } else {
    bin_values<double>(values, halves, inverses);
  }
}

double Histogram::total() const {
  return std::accumulate(counts.begin(), counts.end(), 0.0);
}

int covering_exponent(double value, size_t bins) {
  int e = 0;
  std::frexp(value / static_cast<double>(bins), &e);
  // frexp gives 2^(e-1) <= value / bins < 2^e; the loops only guard against rounding in the division.
  while (std::ldexp(static_cast<double>(bins), e) <= value) ++e;
  while (std::ldexp(static_cast<double>(bins), e - 1) > value) --e;
  return e;
}

void TensorStatistics::HalfHistogram::widen_to_cover(double magnitude) {
  if (magnitude > 0) widen_to(covering_exponent(magnitude, kBins));
}

void TensorStatistics::HalfHistogram::widen_to(int new_exponent) {
  if (exponent == kUnset) {
    exponent = new_exponent;
    counts.assign(kBins, 0);
    return;
  }
  if (new_exponent <= exponent) return;
  const int shift = new_exponent - exponent;
  std::vector<uint64_t> merged(kBins, 0);
  for (size_t i = 0; i < kBins; ++i) {
    merged[shift >= 63 ? 0 : (i >> shift)] += counts[i];
  }
  counts = std::move(merged);
  exponent = new_exponent;
}

std::vector<double> TensorStatistics::HalfHistogram::at_exponent(int target_exponent) const {
  std::vector<double> result(kBins, 0.0);
  if (exponent == kUnset) return result;
  OCTET_ASSERT(target_exponent >= exponent);
  const int shift = target_exponent - exponent;
  for (size_t i = 0; i < kBins; ++i) {
    result[shift >= 63 ? 0 : (i >> shift)] += static_cast<double>(counts[i]);
  }
  return result;
}

TensorStatistics::TensorStatistics(std::string name, bool per_channel_mean)
    : name_(std::move(name)), per_channel_mean_(per_channel_mean) {}

void TensorStatistics::check_sample(const Tensor& sample) const {
  OCTET_CHECK(sample.type() == ElementType::kF32, ErrorCode::kInvalidArgument, "calibration tensor '", name_,
              "' is ", sample.description(), ": only f32 activations can be calibrated");
  OCTET_CHECK(sample.element_count() > 0, ErrorCode::kInvalidArgument, "calibration tensor '", name_,
              "' is empty (", sample.description(), ") in sample ", samples_);
  if (per_channel_mean_) {
    OCTET_CHECK(sample.rank() >= 2, ErrorCode::kInvalidArgument, "calibration tensor '", name_, "' is ",
                sample.description(), ": a per-channel mean needs a channel axis 1");
    OCTET_CHECK(channel_sums_.empty() || static_cast<int64_t>(channel_sums_.size()) == sample.dims()[1],
                ErrorCode::kInvalidArgument, "calibration tensor '", name_, "' has ", sample.dims()[1],
                " channels in sample ", samples_, " but ", channel_sums_.size(), " before");
  }
}

void TensorStatistics::add(const Tensor& sample) {
  check_sample(sample);
  const std::span<const float> values = sample.values<float>();
  const SampleExtremes ex = extremes_of(values);
  OCTET_CHECK(ex.finite, ErrorCode::kInvalidArgument, "calibration tensor '", name_, "' has NaN or infinite ",
              "values in sample ", samples_);

  if (samples_ == 0) {
    min_ = ex.min;
    max_ = ex.max;
  } else {
    min_ = std::min(min_, ex.min);
    max_ = std::max(max_, ex.max);
  }
  sum_min_ += ex.min;
  sum_max_ += ex.max;
  sum_abs_max_ += std::max(std::abs(ex.min), std::abs(ex.max));

  positive_.widen_to_cover(ex.max);
  negative_.widen_to_cover(-ex.min);
  bin_sample(values);
  zeros_ += ex.zeros;
  elements_ += static_cast<uint64_t>(values.size());
  if (per_channel_mean_) add_channel_sums(sample);
  ++samples_;
}

void TensorStatistics::add_channel_sums(const Tensor& sample) {
  const Dims& dims = sample.dims();
  const auto channels = static_cast<size_t>(dims[1]);
  const auto outer = static_cast<size_t>(dims[0]);
  const size_t inner = static_cast<size_t>(sample.element_count()) / (outer * channels);
  if (channel_sums_.empty()) channel_sums_.assign(channels, 0.0);
  const float* data = sample.data<float>();
  for (size_t n = 0; n < outer; ++n) {
    for (size_t c = 0; c < channels; ++c) {
      channel_sums_[c] += sum_of(data + (n * channels + c) * inner, inner);
    }
  }
  elements_per_channel_ += outer * inner;
}

void TensorStatistics::check_not_empty() const {
  OCTET_CHECK(samples_ > 0, ErrorCode::kInvalidArgument, "calibration tensor '", name_, "' has no samples");
}

float TensorStatistics::min() const {
  check_not_empty();
  return min_;
}

float TensorStatistics::max() const {
  check_not_empty();
  return max_;
}

double TensorStatistics::mean_min() const {
  check_not_empty();
  return sum_min_ / static_cast<double>(samples_);
}

double TensorStatistics::mean_max() const {
  check_not_empty();
  return sum_max_ / static_cast<double>(samples_);
}

double TensorStatistics::mean_abs_max() const {
  check_not_empty();
  return sum_abs_max_ / static_cast<double>(samples_);
}

int TensorStatistics::common_exponent() const {
  const bool any_set =
      negative_.exponent != HalfHistogram::kUnset || positive_.exponent != HalfHistogram::kUnset;
  return any_set ? std::max(negative_.exponent, positive_.exponent) : 0;
}

Histogram TensorStatistics::absolute_histogram() const {
  check_not_empty();
  const int exponent = common_exponent();
  Histogram h;
  h.width = std::ldexp(1.0, exponent);
  h.counts = positive_.at_exponent(exponent);
  const std::vector<double> negative = negative_.at_exponent(exponent);
  for (size_t i = 0; i < kBins; ++i) h.counts[i] += negative[i];
  h.counts[0] += static_cast<double>(zeros_);
  trim_trailing_zeros(h.counts, 1);
  return h;
}

Histogram TensorStatistics::signed_histogram() const {
  check_not_empty();
  const int exponent = common_exponent();
  std::vector<double> negative = negative_.at_exponent(exponent);
  std::vector<double> positive = positive_.at_exponent(exponent);
  positive[0] += static_cast<double>(zeros_);
  trim_trailing_zeros(negative, 0);
  trim_trailing_zeros(positive, 0);
  Histogram h;
  h.width = std::ldexp(1.0, exponent);
  h.origin = -h.width * static_cast<double>(negative.size());
  // Negative bins reversed (most negative first), then the positive ones; an index loop rather than
  // insert(), on which GCC 12 warns falsely (-Warray-bounds).
  h.counts.resize(negative.size() + positive.size());
  for (size_t i = 0; i < negative.size(); ++i) h.counts[negative.size() - 1 - i] = negative[i];
  for (size_t i = 0; i < positive.size(); ++i) h.counts[negative.size() + i] = positive[i];
  return h;
}

size_t TensorStatistics::memory_bytes() const {
  return sizeof(*this) + name_.capacity() +
         (negative_.counts.capacity() + positive_.counts.capacity()) * sizeof(uint64_t) +
         channel_sums_.capacity() * sizeof(double);
}

std::vector<double> TensorStatistics::channel_means() const {
  OCTET_CHECK(per_channel_mean_, ErrorCode::kInternal, "calibration tensor '", name_,
              "': channel means were not collected");
  check_not_empty();
  std::vector<double> means(channel_sums_.size());
  for (size_t c = 0; c < means.size(); ++c) {
    means[c] = channel_sums_[c] / static_cast<double>(elements_per_channel_);
  }
  return means;
}

}  // namespace octet::quantization
