#include "octet/float16.h"

#include <gtest/gtest.h>

#include <cmath>

namespace octet {
namespace {

// Every half value converts to float and back unchanged (NaNs stay NaN).
TEST(Float16Test, RoundTripsEveryHalfValue) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const float f = half_bits_to_float(static_cast<uint16_t>(bits));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(half_bits_to_float(float_to_half_bits(f))));
      continue;
    }
    ASSERT_EQ(float_to_half_bits(f), bits) << "bits " << bits;
  }
}

TEST(Float16Test, RoundsHalfToEven) {
  // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to the even mantissa (1).
  EXPECT_EQ(float_to_half_bits(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
  EXPECT_EQ(float_to_half_bits(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(float_to_half_bits(65520.0f), 0x7c00);  // rounds to infinity
  EXPECT_EQ(float_to_half_bits(65519.0f), 0x7bff);
  EXPECT_EQ(float_to_half_bits(std::ldexp(1.0f, -25)), 0x0000);  // halfway to the smallest subnormal: even
  EXPECT_EQ(float_to_half_bits(std::ldexp(1.5f, -25)), 0x0001);
}

}  // namespace
}  // namespace octet
