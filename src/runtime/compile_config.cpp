#include "octet/compile_config.h"

#include <algorithm>
#include <cctype>

#include "octet/error.h"

namespace octet {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

int parse_count(const std::string& key, const std::string& value) {
  size_t used = 0;
  int parsed = -1;
  try {
    parsed = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  OCTET_CHECK(used == value.size() && parsed >= 0, ErrorCode::kInvalidArgument, "property ", key,
              " needs a count >= 0, got '", value, "'");
  return parsed;
}

}  // namespace

CompileConfig CompileConfig::from_strings(const std::map<std::string, std::string>& properties) {
  CompileConfig config;
  for (const auto& [key, value] : properties) {
    const std::string v = upper(value);
    if (key == "INFERENCE_NUM_THREADS") {
      config.num_threads = parse_count(key, value);
    } else if (key == "NUM_STREAMS") {
      config.num_streams = v == "AUTO" ? 0 : parse_count(key, value);
    } else if (key == "PERFORMANCE_HINT") {
      OCTET_CHECK(v == "LATENCY" || v == "THROUGHPUT", ErrorCode::kInvalidArgument,
                  "PERFORMANCE_HINT is LATENCY or THROUGHPUT, got '", value, "'");
      config.hint = v == "LATENCY" ? PerformanceHint::kLatency : PerformanceHint::kThroughput;
    } else if (key == "INFERENCE_PRECISION_HINT") {
      OCTET_CHECK(v == "F32" || v == "MODEL", ErrorCode::kInvalidArgument,
                  "INFERENCE_PRECISION_HINT is f32 or model, got '", value, "'");
      config.precision = v == "F32" ? InferencePrecision::kF32 : InferencePrecision::kModel;
    } else if (key == "PERF_COUNT") {
      OCTET_CHECK(v == "YES" || v == "NO" || v == "TRUE" || v == "FALSE", ErrorCode::kInvalidArgument,
                  "PERF_COUNT is YES or NO, got '", value, "'");
      config.profiling = v == "YES" || v == "TRUE";
    } else {
      fail(ErrorCode::kInvalidArgument, "unknown property '", key,
           "' (known: INFERENCE_NUM_THREADS, NUM_STREAMS, PERFORMANCE_HINT, INFERENCE_PRECISION_HINT, "
           "PERF_COUNT)");
    }
  }
  return config;
}

const char* to_string(PerformanceHint hint) {
  return hint == PerformanceHint::kLatency ? "LATENCY" : "THROUGHPUT";
}

const char* to_string(InferencePrecision precision) {
  return precision == InferencePrecision::kF32 ? "f32" : "model";
}

}  // namespace octet
