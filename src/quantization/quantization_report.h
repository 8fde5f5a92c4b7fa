// The quantizer's report: a JSON document for machines (per activation: observed range, chosen range, scale,
// zero point; per layer: quantized or reverted, sensitivity; accuracy control; latencies) and a short human
// summary.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "quantization/quantize_options.h"
#include "quantization/quantizer.h"

namespace octet::quantization {

// Scale and zero point of a FakeQuantize range as QuantizeLinear has them: scale = (high - low) /
// (levels - 1), zero point = round(-low / scale) (exact for ranges from range_estimators.h).
std::pair<float, int> scale_and_zero_point(const QuantizationRange& range);

nlohmann::json report_to_json(const QuantizationReport& report, const QuantizeOptions& options);

// A few lines: counts, calibration time, accuracy before / after control, reverted layers, latencies.
void print_summary(const QuantizationReport& report, std::ostream& out);

}  // namespace octet::quantization
