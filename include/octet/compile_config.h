// How a model is compiled for the CPU: threads, streams, performance hint, precision, profiling. Modelled on
// OpenVINO's properties; from_strings() accepts their spellings so that tools can pass `KEY=value` pairs.
#pragma once

#include <map>
#include <string>

namespace octet {

enum class PerformanceHint {
  kLatency,     // one stream using every thread: fastest single inference
  kThroughput,  // several streams with fewer threads each: most inferences per second
};

enum class InferencePrecision {
  kModel,  // as the model says: int8 where it is quantized (FakeQuantize / Q-DQ), f32 elsewhere
  kF32,    // everything in f32, quantization simulated in f32 (FakeQuantize kept as float math)
};

struct CompileConfig {
  int num_threads = 0;  // threads for all streams together; 0 = every core of the machine
  int num_streams =
      0;  // parallel inferences; 0 = chosen by the hint (latency: 1, throughput: cores / 2, >= 1)
  PerformanceHint hint = PerformanceHint::kLatency;
  InferencePrecision precision = InferencePrecision::kModel;
  bool profiling = false;  // collect per-node counters (costs two clock reads per node)

  // Keys (OpenVINO spellings): INFERENCE_NUM_THREADS, NUM_STREAMS, PERFORMANCE_HINT (LATENCY|THROUGHPUT),
  // INFERENCE_PRECISION_HINT (f32|model), PERF_COUNT (YES|NO|true|false). Unknown keys or values:
  // kInvalidArgument.
  static CompileConfig from_strings(const std::map<std::string, std::string>& properties);
};

const char* to_string(PerformanceHint hint);
const char* to_string(InferencePrecision precision);

}  // namespace octet
