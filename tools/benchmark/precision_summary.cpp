#include "tools/benchmark/precision_summary.h"

#include <algorithm>
#include <cstdio>

namespace octet::tools::benchmark {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string giga_macs(int64_t macs) {
  char text[32];
  if (macs >= 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.2f GMAC", static_cast<double>(macs) / 1e9);
  } else if (macs >= 1'000'000) {
    std::snprintf(text, sizeof text, "%.2f MMAC", static_cast<double>(macs) / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%lld MAC", static_cast<long long>(macs));
  }
  return text;
}

}  // namespace

PrecisionSummary summarize_precision(const std::vector<LayerCounters>& rows) {
  PrecisionSummary summary;
  for (const LayerCounters& row : rows) {
    if (row.status != ProfilingInfo::Status::kExecuted) continue;
    if (row.layer_type == "QuantizeLinear" || row.layer_type == "DequantizeLinear" ||
        row.layer_type == "FakeQuantize")
      ++summary.conversions;
    if (row.multiply_accumulates <= 0) continue;
    summary.total_macs += row.multiply_accumulates;
    if (ends_with(row.exec_type, "_I8")) {
      summary.int8_macs += row.multiply_accumulates;
    } else {
      summary.fp32_layers.push_back(row);
    }
  }
  std::stable_sort(summary.fp32_layers.begin(), summary.fp32_layers.end(),
                   [](const LayerCounters& a, const LayerCounters& b) {
                     return a.multiply_accumulates > b.multiply_accumulates;
                   });
  return summary;
}

void print_precision_summary(std::ostream& out, const PrecisionSummary& summary) {
  char share[16];
  std::snprintf(share, sizeof share, "%.1f%%", 100.0 * summary.int8_share());
  out << "[ INFO ] Int8: " << share << " of " << giga_macs(summary.total_macs) << " in int8 kernels; "
      << summary.conversions
      << " quantize/dequantize steps; fp32 layers with MACs: " << summary.fp32_layers.size() << "\n";
  const size_t shown = std::min<size_t>(summary.fp32_layers.size(), 10);
  for (size_t i = 0; i < shown; ++i) {
    const LayerCounters& row = summary.fp32_layers[i];
    out << "[ INFO ]     fp32: " << row.name << " (" << row.layer_type << ", " << row.exec_type << ", "
        << giga_macs(row.multiply_accumulates) << ")"
        << (row.fp32_reason.empty() ? "" : ": " + row.fp32_reason) << "\n";
  }
  if (shown < summary.fp32_layers.size())
    out << "[ INFO ]     ... and " << summary.fp32_layers.size() - shown << " more\n";
}

}  // namespace octet::tools::benchmark
