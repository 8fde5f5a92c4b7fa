// Small helpers the quantizer uses to run a graph it is building on the CPU runtime: compile a copy of it,
// feed it dataset samples, and compare outputs or latencies.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "dataset/dataset.h"
#include "graph/graph.h"
#include "octet/octet.h"

namespace octet::quantization {

// A Model holding a copy of `graph` (the runtime keeps its own copy anyway; the caller's graph stays
// editable).
std::shared_ptr<Model> model_from_graph(const Graph& graph);

// The graph's first output for samples 0..count-1 of `data`, flattened to f32, run at `precision`.
std::vector<std::vector<float>> first_outputs(const Graph& graph, const dataset::Dataset& data, size_t count,
                                              int num_threads, InferencePrecision precision);

// Mean over samples of ||y - reference||^2 / ||reference||^2 (0 when equal): how far a candidate graph's
// outputs are from the fp32 model's, the ranking score of accuracy control.
double normalized_output_error(const std::vector<std::vector<float>>& outputs,
                               const std::vector<std::vector<float>>& reference);

// Median latency in milliseconds of each graph on the first sample of `data`, measured interleaved
// (A, B, A, B, ...) `rounds` times after a warm-up, so that machine noise hits both alike.
std::pair<double, double> median_latencies_ms(const Graph& a, InferencePrecision a_precision, const Graph& b,
                                              InferencePrecision b_precision, const dataset::Dataset& data,
                                              int num_threads, int rounds);

}  // namespace octet::quantization
