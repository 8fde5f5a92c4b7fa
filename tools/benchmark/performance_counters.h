// Per-layer performance counters as benchmark_app prints and dumps them: the -pc table (optionally sorted by
// time, with each layer's share of the total), and the rows of the -report_type CSV files.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "octet/profiling.h"

namespace octet::tools::benchmark {

// One row of a table. Times are averages over every inference of a request (steadier than the last one,
// which is what a single ProfilingInfo reports by default).
struct LayerCounters {
  std::string name;
  ProfilingInfo::Status status = ProfilingInfo::Status::kNotRun;
  std::string layer_type;
  std::string exec_type;
  std::string fused_into;  // OPTIMIZED_OUT rows: the node that absorbed this one
  double real_time_us = 0;
  double cpu_time_us = 0;
  int64_t multiply_accumulates = 0;  // per inference (ProfilingInfo::multiply_accumulates)
  std::string fp32_reason;           // ProfilingInfo::fp32_reason
};

// The rows of one request, with its average times.
std::vector<LayerCounters> average_counters(const std::vector<ProfilingInfo>& request_rows);

// Rows matched by name across requests with their times averaged (benchmark_app's average_counters), in the
// order the rows first appear.
std::vector<LayerCounters> average_over_requests(const std::vector<std::vector<LayerCounters>>& requests);

// benchmark_app's table: name, status, layerType, execType, realTime (ms), cpuTime (ms) per row, then the
// totals. `sort` is "" / "no_sort" (as given), "sort" (by real time, descending, with a proportion column) or
// "simple_sort" (sorted, EXECUTED rows only). Names are never truncated: the name column grows to fit.
void print_counters_table(std::ostream& out, const std::vector<LayerCounters>& rows, const std::string& sort,
                          const std::string& device_name);

// The CSV block benchmark_app writes per table (';'-separated, header, rows, a Total row, a blank line).
void write_counters_csv(std::ostream& out, const std::vector<LayerCounters>& rows);

}  // namespace octet::tools::benchmark
