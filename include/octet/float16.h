// IEEE 754 binary16 storage type with exact conversions to and from float (round to nearest even).
#pragma once

#include <cstdint>

namespace octet {

float half_bits_to_float(uint16_t bits);
uint16_t float_to_half_bits(float value);

struct Float16 {
  uint16_t bits = 0;

  Float16() = default;
  static Float16 from_bits(uint16_t b) {
    Float16 h;
    h.bits = b;
    return h;
  }
  explicit Float16(float value) : bits(float_to_half_bits(value)) {}
  explicit operator float() const { return half_bits_to_float(bits); }
};

}  // namespace octet
