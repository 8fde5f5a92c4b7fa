// MatMul and Gemm through shape inference and the reference executor. Expected values come from numpy
// (np.matmul, A.T @ B.T etc., /usr/bin/python3) on pattern_tensor() inputs: A uses (i * 7) % 11 - 5, B uses
// (i * 5) % 7 - 3, so every result is exact.
#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

Tensor b_pattern(Dims dims) {
  return pattern_tensor(std::move(dims), 5, 7);
}

TEST(MatMulOpTest, BatchBroadcast) {
  // np.matmul(A [2, 1, 2, 3], B [3, 3, 4])
  const auto y = run_op("MatMul", all_fed({pattern_tensor({2, 1, 2, 3}), b_pattern({3, 3, 4})}));
  EXPECT_EQ(y[0].dims(), (Dims{2, 3, 2, 4}));
  EXPECT_EQ(values_of<float>(y[0]),
            (std::vector<float>{17, -8,  2,   -2, -18, 11, 5,   -22, -3,  7, 17, -8,  8,   2, -18, 11,
                                -2, -13, -3,  7,  -22, 14, 8,   2,   -20, 8, 8,  -20, -22, 5, 11,  -18,
                                8,  8,   -20, 8,  8,   14, -22, 5,   -20, 8, 8,  8,   -18, 2, 8,   14}));
}

TEST(MatMulOpTest, OneDimensionalOperands) {
  // np.matmul([3], [2, 3, 4]); np.matmul([2, 2, 3], [3]); np.matmul([3], [3])
  const auto left = run_op("MatMul", all_fed({pattern_tensor({3}), b_pattern({2, 3, 4})}));
  EXPECT_EQ(left[0].dims(), (Dims{2, 4}));
  EXPECT_EQ(values_of<float>(left[0]), (std::vector<float>{17, -8, 2, -2, -3, 7, 17, -8}));
  const auto right = run_op("MatMul", all_fed({pattern_tensor({2, 2, 3}), b_pattern({3})}));
  EXPECT_EQ(right[0].dims(), (Dims{2, 2}));
  EXPECT_EQ(values_of<float>(right[0]), (std::vector<float>{19, -13, -12, -11}));
  const auto dot = run_op("MatMul", all_fed({pattern_tensor({3}), b_pattern({3})}));
  EXPECT_EQ(dot[0].dims(), (Dims{}));
  EXPECT_EQ(values_of<float>(dot[0]), (std::vector<float>{19}));
}

TEST(MatMulOpTest, InferenceAndErrors) {
  EXPECT_EQ(infer_output_shape("MatMul", {declared(ElementType::kF32, Shape{kDynamicDim, 128, 64}),
                                          declared(ElementType::kF32, Shape{64, 10})}),
            (Shape{kDynamicDim, 128, 10}));
  EXPECT_EQ(infer_output_shape("MatMul", {declared(ElementType::kF32, Shape::unknown()),
                                          declared(ElementType::kF32, Shape{64, 10})}),
            Shape::unknown());
  try {
    infer_output_shape("MatMul",
                       {declared(ElementType::kF32, Shape{2, 3}), declared(ElementType::kF32, Shape{4, 5})});
    ADD_FAILURE() << "inner dimension mismatch accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
    EXPECT_NE(std::string(e.what()).find("MatMul 'node'"), std::string::npos) << e.what();
  }
}

TEST(GemmOpTest, TransposesAlphaBetaRowBias) {
  // 0.5 * A.T @ B.T + 2 * C with A [3, 2], B [4, 3], C = [1, 2, 3, 4] (one row, broadcast down)
  const auto y = run_op("Gemm", all_fed({pattern_tensor({3, 2}), b_pattern({4, 3}), f32({4}, {1, 2, 3, 4})}),
                        {{"transA", int64_t{1}}, {"transB", int64_t{1}}, {"alpha", 0.5f}, {"beta", 2.0f}});
  EXPECT_EQ(y[0].dims(), (Dims{2, 4}));
  EXPECT_EQ(values_of<float>(y[0]), (std::vector<float>{7.5f, 6.5f, 12.5f, 11.5f, 4, 8, -5.5f, -1.5f}));
}

TEST(GemmOpTest, ColumnScalarAndNoBias) {
  const Tensor a = pattern_tensor({2, 3});
  const Tensor b = b_pattern({3, 4});
  // A @ B + [[1], [-1]]; A @ B + 3; A @ B
  EXPECT_EQ(values_of<float>(run_op("Gemm", all_fed({a, b, f32({2, 1}, {1, -1})}))[0]),
            (std::vector<float>{18, -7, 3, -1, -19, 10, 4, -23}));
  EXPECT_EQ(values_of<float>(run_op("Gemm", all_fed({a, b, f32({}, {3})}))[0]),
            (std::vector<float>{20, -5, 5, 1, -15, 14, 8, -19}));
  EXPECT_EQ(values_of<float>(run_op("Gemm", all_fed({a, b}))[0]),
            (std::vector<float>{17, -8, 2, -2, -18, 11, 5, -22}));
}

TEST(GemmOpTest, RejectsBadShapes) {
  auto expect_invalid = [](std::vector<std::pair<ElementType, Shape>> inputs, Attributes attributes) {
    std::vector<OpInput> declared_inputs;
    for (const auto& [type, shape] : inputs) declared_inputs.push_back(declared(type, shape));
    try {
      infer_output_shape("Gemm", declared_inputs, std::move(attributes));
      ADD_FAILURE() << "bad Gemm accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidModel) << e.what();
      EXPECT_NE(std::string(e.what()).find("Gemm 'node'"), std::string::npos) << e.what();
    }
  };
  const auto f32 = ElementType::kF32;
  expect_invalid({{f32, Shape{2, 3}}, {f32, Shape{4, 3}}}, {});                      // needs transB
  expect_invalid({{f32, Shape{2, 3, 1}}, {f32, Shape{3, 4}}}, {});                   // 3-d A
  expect_invalid({{f32, Shape{2, 3}}, {f32, Shape{3, 4}}, {f32, Shape{3, 4}}}, {});  // C not broadcastable
  expect_invalid({{f32, Shape{2, 3}}, {f32, Shape{3, 1}}, {f32, Shape{2, 4}}}, {});  // C larger than Y
  EXPECT_EQ(infer_output_shape("Gemm", {declared(f32, Shape{kDynamicDim, 3}), declared(f32, Shape{5, 3})},
                               {{"transB", int64_t{1}}}),
            (Shape{kDynamicDim, 5}));
}

}  // namespace
}  // namespace octet
