// Post-training quantization of an fp32 graph: the pipeline behind `octet quantize`.
//
//   [cross-layer equalization] -> plan (which tensors get FakeQuantize) -> calibration statistics on the
//   fp32 graph -> range per activation -> FakeQuantize insertion (weights per channel) -> bias correction
//   -> [accuracy control: revert the worst layers to fp32]
//
// The result is an fp32 graph with FakeQuantize nodes (what OpenVINO's tools write), which the IR writer
// writes as is and the ONNX writer as QuantizeLinear/DequantizeLinear pairs; the CPU runtime's low-precision
// passes run it in int8.
#pragma once

#include <string>
#include <vector>

#include "dataset/dataset.h"
#include "graph/graph.h"
#include "quantization/accuracy_control.h"
#include "quantization/calibration_runner.h"
#include "quantization/quantize_options.h"

namespace octet::quantization {

struct ActivationReport {
  std::string tensor;
  std::vector<std::string> consumers;
  float min = 0, max = 0;  // observed over the calibration samples
  QuantizationRange range;
  bool reverted = false;  // every consumer went back to fp32
};

struct LayerReport {
  std::string node;
  std::string op_type;
  bool quantized = true;    // false: fp32 in the written model (reverted by accuracy control)
  double sensitivity = -1;  // normalized output error with the layer alone in fp32 (-1: not ranked)
};

struct QuantizationReport {
  size_t calibration_samples = 0;
  double calibration_seconds = 0;
  int equalized_pairs = 0;
  int corrected_biases = 0;
  bool saturation_safe_weights = false;
  std::vector<ActivationReport> activations;
  std::vector<WeightTarget> weights;
  std::vector<LayerReport> layers;
  bool accuracy_controlled = false;
  AccuracyControlResult accuracy;
  double fp32_latency_ms = 0, int8_latency_ms = 0;  // 0 when not measured
};

struct QuantizationResult {
  Graph graph;
  QuantizationReport report;
};

struct QuantizeCallbacks {
  ProgressCallback calibration_progress;  // calibration_runner.h
  StatusCallback status;                  // one line per step
};

// `model` must have one input fed by `calibration` (its dynamic dims are set from the first sample).
// `evaluation` is the data of accuracy control (used only when options.accuracy.max_drop >= 0).
QuantizationResult quantize_model(const Graph& model, const dataset::Dataset& calibration,
                                  const dataset::Dataset& evaluation, const QuantizeOptions& options,
                                  const QuantizeCallbacks& callbacks = {});

// Median latencies of the fp32 model and the quantized one (int8), interleaved, into the report.
void measure_latency(const Graph& fp32, QuantizationResult& result, const dataset::Dataset& data,
                     int num_threads, int rounds = 20);

}  // namespace octet::quantization
