// Runs calibration samples through the fp32 model on the CPU runtime and streams the observed activations
// into TensorStatistics: one inference per sample, nothing kept from one sample to the next but the
// statistics (memory does not grow with the number of samples).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"
#include "quantization/tensor_statistics.h"

namespace octet::quantization {

using SampleSource = std::function<std::map<std::string, Tensor>(size_t index)>;  // model inputs by name
using ProgressCallback = std::function<void(size_t done, size_t total)>;

struct ObservedTensor {
  std::string name;
  bool per_channel_mean = false;
};

// Runs the fp32 graph on the CPU runtime (a clone with the observed tensors added as outputs, fp32 precision,
// num_threads threads, 0 = every core) for samples 0..count-1 and returns the statistics of every observed
// tensor, by name. An observed graph input or constant is read from the sample or the constant directly.
// Observing a tensor keeps it out of post-op fusion (a graph output is never fused away), so its values are
// the unfused fp32 ones. Throws kInvalidArgument when count is 0, an observed name is not a value of the
// graph or not f32, a sample lacks a model input or has one the model does not, or an observed tensor has
// NaN / infinite values (the error names the tensor and the sample).
std::map<std::string, TensorStatistics> collect_statistics(const Graph& graph,
                                                           const std::vector<ObservedTensor>& observed,
                                                           size_t count, const SampleSource& samples,
                                                           int num_threads,
                                                           const ProgressCallback& progress = {});

}  // namespace octet::quantization
