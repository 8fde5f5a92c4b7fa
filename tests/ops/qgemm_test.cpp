// QGemm (com.microsoft). Expected values are computed by hand in the comments: int32 accumulator of
// (A - a_zp)(B - b_zp) plus C, times alpha * a_scale * b_scale[n] (/ y_scale), round half to even, add y_zp,
// saturate; every intermediate is exact in float.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

TEST(QGemmTest, PerColumnScalesBiasAndZeroPoints) {
  // A - a_zp = [[0,1,2],[3,4,5]]; B = [[1,-1],[2,0],[3,1]]: acc = [[8,2],[26,2]]; + C [4,3] =
  // [[12,5],[30,5]]. multiplier column 0: 0.5 * 0.25 / 0.25 = 0.5, column 1: 0.5 * 1 / 0.25 = 2. y =
  // [[6,10],[15,10]] + 10 = [[16,20],[25,20]].
  const Tensor y = run_single(
      "QGemm",
      fed_then_constants({make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}), scalar(0.5f), scalar<uint8_t>(1),
                          make<int8_t>({3, 2}, {1, -1, 2, 0, 3, 1}), f32({2}, {0.25f, 1.0f}),
                          make<int8_t>({2}, {0, 0}), i32({2}, {4, 3}), scalar(0.25f), scalar<uint8_t>(10)}));
  EXPECT_EQ(y.dims(), (Dims{2, 2}));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{16, 20, 25, 20}));
}

TEST(QGemmTest, TransposedBAlphaAndFloatOutput) {
  // Same A and B as above, B stored transposed; no C; alpha 2 and no y_scale: f32 output
  // acc * 2 * 0.5 * b_scale[n]: [[8 * 0.25, 2 * 1], [26 * 0.25, 2 * 1]] = [[2, 2], [6.5, 2]].
  const Tensor y =
      run_single("QGemm",
                 fed_then_constants({make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}), scalar(0.5f),
                                     scalar<uint8_t>(1), make<int8_t>({2, 3}, {1, 2, 3, -1, 0, 1}),
                                     f32({2}, {0.25f, 1.0f}), scalar<int8_t>(0)}),
                 {{"transB", int64_t{1}}, {"alpha", 2.0f}});
  EXPECT_EQ(y.type(), ElementType::kF32);
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{2.0f, 2.0f, 6.5f, 2.0f}));
}

TEST(QGemmTest, TransposedATiesAndSaturation) {
  // A stored [K=2, M=1] = [3, 5] with transA; B = identity: acc = [3, 5]; C [1,2] = [0, 300] -> [3, 305];
  // multiplier 1 * 1 / 2 = 0.5: [1.5, 152.5] -> [2, 152] -> i8 [2, 127].
  const Tensor y =
      run_single("QGemm",
                 fed_then_constants({make<int8_t>({2, 1}, {3, 5}), scalar(1.0f), scalar<int8_t>(0),
                                     make<int8_t>({2, 2}, {1, 0, 0, 1}), scalar(1.0f), scalar<int8_t>(0),
                                     i32({1, 2}, {0, 300}), scalar(2.0f), scalar<int8_t>(0)}),
                 {{"transA", int64_t{1}}});
  EXPECT_EQ(y.dims(), (Dims{1, 2}));
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{2, 127}));
}

TEST(QGemmTest, RejectsBadShapes) {
  expect_error(
      [] {
        build_op("QGemm", fed_then_constants({make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}), scalar(1.0f),
                                              scalar<uint8_t>(0), make<int8_t>({2, 2}, {1, 2, 3, 4}),
                                              scalar(1.0f), scalar<int8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "do not agree on K");
  expect_error(
      [] {
        build_op("QGemm", fed_then_constants({make<uint8_t>({1, 2}, {1, 2}), scalar(1.0f), scalar<uint8_t>(0),
                                              make<int8_t>({2, 2}, {1, 2, 3, 4}), f32({3}, {1, 1, 1}),
                                              scalar<int8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "b_scale");
  expect_error(
      [] {
        build_op("QGemm", fed_then_constants({make<uint8_t>({1, 2}, {1, 2}), scalar(1.0f), scalar<uint8_t>(0),
                                              make<int8_t>({2, 2}, {1, 2, 3, 4}), scalar(1.0f),
                                              scalar<int8_t>(0), i32({3}, {1, 2, 3})}));
      },
      ErrorCode::kInvalidModel, "cannot be broadcast");
}

}  // namespace
}  // namespace octet
