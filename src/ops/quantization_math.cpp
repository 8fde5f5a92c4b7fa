#include "ops/quantization_math.h"

namespace octet {

float round_half_to_even(float v) {
  const float rounded = std::round(v);  // ties away from zero
  // v - trunc(v) is exact in float, so this detects exactly the ties (never true for |v| >= 2^23 or inf/NaN).
  if (std::fabs(v - std::trunc(v)) != 0.5f || std::fmod(rounded, 2.0f) == 0.0f) return rounded;
  // An odd tie: the even neighbour is one step toward zero (keeping the sign, so -0.5 -> -0 like nearbyint).
  return std::copysign(rounded - std::copysign(1.0f, v), v);
}

}  // namespace octet
