#include "tools/benchmark/measurement.h"

#include <chrono>
#include <optional>

#include "octet/error.h"

namespace octet::tools::benchmark {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Appends the request's events of its last inference while there is room.
void collect_trace(const InferRequest& request, const MeasurementLimits& limits, Measurement& m) {
  if (limits.max_trace_events == 0 || m.trace_truncated) return;
  for (ProfilingEvent& event : request.get_profiling_events()) {
    if (m.trace_events.size() >= limits.max_trace_events) {
      m.trace_truncated = true;
      return;
    }
    m.trace_events.push_back(std::move(event));
  }
}

bool keep_going(const MeasurementLimits& limits, int64_t iteration, Clock::time_point start) {
  const bool below_iterations = limits.iterations > 0 && iteration < limits.iterations;
  const bool below_time = limits.seconds > 0 && ms_between(start, Clock::now()) < limits.seconds * 1000.0;
  return below_iterations || below_time;
}

void measure_sync(InferRequest& request, const MeasurementLimits& limits, Measurement& m) {
  const Clock::time_point warm_up = Clock::now();
  request.infer();
  m.first_inference_ms = ms_between(warm_up, Clock::now());

  const Clock::time_point start = Clock::now();
  Clock::time_point end = start;
  for (int64_t iteration = 0; keep_going(limits, iteration, start); ++iteration) {
    const Clock::time_point begin = Clock::now();
    request.infer();
    end = Clock::now();
    m.latencies_ms.push_back(ms_between(begin, end));
    collect_trace(request, limits, m);
  }
  m.duration_ms = ms_between(start, end);
}

void measure_async(std::vector<InferRequest>& requests, const MeasurementLimits& limits, Measurement& m) {
  const Clock::time_point warm_up = Clock::now();
  requests[0].start_async();
  requests[0].wait();
  m.first_inference_ms = ms_between(warm_up, Clock::now());

  const auto nireq = static_cast<int64_t>(requests.size());
  std::vector<std::optional<Clock::time_point>> started(requests.size());
  const Clock::time_point start = Clock::now();
  Clock::time_point end = start;
  auto complete = [&](size_t r) {
    requests[r].wait();
    end = Clock::now();
    m.latencies_ms.push_back(ms_between(*started[r], end));
    started[r].reset();
    collect_trace(requests[r], limits, m);
  };
  int64_t iteration = 0;
  try {
    for (; keep_going(limits, iteration, start) || iteration % nireq != 0; ++iteration) {
      const auto r = static_cast<size_t>(iteration % nireq);
      if (started[r]) complete(r);
      started[r] = Clock::now();
      requests[r].start_async();
    }
    // The requests still running finish in the order they started.
    for (int64_t i = 0; i < nireq; ++i) {
      const auto r = static_cast<size_t>((iteration + i) % nireq);
      if (started[r]) complete(r);
    }
  } catch (...) {
    // A request must not be destroyed while it runs: let the others finish before reporting the error.
    for (size_t r = 0; r < requests.size(); ++r) {
      try {
        if (started[r]) requests[r].wait();
      } catch (...) {  // the first error is the one reported
      }
    }
    throw;
  }
  m.duration_ms = ms_between(start, end);
}

}  // namespace

Measurement measure(std::vector<InferRequest>& requests, const MeasurementLimits& limits) {
  OCTET_CHECK(!requests.empty(), ErrorCode::kInvalidArgument, "no infer requests to measure");
  OCTET_CHECK(limits.iterations > 0 || limits.seconds > 0, ErrorCode::kInvalidArgument,
              "give an iteration limit (-niter) or a time limit (-t)");
  Measurement m;
  if (limits.sync) {
    measure_sync(requests[0], limits, m);
  } else {
    measure_async(requests, limits, m);
  }
  return m;
}

}  // namespace octet::tools::benchmark
