#include "kernels/onednn/onednn_qlinear_exact.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "kernels/onednn/onednn_primitive.h"

namespace octet::cpu {

int64_t max_source_magnitude(ElementType type, int32_t zero) {
  const int64_t low = type == ElementType::kU8 ? 0 : -128;
  const int64_t high = type == ElementType::kU8 ? 255 : 127;
  return std::max(std::abs(low - zero), std::abs(high - zero));
}

int64_t exactness_bound(std::span<const int32_t> weights, int64_t channels, int64_t line_stride,
                        int64_t length, int64_t step, std::span<const int32_t> bias, int64_t source_max) {
  int64_t worst = 0;
  for (int64_t c = 0; c < channels; ++c) {
    int64_t magnitude = 0;
    for (int64_t i = 0; i < length; ++i)
      magnitude += std::abs(int64_t{weights[static_cast<size_t>(c * line_stride + i * step)]});
    const int64_t b =
        bias.empty() ? 0 : std::abs(int64_t{bias[bias.size() == 1 ? 0 : static_cast<size_t>(c)]});
    worst = std::max(worst, b + source_max * magnitude);
  }
  return worst;
}

std::string exact_exec_type(const dnnl::primitive_desc_base& pd) {
  const std::string type = onednn_exec_type(pd, ElementType::kF32);  // "<impl>_FP32"
  return type.substr(0, type.size() - 4) + "exact_FP32";
}

void report_exactness(const Node& node, int64_t bound, int64_t additions, std::span<const float> scales) {
  const char* flag = std::getenv("OCTET_VERBOSE_KERNELS");
  if (!flag || std::string(flag) == "0") return;
  std::cerr << node.label() << ": exact fp32 fallback, partial sums bounded by " << bound;
  if (bound < kExactFloatIntegers) {
    std::cerr << " < 2^24: proven exact\n";
    return;
  }
  const double max_scale = scales.empty() ? 0.0 : *std::max_element(scales.begin(), scales.end());
  const double steps =
      static_cast<double>(additions) * std::ldexp(1.0, -24) * static_cast<double>(bound) * max_scale;
  std::cerr << " >= 2^24: not proven; worst-case accumulator error " << steps << " output steps\n";
}

}  // namespace octet::cpu
