// Per-node performance counters of an infer request, as OpenVINO's ov::ProfilingInfo reports them: one entry
// per node of the original graph and per node the plugin inserted (layout reorders, precision conversions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace octet {

struct ProfilingInfo {
  enum class Status {
    kExecuted,      // ran as its own kernel
    kNotRun,        // kept but did no work in the last inference (in-place views)
    kOptimizedOut,  // fused into another node (fused_into says which) or removed at compile time
  };
  std::string node_name;
  std::string node_type;  // the op type ("Conv"), or "Reorder" for nodes the plugin inserted
  std::string exec_type;  // implementation + precision: "jit_avx2_FP32", "ref_FP32", "jit_avx2_I8"
  Status status = Status::kNotRun;
  std::string fused_into;  // for kOptimizedOut: the node that absorbed this one ("" if it was removed)
  // Times of the last inference, and the average over every inference since the request was created.
  double real_time_us = 0;
  double cpu_time_us = 0;
  double average_real_time_us = 0;
  double average_cpu_time_us = 0;
  int64_t executions = 0;
  // Multiply-accumulates of one execution (convolutions and matrix products; 0 for other nodes): with
  // exec_type's precision suffix, what share of the arithmetic ran in int8.
  int64_t multiply_accumulates = 0;
  // For a node with multiply-accumulates that runs in fp32 although the model is quantized: why (e.g. "its
  // output is not quantized"); empty otherwise.
  std::string fp32_reason;
};

const char* to_string(ProfilingInfo::Status status);  // "EXECUTED", "NOT_RUN", "OPTIMIZED_OUT"

// One timed kernel execution, for timelines (Chrome trace "X" events).
struct ProfilingEvent {
  std::string node_name;
  std::string node_type;
  std::string exec_type;
  int64_t start_us = 0;  // microseconds on a steady clock shared by every request of the process
  double duration_us = 0;
  int thread_id = 0;  // which stream / calling thread ran it
};

// Chrome trace JSON ("traceEvents", one complete event per entry) that chrome://tracing and Perfetto open.
std::string to_chrome_trace_json(const std::vector<ProfilingEvent>& events);

}  // namespace octet
