#include "tools/benchmark/performance_counters.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

namespace octet::tools::benchmark {
namespace {

constexpr size_t kMinNameWidth = 20;  // benchmark_app's column width

std::string milliseconds(double us) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << us / 1000.0;
  return s.str();
}

}  // namespace

std::vector<LayerCounters> average_counters(const std::vector<ProfilingInfo>& request_rows) {
  std::vector<LayerCounters> rows;
  rows.reserve(request_rows.size());
  for (const ProfilingInfo& info : request_rows) {
    rows.push_back({info.node_name, info.status, info.node_type, info.exec_type, info.fused_into,
                    info.average_real_time_us, info.average_cpu_time_us, info.multiply_accumulates,
                    info.fp32_reason});
  }
  return rows;
}

std::vector<LayerCounters> average_over_requests(const std::vector<std::vector<LayerCounters>>& requests) {
  std::vector<LayerCounters> rows;
  std::map<std::string, size_t> index_of;
  std::vector<int> counts;
  for (const auto& request : requests) {
    for (const LayerCounters& row : request) {
      const auto [it, inserted] = index_of.emplace(row.name, rows.size());
      if (inserted) {
        rows.push_back(row);
        counts.push_back(1);
        continue;
      }
      rows[it->second].real_time_us += row.real_time_us;
      rows[it->second].cpu_time_us += row.cpu_time_us;
      ++counts[it->second];
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].real_time_us /= counts[i];
    rows[i].cpu_time_us /= counts[i];
  }
  return rows;
}

void print_counters_table(std::ostream& out, const std::vector<LayerCounters>& rows, const std::string& sort,
                          const std::string& device_name) {
  double total_us = 0, total_cpu_us = 0;
  size_t name_width = kMinNameWidth, type_width = kMinNameWidth;
  for (const LayerCounters& row : rows) {
    total_us += std::max(0.0, row.real_time_us);
    total_cpu_us += std::max(0.0, row.cpu_time_us);
    name_width = std::max(name_width, row.name.size() + 1);
    type_width = std::max(type_width, row.layer_type.size() + 1);
  }
  const bool sorted = sort == "sort" || sort == "simple_sort";
  std::vector<LayerCounters> shown;
  for (const LayerCounters& row : rows)
    if (sort != "simple_sort" || row.status == ProfilingInfo::Status::kExecuted) shown.push_back(row);
  if (sorted) {
    std::stable_sort(shown.begin(), shown.end(), [](const LayerCounters& a, const LayerCounters& b) {
      return a.real_time_us > b.real_time_us;
    });
  }
  for (const LayerCounters& row : shown) {
    out << std::left << std::setw(static_cast<int>(name_width)) << row.name << " " << std::setw(21)
        << std::string(to_string(row.status)) + " "
        << "layerType: " << std::setw(static_cast<int>(type_width)) << row.layer_type << " " << std::setw(30)
        << "execType: " + row.exec_type << " "
        << "realTime (ms): " << std::setw(10) << milliseconds(row.real_time_us) << " "
        << "cpuTime (ms): " << std::setw(10) << milliseconds(row.cpu_time_us) << " ";
    if (sorted) {
      std::ostringstream share;
      share << std::fixed << std::setprecision(2)
            << (total_us > 0 ? row.real_time_us * 100.0 / total_us : 0.0);
      const std::string proportion = share.str() == "0.00" ? "N/A" : share.str() + "%";
      out << std::setw(20) << "proportion: " + proportion;
    }
    if (!row.fused_into.empty()) out << " fusedInto: " << row.fused_into;
    out << "\n";
  }
  out << std::setw(25) << "Total time: " << milliseconds(total_us) << " milliseconds\n";
  out << std::setw(25) << "Total CPU time: " << milliseconds(total_cpu_us) << " milliseconds\n\n";
  out << "Full device name: " << device_name << "\n\n" << std::right;
}

void write_counters_csv(std::ostream& out, const std::vector<LayerCounters>& rows) {
  out << "layerName;execStatus;layerType;execType;realTime (ms);cpuTime (ms);fusedInto\n";
  double total_us = 0, total_cpu_us = 0;
  for (const LayerCounters& row : rows) {
    out << row.name << ";" << to_string(row.status) << ";" << row.layer_type << ";" << row.exec_type << ";"
        << milliseconds(row.real_time_us) << ";" << milliseconds(row.cpu_time_us) << ";" << row.fused_into
        << "\n";
    total_us += row.real_time_us;
    total_cpu_us += row.cpu_time_us;
  }
  out << "Total;;;;" << milliseconds(total_us) << ";" << milliseconds(total_cpu_us) << ";\n\n";
}

}  // namespace octet::tools::benchmark
