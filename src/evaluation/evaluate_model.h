// The evaluation loop: runs a model on the CPU runtime over a dataset, one sample at a time, and scores its
// output with one metric. Used by `octet accuracy` and by the quantizer's accuracy control.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dataset/dataset.h"
#include "evaluation/detection_map.h"
#include "octet/compile_config.h"
#include "octet/model.h"

namespace octet::evaluation {

enum class Metric {
  kTop1,     // classification: "top1" and "top<K>" (labels: class indices, shifted by --label-offset)
  kMap,      // detection: "map" (annotation column: box file, see detection_map.h)
  kMiou,     // segmentation: "miou" and "pixel_accuracy" (annotation column: mask file, see label_map.h)
  kHitRate,  // recommendation: "hitrate" and "ndcg" at K (label: index of the positive item)
};
Metric parse_metric(const std::string& name);  // "top1" | "map" | "miou" | "hitrate"
const char* to_string(Metric metric);

struct EvaluationOptions {
  Metric metric = Metric::kTop1;
  int top_k = 5;  // kTop1: the second accuracy reported (top-5); kHitRate: K (set 10 for the usual HR@10)
  ApMethod ap_method = ApMethod::kElevenPoint;
  float iou_threshold = 0.5f;
  int ignore_label = 255;
  std::string output;     // the model output to score; "" = the first
  CompileConfig compile;  // threads, precision (kF32 simulates a quantized model's int8 in float)
  std::function<void(size_t done, size_t total)> progress;  // after every sample
};

struct EvaluationResult {
  std::string model;
  Metric metric = Metric::kTop1;
  size_t count = 0;                                    // samples evaluated
  std::vector<std::pair<std::string, double>> values;  // in report order, fractions 0..1; empty if unlabeled
  double seconds = 0;                                  // the whole loop: loading, preprocessing, inference
  double infer_seconds = 0;                            // inference alone
  // kTop1 / kHitRate: argmax of the output per sample, for top1_agreement() with another model.
  std::vector<int> predictions;

  // The named value; throws kInvalidArgument if the result has none of that name.
  double value(const std::string& name) const;
};

// The model must have one input (fed by the dataset). Its dynamic dims are set from the first sample
// (Model::reshape, so `model` changes) and it is compiled once. For kTop1, a dataset without labels gives
// only the predictions (no values), which is what accuracy control needs to compare with the fp32 model.
EvaluationResult evaluate_model(const std::shared_ptr<Model>& model, const dataset::Dataset& data,
                                const EvaluationOptions& options, const std::string& name = "");
EvaluationResult evaluate_model(const std::string& model_path, const dataset::Dataset& data,
                                const EvaluationOptions& options);

}  // namespace octet::evaluation
