// QLinearScaleShift's coefficients (the op: ops/qlinear_scale_shift.cpp), computed in one place so that the
// reference op and the int8 kernel cannot round them differently.
#pragma once

#include <span>
#include <vector>

namespace octet {

// m[c] = x_scale * multiplier[c] / y_scale and b[c] = offset[c] / y_scale, in float, left to right; each
// vector has the length of its input (1 or the channel count).
struct ScaleShiftCoefficients {
  std::vector<float> multiplier, offset;
};
ScaleShiftCoefficients scale_shift_coefficients(float x_scale, std::span<const float> multiplier,
                                                std::span<const float> offset, float y_scale);

}  // namespace octet
