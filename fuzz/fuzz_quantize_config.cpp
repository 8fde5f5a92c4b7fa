// Quantization options from JSON (the "quantization" part of a config: preset, estimator, ignored scope,
// accuracy control). Text that is not JSON is dropped before the reader (nlohmann's parser is not ours); a
// JSON document the reader accepts must also survive a round trip through options_to_json.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "quantization/quantize_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nlohmann::json json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  octet::fuzz::expect_only_octet_errors([&] {
    using octet::quantization::options_from_json;
    using octet::quantization::options_to_json;
    const nlohmann::json written = options_to_json(options_from_json(json));
    if (options_to_json(options_from_json(written)) != written)
      octet::fuzz::report_finding("quantize config",
                                  "options_to_json -> options_from_json is not a round trip");
  });
  return 0;
}
