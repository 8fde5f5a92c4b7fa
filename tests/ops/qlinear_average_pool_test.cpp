// QLinearAveragePool (com.microsoft). Expected values by hand in the comments: the int sum of (x - x_zp) over
// the window, times x_scale / (y_scale * count), round half to even, add y_zp, saturate.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

// X - x_zp = [[0,1,2],[3,4,5],[6,7,8]] (x = 10..18, x_zp = 10), x_scale 0.5, y_scale 0.25.
std::vector<OpInput> three_by_three(Dims dims) {
  return fed_then_constants({make<uint8_t>(std::move(dims), {10, 11, 12, 13, 14, 15, 16, 17, 18}),
                             scalar(0.5f), scalar<uint8_t>(10), scalar(0.25f), scalar<uint8_t>(0)});
}

TEST(QLinearAveragePoolTest, ValidWindows) {
  // 2x2 windows, stride 1: sums 8, 12, 20, 24, multiplier 0.5 / (0.25 * 4) = 0.5 -> 4, 6, 10, 12.
  const Tensor y = run_single("QLinearAveragePool", three_by_three({1, 1, 3, 3}),
                              {{"kernel_shape", std::vector<int64_t>{2, 2}}});
  EXPECT_EQ(y.dims(), (Dims{1, 1, 2, 2}));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{4, 6, 10, 12}));
}

TEST(QLinearAveragePoolTest, PaddingCountedOrNot) {
  // 2x2 windows, stride 2, pads 1: windows hold {0}, {1,2}, {3,6}, {4,5,7,8}.
  Attributes attributes = {{"kernel_shape", std::vector<int64_t>{2, 2}},
                           {"strides", std::vector<int64_t>{2, 2}},
                           {"pads", std::vector<int64_t>{1, 1, 1, 1}}};
  // Without the padding: 0 / 1, 3 / 2, 9 / 2, 24 / 4 in real units * 0.5 / 0.25 -> 0, 3, 9, 12.
  const Tensor excluded = run_single("QLinearAveragePool", three_by_three({1, 1, 3, 3}), attributes);
  EXPECT_EQ(values_of<uint8_t>(excluded), (std::vector<uint8_t>{0, 3, 9, 12}));
  // Counting the padding (4 taps each): multiplier 0.5: 0, 1.5 -> 2, 4.5 -> 4, 12.
  attributes["count_include_pad"] = int64_t{1};
  const Tensor included = run_single("QLinearAveragePool", three_by_three({1, 1, 3, 3}), attributes);
  EXPECT_EQ(values_of<uint8_t>(included), (std::vector<uint8_t>{0, 2, 4, 12}));
}

TEST(QLinearAveragePoolTest, ChannelsLast) {
  const Tensor y = run_single("QLinearAveragePool", three_by_three({1, 3, 3, 1}),
                              {{"kernel_shape", std::vector<int64_t>{2, 2}}, {"channels_last", int64_t{1}}});
  EXPECT_EQ(y.dims(), (Dims{1, 2, 2, 1}));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{4, 6, 10, 12}));
}

TEST(QLinearAveragePoolTest, Int8OneSpatialAxis) {
  // [-4, -2, 1, 3], kernel 2 stride 2: means -3 and 2; y_zp -1 -> -4 and 1.
  const Tensor y =
      run_single("QLinearAveragePool",
                 fed_then_constants({make<int8_t>({1, 1, 4}, {-4, -2, 1, 3}), scalar(1.0f), scalar<int8_t>(0),
                                     scalar(1.0f), scalar<int8_t>(-1)}),
                 {{"kernel_shape", std::vector<int64_t>{2}}, {"strides", std::vector<int64_t>{2}}});
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{-4, 1}));
}

TEST(QLinearAveragePoolTest, RejectsFloatInput) {
  expect_error(
      [] {
        build_op("QLinearAveragePool",
                 fed_then_constants({f32({1, 1, 2, 2}, {1, 2, 3, 4}), scalar(1.0f), scalar<uint8_t>(0),
                                     scalar(1.0f), scalar<uint8_t>(0)}),
                 {{"kernel_shape", std::vector<int64_t>{2, 2}}});
      },
      ErrorCode::kInvalidModel, "expected one of u8");
}

// Padding of 70000 on a 4x4 input gives 70003 x 70003 output positions of 9 taps: the window list would need
// 2^32 entries, so evaluating is refused with a clear error instead of exhausting memory.
TEST(QLinearAveragePoolTest, RefusesWindowListsOfGigabytes) {
  expect_error(
      [] {
        run_single("QLinearAveragePool",
                   fed_then_constants({make<uint8_t>({1, 1, 4, 4}, std::vector<uint8_t>(16, 1)), scalar(1.0f),
                                       scalar<uint8_t>(0), scalar(1.0f), scalar<uint8_t>(0)}),
                   {{"kernel_shape", std::vector<int64_t>{3, 3}},
                    {"pads", std::vector<int64_t>{70000, 70000, 70000, 70000}}});
      },
      ErrorCode::kUnsupported, "window taps");
}

}  // namespace
}  // namespace octet
