#include "octet/profiling.h"

#include <nlohmann/json.hpp>

namespace octet {

const char* to_string(ProfilingInfo::Status status) {
  switch (status) {
    case ProfilingInfo::Status::kExecuted:
      return "EXECUTED";
    case ProfilingInfo::Status::kNotRun:
      return "NOT_RUN";
    case ProfilingInfo::Status::kOptimizedOut:
      return "OPTIMIZED_OUT";
  }
  return "UNKNOWN";
}

std::string to_chrome_trace_json(const std::vector<ProfilingEvent>& events) {
  nlohmann::json trace_events = nlohmann::json::array();
  for (const ProfilingEvent& event : events) {
    trace_events.push_back({{"name", event.node_name},
                            {"cat", event.node_type},
                            {"ph", "X"},
                            {"ts", event.start_us},
                            {"dur", event.duration_us},
                            {"pid", 1},
                            {"tid", event.thread_id},
                            {"args", {{"exec_type", event.exec_type}}}});
  }
  return nlohmann::json{{"traceEvents", trace_events}, {"displayTimeUnit", "ms"}}.dump();
}

}  // namespace octet
