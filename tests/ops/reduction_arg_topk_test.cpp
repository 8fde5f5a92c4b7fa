// ArgMax, ArgMin and TopK; expected values worked out by hand (they are orderings of a few numbers).
#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

// x = [[2, 7, 7],
//      [9, 1, 9]]
const std::vector<float> kTopKInput = {2, 7, 7, 9, 1, 9};

TEST(ArgMaxTest, FirstOrLastOfTies) {
  const Tensor x = f32({2, 3}, kTopKInput);
  expect_tensor<int64_t>(run_single("ArgMax", {fed(x)}, {{"axis", int64_t{1}}}), ElementType::kI64, {2, 1},
                         {1, 0});
  expect_tensor<int64_t>(
      run_single("ArgMax", {fed(x)}, {{"axis", int64_t{-1}}, {"select_last_index", int64_t{1}}}),
      ElementType::kI64, {2, 1}, {2, 2});
  expect_tensor<int64_t>(run_single("ArgMax", {fed(x)}, {{"keepdims", int64_t{0}}}), ElementType::kI64, {3},
                         {1, 0, 1});
}

TEST(ArgMinTest, IntegerInputAndDefaultAxis) {
  // x = [[2, 7, 2],
  //      [9, 1, 2]]: column 2 ties at 2.
  const Tensor x = i32({2, 3}, {2, 7, 2, 9, 1, 2});
  expect_tensor<int64_t>(run_single("ArgMin", {fed(x)}), ElementType::kI64, {1, 3}, {0, 1, 0});
  expect_tensor<int64_t>(run_single("ArgMin", {fed(x)}, {{"select_last_index", int64_t{1}}}),
                         ElementType::kI64, {1, 3}, {0, 1, 1});
  expect_tensor<int64_t>(run_single("ArgMin", {fed(x)}, {{"axis", int64_t{1}}, {"keepdims", int64_t{0}}}),
                         ElementType::kI64, {2}, {0, 1});
}

TEST(ArgMaxTest, AxisOutOfRange) {
  expect_error(
      [&] {
        build_op("ArgMax", {fed(f32({2}, {1, 2}))}, {{"axis", int64_t{1}}});
      },
      ErrorCode::kInvalidModel, "axis 1 is out of range");
}

TEST(TopKTest, LargestAlongLastAxis) {
  const std::vector<Tensor> out =
      run_op("TopK", {fed(f32({2, 3}, kTopKInput)), constant(i64({1}, {2}))}, {}, 2);
  // Ties keep ascending index order: [7 (1), 7 (2)] and [9 (0), 9 (2)].
  expect_f32(out[0], {2, 2}, {7, 7, 9, 9}, scaled_tolerance(1e-5f));
  expect_tensor<int64_t>(out[1], ElementType::kI64, {2, 2}, {1, 2, 0, 2});
}

TEST(TopKTest, SmallestAlongFirstAxis) {
  const std::vector<Tensor> out =
      run_op("TopK", {fed(i64({2, 3}, {2, 7, 7, 9, 1, 9})), constant(i64({1}, {1}))},
             {{"axis", int64_t{0}}, {"largest", int64_t{0}}}, 2);
  expect_tensor<int64_t>(out[0], ElementType::kI64, {1, 3}, {2, 1, 7});
  expect_tensor<int64_t>(out[1], ElementType::kI64, {1, 3}, {0, 1, 0});
}

TEST(TopKTest, InferenceAndKOutOfRange) {
  auto g =
      build_op("TopK", {declared(ElementType::kF32, Shape{kDynamicDim, 10}), constant(i64({1}, {3}))}, {}, 2);
  EXPECT_EQ(g->node()->output(0)->shape(), (Shape{kDynamicDim, 3}));
  EXPECT_EQ(g->node()->output(1)->type(), ElementType::kI64);
  auto runtime_k = build_op(
      "TopK", {declared(ElementType::kF32, Shape{4, 10}), declared(ElementType::kI64, Shape{1})}, {}, 2);
  EXPECT_EQ(runtime_k->node()->output(0)->shape(), (Shape{4, kDynamicDim}));
  expect_error(
      [&] {
        build_op("TopK", {fed(f32({2, 3}, kTopKInput)), constant(i64({1}, {4}))}, {}, 2);
      },
      ErrorCode::kInvalidModel, "K=4 is out of range");
  expect_error(
      [&] {
        run_op("TopK", {fed(f32({2, 3}, kTopKInput)), fed(i64({1}, {5}))}, {}, 2);
      },
      ErrorCode::kInvalidArgument, "K=5 is out of range");
}

}  // namespace
}  // namespace octet
