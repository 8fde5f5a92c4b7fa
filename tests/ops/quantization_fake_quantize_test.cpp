// FakeQuantize against numpy. The expected values come from /usr/bin/python3 with numpy float32 scalars,
// evaluating exactly OpenVINO's reference formula in its order:
//   x <= min(il, ih) -> ol; x > max(il, ih) -> oh;
//   else rint((x - il) / (ih - il) * (levels - 1)) / (levels - 1) * (oh - ol) + ol   (each op rounded to f32)
// so the comparisons are exact.
#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const std::vector<float> kX{-2.0f, -1.3f, -1.29f, 0.0f, 0.1f, 1.0f, 2.69f, 2.7f, 2.71f, 5.0f};

TEST(FakeQuantizeTest, Levels256AsymmetricRanges) {
  // Input range [-1.3, 2.7], output range [-0.5, 3.25]. -1.3 (= il) and below give ol; 2.7 (= ih) is inside
  // the range (only x > ih saturates) and lands exactly on oh.
  const Tensor y = run_single(
      "FakeQuantize",
      fed_then_constants({make<float>({10}, kX), scalar(-1.3f), scalar(2.7f), scalar(-0.5f), scalar(3.25f)}),
      {{"levels", int64_t{256}}});
  EXPECT_EQ(values_of<float>(y),
            (std::vector<float>{-0.5f, -0.5f, -0.4852941036224365f, 0.7205883264541626f, 0.8088235855102539f,
                                1.6617648601531982f, 3.2352941036224365f, 3.25f, 3.25f, 3.25f}));
}

TEST(FakeQuantizeTest, Levels255ToIntegerGrid) {
  // Output range [0, 254] with 255 levels: the output is the quantized integer itself.
  const Tensor y = run_single(
      "FakeQuantize",
      fed_then_constants({make<float>({10}, kX), scalar(-1.3f), scalar(2.7f), scalar(0.0f), scalar(254.0f)}),
      {{"levels", int64_t{255}}});
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{0, 0, 1, 83, 89, 146, 253, 254, 254, 254}));
}

TEST(FakeQuantizeTest, TiesRoundHalfToEven) {
  // Range [0, 4] with 5 levels: the grid step is 1, so x in the middle of two levels is a tie:
  // 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4. x = 4 (= ih) -> 4.
  const Tensor y = run_single("FakeQuantize",
                              fed_then_constants({make<float>({6}, {0.5f, 1.5f, 2.5f, 3.5f, 0.0f, 4.0f}),
                                                  scalar(0.0f), scalar(4.0f), scalar(0.0f), scalar(4.0f)}),
                              {{"levels", int64_t{5}}});
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{0, 2, 2, 4, 0, 4}));
}

TEST(FakeQuantizeTest, PerChannelLimitsBroadcast) {
  // X [1,2,2,2]; input limits [1,2,1,1] (channel 0: [0, 1], channel 1: [-2, 1]); output_low [2,1,1]
  // (rank 3, numpy-broadcast: channel 0: 0, channel 1: -1); output_high a scalar 1.
  const std::vector<Tensor> inputs{make<float>({1, 2, 2, 2}, {-1, 0.3f, 0.7f, 2, -5, -2.4f, 0.9f, 3}),
                                   make<float>({1, 2, 1, 1}, {0, -2}), make<float>({1, 2, 1, 1}, {1, 1}),
                                   make<float>({2, 1, 1}, {0, -1}), scalar(1.0f)};
  EXPECT_EQ(
      values_of<float>(run_single("FakeQuantize", fed_then_constants(inputs), {{"levels", int64_t{256}}})),
      (std::vector<float>{0.0f, 0.2980392277240753f, 0.6980392336845398f, 1.0f, -1.0f, -1.0f,
                          0.9372549057006836f, 1.0f}));
  EXPECT_EQ(
      values_of<float>(run_single("FakeQuantize", fed_then_constants(inputs), {{"levels", int64_t{3}}})),
      (std::vector<float>{0, 0.5f, 0.5f, 1, -1, -1, 1, 1}));
}

TEST(FakeQuantizeTest, RejectsBadLevelsAndLimits) {
  const Tensor x = make<float>({1, 2, 2}, {1, 2, 3, 4});
  expect_error(
      [&] {
        build_op("FakeQuantize",
                 fed_then_constants({x, scalar(0.0f), scalar(1.0f), scalar(0.0f), scalar(1.0f)}),
                 {{"levels", int64_t{1}}});
      },
      ErrorCode::kInvalidModel, "levels is 1");
  expect_error(
      [&] {
        build_op("FakeQuantize",
                 fed_then_constants({x, scalar(0.0f), scalar(1.0f), scalar(0.0f), scalar(1.0f)}));
      },
      ErrorCode::kInvalidModel, "levels");
  // A limit with 3 channels does not broadcast to 2; a limit of rank 4 would enlarge X.
  expect_error(
      [&] {
        build_op("FakeQuantize",
                 fed_then_constants(
                     {x, make<float>({1, 3, 1}, {0, 0, 0}), scalar(1.0f), scalar(0.0f), scalar(1.0f)}),
                 {{"levels", int64_t{256}}});
      },
      ErrorCode::kInvalidModel, "cannot be broadcast");
  expect_error(
      [&] {
        build_op("FakeQuantize",
                 fed_then_constants(
                     {x, scalar(0.0f), make<float>({2, 1, 1, 1}, {1, 1}), scalar(0.0f), scalar(1.0f)}),
                 {{"levels", int64_t{256}}});
      },
      ErrorCode::kInvalidModel, "input_high of shape [2,1,1,1] does not broadcast to X");
}

}  // namespace
}  // namespace octet
