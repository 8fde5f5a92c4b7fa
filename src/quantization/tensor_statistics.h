// Streaming statistics of one activation tensor over calibration samples, from which the range estimators
// (range_estimators.h) choose a quantization range. Memory is independent of the number of samples: a few
// scalars, two fixed-size histograms and (optionally) one sum per channel.
//
// The histogram is kept as two halves, |x| of the negative values and x of the positive ones, each with
// kHistogramBins bins starting at 0 and a width that is a power of two. Why:
//  - ranges always contain 0 (zero must be exactly representable), so bin edges at multiples of the width put
//    an edge on 0 and on every candidate clipping threshold the estimators try;
//  - when a sample exceeds the covered range the width grows by a power of two and groups of 2^k bins merge
//    exactly (no re-binning of old data, one pass over the samples, as onnxruntime's histogram calibrators
//    grow theirs); the result is the histogram a single pass over all the data would have built with the
//    final width;
//  - both halves share the grid 2^e, so the symmetric |x| histogram is an exact merge of the two.
// A power-of-two width covers between max and 2 * max, so at least kHistogramBins / 2 = 2048 bins hold data:
// the resolution of TensorRT's entropy calibration (2048 bins), and 0.05 % of the range for percentiles.
// Exact zeros (half of a ReLU output) are counted apart: they quantize without error, which the MSE
// estimator uses.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "octet/tensor.h"

namespace octet::quantization {

// Bins [origin + i * width, origin + (i + 1) * width); counts as doubles for the estimators' arithmetic.
struct Histogram {
  double origin = 0;
  double width = 0;
  std::vector<double> counts;

  double total() const;
  double upper() const { return origin + width * static_cast<double>(counts.size()); }
};

class TensorStatistics {
 public:
  static constexpr size_t kHistogramBins = 4096;  // per half (negative / positive values)

  // `name` names the tensor in errors; with `per_channel_mean` the mean along axis 1 is kept too (bias
  // correction needs it).
  explicit TensorStatistics(std::string name = {}, bool per_channel_mean = false);

  // Adds one sample's tensor (f32). Throws kInvalidArgument naming the tensor and the sample on NaN or
  // infinity, on an empty or non-f32 tensor, and when the channel count changes between samples.
  void add(const Tensor& sample);

  const std::string& name() const { return name_; }
  size_t sample_count() const { return samples_; }
  uint64_t element_count() const { return elements_; }
  uint64_t zero_count() const { return zeros_; }
  // Over every element of every sample. Throw kInvalidArgument when no sample was added.
  float min() const;
  float max() const;
  // Means over samples of each sample's min, max and max |x|.
  double mean_min() const;
  double mean_max() const;
  double mean_abs_max() const;

  // x >= 0 for every value seen.
  bool non_negative() const { return min() >= 0.0f; }
  // Histogram of |x| over [0, ...), trimmed after its last non-empty bin (zeros in bin 0).
  Histogram absolute_histogram() const;
  // Histogram of x over [-n * width, m * width) at the coarser width of the two halves, trimmed at both ends
  // to the non-empty bins (but always containing 0).
  Histogram signed_histogram() const;

  // Bytes held (object and buffers): fixed once the first sample set the channel count.
  size_t memory_bytes() const;

  bool has_channel_means() const { return per_channel_mean_; }
  // Mean of every element of channel c (axis 1) over all samples.
  std::vector<double> channel_means() const;

 private:
  // One half of the histogram: bins of width 2^exponent over [0, kHistogramBins * 2^exponent).
  struct HalfHistogram {
    static constexpr int kUnset = -100000;  // no value has been binned yet
    int exponent = kUnset;
    std::vector<uint64_t> counts;

    // Grows the width to 2^new_exponent (merging groups of bins) if that is coarser than the current one.
    void widen_to(int new_exponent);
    // Widens (if needed) so that the bins cover [0, magnitude]; nothing for magnitude <= 0.
    void widen_to_cover(double magnitude);
    // Coarsened copy at 2^target_exponent (>= exponent), as doubles.
    std::vector<double> at_exponent(int target_exponent) const;
  };
  // Bins a sample's non-zero values (the halves already cover them).
  void bin_sample(std::span<const float> values);
  void check_sample(const Tensor& sample) const;
  void check_not_empty() const;
  // The exponent of the coarser half (0 when no non-zero value was seen).
  int common_exponent() const;
  void add_channel_sums(const Tensor& sample);

  std::string name_;
  bool per_channel_mean_;
  size_t samples_ = 0;
  uint64_t elements_ = 0;
  uint64_t zeros_ = 0;
  float min_ = 0, max_ = 0;
  double sum_min_ = 0, sum_max_ = 0, sum_abs_max_ = 0;
  HalfHistogram negative_, positive_;
  std::vector<double> channel_sums_;
  uint64_t elements_per_channel_ = 0;
};

// The smallest e with 2^e * bins > value (value > 0): the exponent of a histogram width covering value.
int covering_exponent(double value, size_t bins);

}  // namespace octet::quantization
