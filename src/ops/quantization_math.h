// Rounding, saturation and the (de)quantize / requantize formulas shared by every quantized op, written once
// so that QuantizeLinear, QLinearConv, QLinearAdd... cannot disagree on how a tie or an overflow is handled.
//
// Every formula computes in float (not double), as ONNX Runtime's MLAS reference paths do: the quantized
// kernels this reference is compared against work in float, and double would round some ties differently.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace octet {

// Rounds to the nearest integer, ties to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> -0). Written out rather
// than std::nearbyint so that the result does not depend on the floating-point environment's rounding mode
// (the float -> int conversion truncates whatever the mode), and inline without library calls so that the
// int8 loop kernels do not pay a call per element (in a perf profile of Inception v3 int8, the rounding calls
// took 22 of the 38% the int8 average pooling spent).
inline float round_half_to_even(float v) {
  const float magnitude = std::fabs(v);
  if (!(magnitude < 8388608.0f)) return v;  // from 2^23 on every float is an integer (also inf, NaN)
  const auto whole = static_cast<int32_t>(magnitude);            // truncation, exact below 2^23
  const float fraction = magnitude - static_cast<float>(whole);  // exact
  const bool up = fraction > 0.5f || (fraction == 0.5f && (whole & 1) != 0);
  return std::copysign(static_cast<float>(whole + (up ? 1 : 0)), v);
}

// Clamps an integral float to T's range and converts; NaN becomes 0 (ONNX leaves it undefined).
template <typename T>
T saturate_to(float v) {
  if (std::isnan(v)) return T{0};
  constexpr float lo = static_cast<float>(std::numeric_limits<T>::lowest());
  constexpr float hi = static_cast<float>(std::numeric_limits<T>::max());
  return static_cast<T>(std::clamp(v, lo, hi));
}

// ONNX QuantizeLinear: saturate(round_half_to_even(x / scale) + zero_point). The zero point is added after
// rounding (in float, exact for any 8-bit zero point) and the clamp comes last.
template <typename T>
T quantize_value(float x, float scale, int32_t zero_point) {
  return saturate_to<T>(round_half_to_even(x / scale) + static_cast<float>(zero_point));
}

// ONNX DequantizeLinear: (q - zero_point) * scale, the subtraction in int32 (exact), the product in float.
inline float dequantize_value(int32_t q, float scale, int32_t zero_point) {
  return static_cast<float>(q - zero_point) * scale;
}

// Requantizes an integer accumulator: saturate(round_half_to_even(float(acc) * multiplier) + zero_point), as
// MLAS's MlasRequantizeOutput does (the accumulator converted to float first, then one float multiply). acc
// is int64 so that adding an int32 bias cannot overflow.
template <typename T>
T requantize(int64_t acc, float multiplier, int32_t zero_point) {
  return saturate_to<T>(round_half_to_even(static_cast<float>(acc) * multiplier) +
                        static_cast<float>(zero_point));
}
// saturate_to<T>(round_half_to_even(value) + zero_point) for a value that is not NaN, written so that a loop
// of it vectorizes (with -fno-trapping-math, which the int8 loop kernels are compiled with): min / max
// instead of a NaN test and clamp, and ties to even by adding and subtracting 1.5 * 2^23, which rounds in the
// current rounding mode: the default round-to-nearest-even that every Octet thread runs in (oneDNN's kernels
// assume it too). Clamping to +-2^22 first keeps the trick exact and changes no result, since such values
// saturate anyway. The tail of the vectorizable forms below.
template <typename T>
T round_and_saturate_vectorizable(float value, int32_t zero_point) {
  constexpr float kLimit = 4194304.0f;           // 2^22
  constexpr float kRoundingShift = 12582912.0f;  // 1.5 * 2^23
  constexpr float lo = static_cast<float>(std::numeric_limits<T>::lowest());
  constexpr float hi = static_cast<float>(std::numeric_limits<T>::max());
  // max(-kLimit, value) puts NaN at -kLimit (std::max returns its first argument when they are unordered): a
  // NaN reaching the integer conversion would be undefined behaviour even where the caller discards the
  // result.
  const float clamped = std::min(std::max(-kLimit, value), kLimit);
  const float rounded = (clamped + kRoundingShift) - kRoundingShift;
  return static_cast<T>(std::min(std::max(rounded + static_cast<float>(zero_point), lo), hi));
}

// quantize_value, vectorizable (the input may be any float: NaN becomes 0 and +-inf saturates, as
// saturate_to does). Equal to it in the default rounding mode
// (QuantizationMathTest.VectorizableQuantizeIsQuantize).
template <typename T>
T quantize_value_vectorizable(float x, float scale, int32_t zero_point) {
  const float scaled = x / scale;
  const T q = round_and_saturate_vectorizable<T>(scaled, zero_point);
  return scaled == scaled ? q : T{0};
}

// requantize for an int32 accumulator, vectorizable (float(acc) * multiplier is never NaN for a finite
// multiplier). Equal to requantize in the default rounding mode
// (QuantizationMathTest.VectorizableRequantizeIsRequantize).
template <typename T>
T requantize_vectorizable(int32_t acc, float multiplier, int32_t zero_point) {
  return round_and_saturate_vectorizable<T>(static_cast<float>(acc) * multiplier, zero_point);
}

// quantize_value(dequantize_value(q, x_scale, x_zero), y_scale, y_zero), the requantization of QLinearConcat,
// vectorizable; q_minus_zero = q - x_zero. Equal to it for positive finite scales whose ratio keeps the
// quotient finite (QuantizationMathTest.VectorizableRescaleIsQuantizeOfDequantize).
template <typename T>
T rescale_value_vectorizable(int32_t q_minus_zero, float x_scale, float y_scale, int32_t y_zero) {
  const float real = static_cast<float>(q_minus_zero) * x_scale;
  return round_and_saturate_vectorizable<T>(real / y_scale, y_zero);
}

// QLinearScaleShift's element (ops/qlinear_scale_shift.h): x = X - x_zero_point, m and b its channel's
// coefficients; saturate(round_half_to_even(float(x) * m + b) + zero_point), the product and the sum each
// rounded to float (no fused multiply-add: the reference and the kernel must round alike).
template <typename T>
T scale_shift_value(int32_t x, float m, float b, int32_t zero_point) {
  const float product = static_cast<float>(x) * m;
  return saturate_to<T>(round_half_to_even(product + b) + static_cast<float>(zero_point));
}
// scale_shift_value, vectorizable: equal to it for finite m and b (the kernel declines others)
// (QuantizationMathTest.VectorizableScaleShiftIsScaleShift).
template <typename T>
T scale_shift_value_vectorizable(int32_t x, float m, float b, int32_t zero_point) {
  const float product = static_cast<float>(x) * m;
  return round_and_saturate_vectorizable<T>(product + b, zero_point);
}

}  // namespace octet
