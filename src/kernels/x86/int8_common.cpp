#include "kernels/x86/int8_common.h"

#include <algorithm>
#include <cstdlib>

#include "octet/error.h"
#include "ops/quantization_math.h"

namespace octet::x86 {

OutputStage make_output_stage(const OutputQuantization& output) {
  OutputStage stage;
  stage.kind = output.kind;
  stage.zero_point = static_cast<float>(output.zero_point);
  stage.min = output.kind == OutputKind::kI8 ? -128.0f : 0.0f;
  stage.max = output.kind == OutputKind::kI8 ? 127.0f : 255.0f;
  return stage;
}

void store_output(const OutputStage& stage, float scale, int64_t acc, void* y, int64_t index) {
  const int32_t zero = static_cast<int32_t>(stage.zero_point);
  switch (stage.kind) {
    case OutputKind::kU8:
      static_cast<uint8_t*>(y)[index] = requantize<uint8_t>(acc, scale, zero);
      break;
    case OutputKind::kI8:
      static_cast<int8_t*>(y)[index] = requantize<int8_t>(acc, scale, zero);
      break;
    case OutputKind::kF32:
      static_cast<float*>(y)[index] = static_cast<float>(acc) * scale;
      break;
  }
}

bool maddubs_cannot_saturate(std::span<const int8_t> pair_interleaved_weights, int32_t x_max) {
  int64_t worst = 0;
  for (size_t i = 0; i + 1 < pair_interleaved_weights.size(); i += 2)
    worst = std::max<int64_t>(
        worst, std::abs(int{pair_interleaved_weights[i]}) + std::abs(int{pair_interleaved_weights[i + 1]}));
  if (pair_interleaved_weights.size() % 2 == 1)
    worst = std::max<int64_t>(worst, std::abs(int{pair_interleaved_weights.back()}));
  return worst * x_max <= 32767;
}

void check_output_quantization(const OutputQuantization& output, int64_t channels, const char* what) {
  OCTET_CHECK(output.scales.size() == 1 || static_cast<int64_t>(output.scales.size()) == channels,
              ErrorCode::kInvalidArgument, what, ": ", output.scales.size(), " output scales for ", channels,
              " channels");
  OCTET_CHECK(
      output.kind == OutputKind::kF32 || (output.zero_point >= (output.kind == OutputKind::kU8 ? 0 : -128) &&
                                          output.zero_point <= (output.kind == OutputKind::kU8 ? 255 : 127)),
      ErrorCode::kInvalidArgument, what, ": output zero point ", output.zero_point,
      " is out of the output type's range");
}

}  // namespace octet::x86
