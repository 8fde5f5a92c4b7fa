// Everything that decides what `octet quantize` produces: the preset, the range estimators, the ignored
// scope, the corrections and accuracy control. One struct, so that a JSON config file (quantize_config.h) can
// hold all of it and a run is reproducible: the same options, model and data give the same model bit for bit.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "quantization/quantization_plan.h"
#include "quantization/range_estimators.h"

namespace octet::quantization {

// performance: symmetric activations (signed data as i8 around 0), as OpenVINO's default preset;
// mixed: asymmetric activations (a zero point), which fits skewed signed data better.
enum class Preset { kPerformance, kMixed };
Preset parse_preset(const std::string& name);  // "performance" | "mixed"
const char* to_string(Preset preset);

// A step that is off, on, or decided by the model / machine (kAuto; each option says how).
enum class Switch { kOff, kOn, kAuto };
Switch parse_switch(const std::string& name, const std::string& option);  // "off" | "on" | "auto"
const char* to_string(Switch value);

struct AccuracyControlOptions {
  double max_drop = -1;   // < 0: no accuracy control
  bool relative = false;  // max_drop is a fraction of the fp32 metric instead of absolute points (0..1)
  // Samples used to rank layers by how much they hurt (the first N of the evaluation set).
  size_t ranking_subset = 100;
  size_t max_reverted = 0;  // 0 = no limit
};

struct QuantizeOptions {
  Preset preset = Preset::kPerformance;
  RangeEstimator activation_estimator = RangeEstimator::kMinMax;
  double percentile = 99.99;  // kPercentile
  IgnoredScope ignored;
  bool bias_correction = true;
  // Cross-layer equalization; auto: on models with depthwise convolutions (MobileNets), where per-channel
  // weight ranges differ the most.
  Switch equalization = Switch::kAuto;
  // Saturation-safe weights (every pair an AVX2 int8 kernel adds keeps |q0| + |q1| <= 128,
  // weight_quantization.h); auto: on CPUs without VNNI, where unconstrained 8-bit weights would send most
  // layers to the exact fp32 fallback.
  Switch saturation_safe_weights = Switch::kAuto;
  int num_threads = 0;  // 0 = every core
  AccuracyControlOptions accuracy;
};

// The options as a JSON object (the "quantization" part of a config file) and back. Keys: preset, estimator,
// percentile, ignored_names, ignored_patterns, ignored_types, bias_correction, cle, saturation_safe_weights,
// max_drop, drop_type
// ("absolute" | "relative"), ranking_subset, max_reverted. options_from_json starts from `base` and changes
// only the keys present; an unknown key or a value of the wrong type is kInvalidArgument naming the key.
nlohmann::json options_to_json(const QuantizeOptions& options);
QuantizeOptions options_from_json(const nlohmann::json& json, QuantizeOptions base = {});

}  // namespace octet::quantization
