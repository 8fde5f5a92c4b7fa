#include "quantization/quantize_options.h"

#include <set>

#include "octet/error.h"

namespace octet::quantization {

Preset parse_preset(const std::string& name) {
  if (name == "performance") return Preset::kPerformance;
  if (name == "mixed") return Preset::kMixed;
  fail(ErrorCode::kInvalidArgument, "preset must be performance or mixed, got '", name, "'");
}

const char* to_string(Preset preset) {
  return preset == Preset::kPerformance ? "performance" : "mixed";
}

Switch parse_switch(const std::string& name, const std::string& option) {
  if (name == "off") return Switch::kOff;
  if (name == "on") return Switch::kOn;
  if (name == "auto") return Switch::kAuto;
  fail(ErrorCode::kInvalidArgument, option, " must be off, on or auto, got '", name, "'");
}

const char* to_string(Switch value) {
  switch (value) {
    case Switch::kOff:
      return "off";
    case Switch::kOn:
      return "on";
    case Switch::kAuto:
      return "auto";
  }
  return "?";
}

nlohmann::json options_to_json(const QuantizeOptions& options) {
  nlohmann::json json;
  json["preset"] = to_string(options.preset);
  json["estimator"] = to_string(options.activation_estimator);
  json["percentile"] = options.percentile;
  json["ignored_names"] = options.ignored.names;
  json["ignored_patterns"] = options.ignored.patterns;
  json["ignored_types"] = options.ignored.types;
  json["bias_correction"] = options.bias_correction;
  json["cle"] = to_string(options.equalization);
  json["saturation_safe_weights"] = to_string(options.saturation_safe_weights);
  json["max_drop"] = options.accuracy.max_drop;
  json["drop_type"] = options.accuracy.relative ? "relative" : "absolute";
  json["ranking_subset"] = options.accuracy.ranking_subset;
  json["max_reverted"] = options.accuracy.max_reverted;
  return json;
}

namespace {

template <typename T>
T get(const nlohmann::json& json, const std::string& key) {
  try {
    return json.at(key).get<T>();
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorCode::kInvalidArgument, "quantization option '", key, "': ", e.what());
  }
}

}  // namespace

QuantizeOptions options_from_json(const nlohmann::json& json, QuantizeOptions base) {
  OCTET_CHECK(json.is_object(), ErrorCode::kInvalidArgument, "quantization options must be a JSON object");
  static const std::set<std::string> known = {
      "preset",        "estimator",       "percentile",  "ignored_names",           "ignored_patterns",
      "ignored_types", "bias_correction", "cle",         "saturation_safe_weights", "max_drop",
      "drop_type",     "ranking_subset",  "max_reverted"};
  for (const auto& [key, value] : json.items()) {
    OCTET_CHECK(known.contains(key), ErrorCode::kInvalidArgument, "unknown quantization option '", key, "'");
  }
  QuantizeOptions o = std::move(base);
  if (json.contains("preset")) o.preset = parse_preset(get<std::string>(json, "preset"));
  if (json.contains("estimator"))
    o.activation_estimator = parse_range_estimator(get<std::string>(json, "estimator"));
  if (json.contains("percentile")) o.percentile = get<double>(json, "percentile");
  if (json.contains("ignored_names")) o.ignored.names = get<std::vector<std::string>>(json, "ignored_names");
  if (json.contains("ignored_patterns"))
    o.ignored.patterns = get<std::vector<std::string>>(json, "ignored_patterns");
  if (json.contains("ignored_types")) o.ignored.types = get<std::vector<std::string>>(json, "ignored_types");
  if (json.contains("bias_correction")) o.bias_correction = get<bool>(json, "bias_correction");
  if (json.contains("cle")) o.equalization = parse_switch(get<std::string>(json, "cle"), "cle");
  if (json.contains("saturation_safe_weights"))
    o.saturation_safe_weights =
        parse_switch(get<std::string>(json, "saturation_safe_weights"), "saturation_safe_weights");
  if (json.contains("max_drop")) o.accuracy.max_drop = get<double>(json, "max_drop");
  if (json.contains("drop_type")) {
    const std::string type = get<std::string>(json, "drop_type");
    OCTET_CHECK(type == "absolute" || type == "relative", ErrorCode::kInvalidArgument,
                "drop_type must be absolute or relative, got '", type, "'");
    o.accuracy.relative = type == "relative";
  }
  if (json.contains("ranking_subset")) o.accuracy.ranking_subset = get<size_t>(json, "ranking_subset");
  if (json.contains("max_reverted")) o.accuracy.max_reverted = get<size_t>(json, "max_reverted");
  // Below the median a symmetric range would cut off most of the distribution; the estimator refuses it too.
  OCTET_CHECK(o.percentile > 50 && o.percentile <= 100, ErrorCode::kInvalidArgument,
              "percentile must be in (50, 100], got ", o.percentile);
  return o;
}

}  // namespace octet::quantization
