// The -pc summary of what ran in int8: the share of multiply-accumulates executed by int8 kernels (exec type
// ending in _I8), the quantize / dequantize steps left in the plan, and the layers that do arithmetic in
// fp32 (the "fp32 islands" a user looks at when a quantized model is slower than expected).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "tools/benchmark/performance_counters.h"

namespace octet::tools::benchmark {

struct PrecisionSummary {
  int64_t total_macs = 0;
  int64_t int8_macs = 0;
  int conversions = 0;                     // executed QuantizeLinear / DequantizeLinear / FakeQuantize steps
  std::vector<LayerCounters> fp32_layers;  // executed layers with MACs whose exec type is not _I8
  double int8_share() const {
    return total_macs > 0 ? static_cast<double>(int8_macs) / static_cast<double>(total_macs) : 0.0;
  }
};

PrecisionSummary summarize_precision(const std::vector<LayerCounters>& rows);

// "[ INFO ] Int8: 92.1% of 4.09 GMAC; 2 quantize/dequantize steps; fp32 layers with MACs: 3", then one line
// per fp32 layer (the 10 with the most MACs).
void print_precision_summary(std::ostream& out, const PrecisionSummary& summary);

}  // namespace octet::tools::benchmark
