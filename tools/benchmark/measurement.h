// The timed loops of `octet benchmark`, as benchmark_app runs them: a warm-up inference that is not counted,
// then either one request in a loop (sync API) or every request kept busy with start_async/wait in round
// robin (async API), until both the iteration and the time limit are met (async also finishes a whole round,
// so that every request ran equally often).
#pragma once

#include <cstdint>
#include <vector>

#include "octet/infer_request.h"

namespace octet::tools::benchmark {

struct MeasurementLimits {
  bool sync = true;
  int64_t iterations = 0;  // 0: no iteration limit
  double seconds = 0;      // 0: no time limit (one of the two must be set)
  // With profiling on: keep the kernel events of the counted inferences for a Chrome trace, up to this many.
  size_t max_trace_events = 0;
};

struct Measurement {
  double first_inference_ms = 0;
  std::vector<double> latencies_ms;  // one per counted inference
  double duration_ms = 0;            // from the first counted start to the last completion
  std::vector<ProfilingEvent> trace_events;
  bool trace_truncated = false;  // more events happened than max_trace_events
};

// Runs on `requests` (sync uses requests[0] only); their inputs must already be set.
Measurement measure(std::vector<InferRequest>& requests, const MeasurementLimits& limits);

}  // namespace octet::tools::benchmark
