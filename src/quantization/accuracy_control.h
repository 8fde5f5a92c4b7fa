// Accuracy control: keep the quantized model's accuracy drop within the user's limit by reverting the layers
// that hurt most back to fp32, one at a time (OpenVINO POT's AccuracyAwareQuantization / NNCF's
// quantize_with_accuracy_control, in outline).
//
// The metric is top-1 against the labels when the evaluation data has them, otherwise top-1 agreement with
// the fp32 model (the fp32 model then scores 1). Layers are ranked on a small ranking subset by how close the
// model's output comes to the fp32 output when only that layer is reverted (normalized squared error: a
// continuous score that a few samples already rank well, where top-1 on 100 samples would mostly tie). The
// best-ranked layer is reverted and the metric re-evaluated on the whole evaluation set; when a revert does
// not improve the metric the remaining layers are ranked again in the new model.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dataset/dataset.h"
#include "graph/graph.h"
#include "quantization/quantize_options.h"

namespace octet::quantization {

struct RevertedLayer {
  std::string node;
  double ranking_error = 0;  // normalized output error with only this layer reverted, when it was ranked
  double metric_after = 0;   // the metric on the evaluation set after reverting it (and the ones before)
};

struct AccuracyControlResult {
  std::string metric;       // "top1" (labels) or "agreement" (with the fp32 model)
  size_t count = 0;         // evaluation samples
  double fp32 = 0;          // metric of the fp32 model
  double initial = 0;       // of the fully quantized model
  double final = 0;         // after the reverts
  double allowed_drop = 0;  // in metric units (relative limits converted)
  bool met = false;
  std::vector<RevertedLayer> reverted;
  // Ranking error of every candidate layer at the first ranking (the report's per-layer sensitivity).
  std::vector<std::pair<std::string, double>> sensitivity;
};

using StatusCallback = std::function<void(const std::string& line)>;

// `quantized` is changed in place (layers reverted). `layers` are the candidate nodes (the quantized layers
// of the plan). `fp32` is the model before quantization (with the same equalization, if any).
AccuracyControlResult control_accuracy(Graph& quantized, const Graph& fp32,
                                       const std::vector<std::string>& layers, const dataset::Dataset& data,
                                       const AccuracyControlOptions& options, int num_threads,
                                       const StatusCallback& status = {});

}  // namespace octet::quantization
