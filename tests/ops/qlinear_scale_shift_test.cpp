// QLinearScaleShift (Octet's own). Expected values by hand in the comments: m = x_scale * M / y_scale and
// b = B / y_scale per channel, then round_half_to_even((x - x_zp) * m + b) + y_zp, saturated.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

// X [1, 2, 2] = channel 0: 10, 14; channel 1: 20, 21; x_zp 10, x_scale 0.5, y_scale 0.5: m = M, b = 2 * B.
std::vector<OpInput> two_channels(Tensor multiplier, Tensor offset, Tensor y_zero) {
  return fed_then_constants({make<uint8_t>({1, 2, 2}, {10, 14, 20, 21}), scalar(0.5f), scalar<uint8_t>(10),
                             std::move(multiplier), std::move(offset), scalar(0.5f), std::move(y_zero)});
}

TEST(QLinearScaleShiftTest, PerChannelAffineRequantized) {
  // M = [2, -1], B = [0.25, 1] -> m = [2, -1], b = [0.5, 2].
  // Channel 0: 0 * 2 + 0.5 = 0.5 -> 0 (tie to even), 4 * 2 + 0.5 = 8.5 -> 8; + 100 -> 100, 108.
  // Channel 1: -10 + 2 = -8, -11 + 2 = -9; + 100 -> 92, 91.
  const Tensor y =
      run_single("QLinearScaleShift",
                 two_channels(f32({2}, {2.0f, -1.0f}), f32({2}, {0.25f, 1.0f}), scalar<uint8_t>(100)));
  EXPECT_EQ(y.dims(), (Dims{1, 2, 2}));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{100, 108, 92, 91}));
}

TEST(QLinearScaleShiftTest, ScalarCoefficientsAndInt8Saturation) {
  // M = 30, B = -1 -> m = 30, b = -2: 0 -> -2, 4 -> 118, 10 -> 298 -> 127, 11 -> 328 -> 127 (i8, y_zp 0).
  const Tensor y =
      run_single("QLinearScaleShift", two_channels(f32({1}, {30.0f}), f32({1}, {-1.0f}), scalar<int8_t>(0)));
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{-2, 118, 127, 127}));
}

TEST(QLinearScaleShiftTest, RejectsCoefficientsOfAnotherLength) {
  expect_error(
      [] {
        build_op("QLinearScaleShift",
                 two_channels(f32({3}, {1.0f, 2.0f, 3.0f}), f32({2}, {0.0f, 0.0f}), scalar<uint8_t>(0)));
      },
      ErrorCode::kInvalidModel, "multiplier");
}

TEST(QLinearScaleShiftTest, RejectsAnInputWithoutChannels) {
  expect_error(
      [] {
        build_op("QLinearScaleShift",
                 fed_then_constants({make<uint8_t>({4}, {1, 2, 3, 4}), scalar(0.5f), scalar<uint8_t>(0),
                                     f32({1}, {1.0f}), f32({1}, {0.0f}), scalar(0.5f), scalar<uint8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "channel axis");
}

}  // namespace
}  // namespace octet
