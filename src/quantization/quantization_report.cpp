#include "quantization/quantization_report.h"

#include <cmath>
#include <iomanip>

namespace octet::quantization {

std::pair<float, int> scale_and_zero_point(const QuantizationRange& range) {
  const float scale = (range.high - range.low) / static_cast<float>(range.levels - 1);
  const int zero_point = scale > 0 ? static_cast<int>(std::lround(-range.low / scale)) : 0;
  return {scale, zero_point};
}

nlohmann::json report_to_json(const QuantizationReport& report, const QuantizeOptions& options) {
  nlohmann::json json;
  json["options"] = options_to_json(options);
  json["calibration"] = {{"samples", report.calibration_samples}, {"seconds", report.calibration_seconds}};
  json["equalized_pairs"] = report.equalized_pairs;
  json["corrected_biases"] = report.corrected_biases;
  json["saturation_safe_weights"] = report.saturation_safe_weights;
  nlohmann::json activations = nlohmann::json::array();
  for (const ActivationReport& a : report.activations) {
    const auto [scale, zero_point] = scale_and_zero_point(a.range);
    activations.push_back({{"tensor", a.tensor},
                           {"consumers", a.consumers},
                           {"observed_min", a.min},
                           {"observed_max", a.max},
                           {"low", a.range.low},
                           {"high", a.range.high},
                           {"levels", a.range.levels},
                           {"scale", scale},
                           {"zero_point", zero_point},
                           {"estimator", to_string(options.activation_estimator)},
                           {"quantized", !a.reverted}});
  }
  json["activations"] = activations;
  nlohmann::json weights = nlohmann::json::array();
  for (const WeightTarget& w : report.weights) {
    weights.push_back(
        {{"node", w.node}, {"input", w.input}, {"axis", w.axis}, {"levels", 255}, {"symmetric", true}});
  }
  json["weights"] = weights;
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerReport& layer : report.layers) {
    nlohmann::json entry = {{"node", layer.node}, {"type", layer.op_type}, {"quantized", layer.quantized}};
    if (layer.sensitivity >= 0) entry["sensitivity"] = layer.sensitivity;
    layers.push_back(entry);
  }
  json["layers"] = layers;
  if (report.accuracy_controlled) {
    const AccuracyControlResult& a = report.accuracy;
    nlohmann::json reverted = nlohmann::json::array();
    for (const RevertedLayer& r : a.reverted) {
      reverted.push_back(
          {{"node", r.node}, {"ranking_error", r.ranking_error}, {"metric_after", r.metric_after}});
    }
    json["accuracy_control"] = {{"metric", a.metric},    {"count", a.count},
                                {"fp32", a.fp32},        {"int8_initial", a.initial},
                                {"int8_final", a.final}, {"allowed_drop", a.allowed_drop},
                                {"met", a.met},          {"reverted", reverted}};
  }
  if (report.int8_latency_ms > 0) {
    json["latency_ms"] = {{"fp32", report.fp32_latency_ms}, {"int8", report.int8_latency_ms}};
  }
  return json;
}

void print_summary(const QuantizationReport& report, std::ostream& out) {
  size_t quantized_layers = 0;
  for (const LayerReport& layer : report.layers) quantized_layers += layer.quantized;
  out << "Quantized " << quantized_layers << " of " << report.layers.size() << " layers ("
      << report.activations.size() << " activation and " << report.weights.size()
      << " weight FakeQuantize), calibrated on " << report.calibration_samples << " samples in " << std::fixed
      << std::setprecision(1) << report.calibration_seconds << " s";
  if (report.equalized_pairs > 0) out << "; " << report.equalized_pairs << " pairs equalized";
  if (report.corrected_biases > 0) out << "; " << report.corrected_biases << " biases corrected";
  if (report.saturation_safe_weights)
    out << "; saturation-safe weights (no VNNI: adjacent |q0| + |q1| <= 128)";
  out << "\n";
  if (report.accuracy_controlled) {
    const AccuracyControlResult& a = report.accuracy;
    out << std::setprecision(2) << "Accuracy (" << a.metric << ", " << a.count << " samples): fp32 "
        << 100 * a.fp32 << " %, int8 " << 100 * a.initial << " % -> " << 100 * a.final << " % after "
        << a.reverted.size() << " layer(s) reverted to fp32; allowed drop " << 100 * a.allowed_drop
        << " points: " << (a.met ? "met" : "NOT met") << "\n";
    for (const RevertedLayer& r : a.reverted) {
      out << "  reverted " << r.node << " (" << a.metric << " then " << 100 * r.metric_after << " %)\n";
    }
  }
  if (report.int8_latency_ms > 0) {
    out << std::setprecision(2) << "Latency (median, batch 1): fp32 " << report.fp32_latency_ms
        << " ms, int8 " << report.int8_latency_ms << " ms ("
        << report.fp32_latency_ms / report.int8_latency_ms << "x)\n";
  }
  out.unsetf(std::ios::floatfield);
}

}  // namespace octet::quantization
