// `octet demo`: the default model (models/fashion_mnist_cnn.onnx) on the Fashion-MNIST test set. Written as
// separate steps (find model, load data, evaluate, report) so that later stages (quantize, run int8, print
// performance counters) slot in between without touching the others.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"
#include "io/idx_dataset.h"
#include "octet/profiling.h"

namespace octet::tools {

// The normalization the default model was trained with (scripts/train_default_model.py, models/README.md):
// v = (x / 255 - kMean) / kStd in float32, x the 8-bit pixel.
inline constexpr float kFashionMnistMean = 0.2860f;
inline constexpr float kFashionMnistStd = 0.3530f;

struct DemoConfig {
  std::string model_path;  // empty: find_default_model()
  std::string data_dir = "/usr/share/datasets/fashion-mnist";
  int64_t limit = 0;  // 0 = the whole test set
  int64_t batch_size = 100;
  int shown_predictions = 8;
  int64_t reference_limit = 1000;   // images the reference executor re-checks
  int64_t calibration_count = 300;  // training images the quantizer calibrates on
  std::string quantized_path;       // where the int8 model is written; empty: a temporary folder
};

// The default model: next to the executable (../models or models), else in the source tree it was built from.
std::string find_default_model(const std::string& executable_path);

// Images [first, first + count) as the model's input: f32 [count,1,28,28], normalized as above.
Tensor fashion_mnist_batch(const LabeledImages& set, int64_t first, int64_t count);

struct Prediction {
  int label = 0;
  int predicted = 0;
  float probability = 0;  // softmax probability of the predicted class
};

struct Evaluation {
  std::vector<Prediction> predictions;  // one per image, in test-set order
  int64_t correct = 0;
  double seconds = 0;
};

// Runs the first `count` images through the reference executor in batches.
Evaluation evaluate_with_reference(const Graph& graph, const LabeledImages& set, int64_t count,
                                   int64_t batch_size);

// Runs the first `count` images through the CPU runtime, compiled for batches of `batch_size`; fills
// `counters` (average per-layer times) when not null.
Evaluation evaluate_with_runtime(const std::string& model_path, const LabeledImages& set, int64_t count,
                                 int64_t batch_size, std::vector<ProfilingInfo>* counters);
void print_evaluation(const std::string& title, const Evaluation& evaluation, int shown_predictions);

// Quantizes the model (octet quantize's pipeline, default settings) on the first `count` training images of
// `data_dir` and writes it to `out_path` (.xml or .onnx); prints the quantizer's summary.
void quantize_default_model(const Graph& graph, const std::string& data_dir, int64_t count,
                            const std::string& out_path);

// All steps, printing as it goes.
void run_demo(const DemoConfig& config, const std::string& executable_path);

}  // namespace octet::tools
