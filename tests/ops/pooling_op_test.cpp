// MaxPool, AveragePool, LpPool, the global pools and LRN through shape inference and the reference executor.
// Expected values: torch.nn.functional (max_pool{1,2,3}d, avg_pool{2,3}d, lp_pool2d, local_response_norm;
// torch 1.13 via /usr/bin/python3) on pattern_tensor() inputs ((i * 7) % 11 - 5), or the ONNX node test data
// in /usr/share/libonnx-testdata/data/node (named per test), or hand computation.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;
using Ints = std::vector<int64_t>;

void expect_near_all(const std::vector<float>& actual, const std::vector<float>& expected,
                     float tolerance = 1e-5f) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], tolerance) << "at " << i;
}

std::vector<float> iota_values(int64_t count) {
  std::vector<float> v(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  return v;
}

TEST(MaxPoolOpTest, PadsReadAsMinusInfinity) {
  // F.max_pool2d(x, 3, stride=2, padding=1)
  const auto y = run_op("MaxPool", all_fed({pattern_tensor({1, 2, 5, 5})}),
                        {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}});
  EXPECT_EQ(values_of<float>(y[0]),
            (std::vector<float>{4, 5, 5, 4, 4, 5, 3, 4, 2, 5, 4, 4, 5, 5, 4, 2, 5, 1}));
  // All-negative input: padding must not win (ONNX test_maxpool_with_argmax_2d_precomputed_pads, negated).
  std::vector<float> negative = iota_values(25);
  for (float& v : negative) v = -v;
  const auto z = run_op("MaxPool", all_fed({f32({1, 1, 5, 5}, negative)}),
                        {{"kernel_shape", Ints{3, 3}}, {"pads", Ints{1, 1, 1, 1}}});
  EXPECT_EQ(values_of<float>(z[0])[0], -1.0f);
  EXPECT_EQ(values_of<float>(z[0])[24], -19.0f);
}

TEST(MaxPoolOpTest, CeilModeAndIndicesIncludeBatchAndChannel) {
  // F.max_pool2d(x, 2, stride=2, ceil_mode=True, return_indices=True); torch's indices are per plane, ONNX's
  // are flat in X, so channel 1 adds 25.
  const auto y =
      run_op("MaxPool", all_fed({pattern_tensor({1, 2, 5, 5})}),
             {{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}, {"ceil_mode", int64_t{1}}}, 2);
  EXPECT_EQ(y[0].dims(), (Dims{1, 2, 3, 3}));
  EXPECT_EQ(values_of<float>(y[0]),
            (std::vector<float>{4, 5, 3, 1, 4, 5, 3, 2, -2, 5, 4, 2, 5, 3, 4, 2, 5, -3}));
  const auto indices = y[1].values<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(indices.begin(), indices.end()),
            (std::vector<int64_t>{6, 3, 9, 15, 17, 14, 20, 23, 24, 25, 28, 34, 36, 42, 39, 45, 47, 49}));
}

TEST(MaxPoolOpTest, StorageOrderColumnMajorIndices) {
  // ONNX test_maxpool_with_argmax_2d_precomputed_strides: x = 1..25 (5x5), kernel 2, strides 2,
  // storage_order 1.
  const auto y =
      run_op("MaxPool", all_fed({f32({1, 1, 5, 5}, iota_values(25))}),
             {{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}, {"storage_order", int64_t{1}}}, 2);
  EXPECT_EQ(values_of<float>(y[0]), (std::vector<float>{7, 9, 17, 19}));
  const auto indices = y[1].values<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(indices.begin(), indices.end()), (std::vector<int64_t>{6, 16, 8, 18}));
}

TEST(MaxPoolOpTest, DilationsOneAndThreeDimensional) {
  // F.max_pool2d(x, 2, stride=1, dilation=2)
  const auto y = run_op("MaxPool", all_fed({pattern_tensor({1, 2, 5, 5})}),
                        {{"kernel_shape", Ints{2, 2}}, {"dilations", Ints{2, 2}}});
  EXPECT_EQ(values_of<float>(y[0]),
            (std::vector<float>{2, 5, 5, 4, 4, 4, 3, 2, 5, 5, 5, 4, 3, 3, 3, 5, 5, 5}));
  // F.max_pool1d(x, 3, stride=2, padding=1)
  const auto y1 = run_op("MaxPool", all_fed({pattern_tensor({1, 1, 7})}),
                         {{"kernel_shape", Ints{3}}, {"strides", Ints{2}}, {"pads", Ints{1, 1}}});
  EXPECT_EQ(values_of<float>(y1[0]), (std::vector<float>{2, 5, 5, 4}));
  // F.max_pool3d(x, 2, stride=(1, 2, 2))
  const auto y3 = run_op("MaxPool", all_fed({pattern_tensor({1, 1, 3, 4, 4})}),
                         {{"kernel_shape", Ints{2, 2, 2}}, {"strides", Ints{1, 2, 2}}});
  EXPECT_EQ(values_of<float>(y3[0]), (std::vector<float>{4, 5, 5, 5, 5, 4, 5, 5}));
}

TEST(MaxPoolOpTest, SameUpperAndUint8) {
  // ONNX test_maxpool_2d_precomputed_same_upper: x = 1..25, kernel 3, strides 2, SAME_UPPER -> pads [1, 1].
  const auto y = run_op(
      "MaxPool", all_fed({f32({1, 1, 5, 5}, iota_values(25))}),
      {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"auto_pad", std::string("SAME_UPPER")}});
  EXPECT_EQ(values_of<float>(y[0]), (std::vector<float>{7, 9, 10, 17, 19, 20, 22, 24, 25}));
  // SAME_LOWER with kernel 2 pads the beginning: the window of output 0 is rows/cols {-1, 0} -> x[0][0].
  const auto z = run_op("MaxPool", all_fed({f32({1, 1, 5, 5}, iota_values(25))}),
                        {{"kernel_shape", Ints{2, 2}}, {"auto_pad", std::string("SAME_LOWER")}});
  EXPECT_EQ(values_of<float>(z[0])[0], 1.0f);
  EXPECT_EQ(values_of<float>(z[0])[24], 25.0f);
  const std::vector<uint8_t> u = {1, 200, 3, 4, 5, 6, 7, 8, 250};
  const auto q = run_op("MaxPool", all_fed({Tensor::from_vector<uint8_t>({1, 1, 3, 3}, u)}),
                        {{"kernel_shape", Ints{2, 2}}});
  const auto qv = q[0].values<uint8_t>();
  EXPECT_EQ(std::vector<uint8_t>(qv.begin(), qv.end()), (std::vector<uint8_t>{200, 200, 8, 250}));
}

TEST(AveragePoolOpTest, CountIncludePad) {
  const Tensor x = pattern_tensor({1, 2, 5, 5});
  const Attributes base = {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}};
  // F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False / True)
  expect_near_all(values_of<float>(run_op("AveragePool", all_fed({x}), base)[0]),
                  {-0.5f, 0.8333333f, 1.25f, -1.1666666f, -0.4444444f, -0.3333333f, 0, -0.5f, -1, 1.25f,
                   -0.1666667f, 0.25f, -0.3333333f, -0.2222222f, -1.3333334f, -1, 0.3333333f, -2});
  Attributes include = base;
  include["count_include_pad"] = int64_t{1};
  expect_near_all(values_of<float>(run_op("AveragePool", all_fed({x}), include)[0]),
                  {-0.2222222f, 0.5555556f, 0.5555556f, -0.7777778f, -0.4444444f, -0.2222222f, 0, -0.3333333f,
                   -0.4444444f, 0.5555556f, -0.1111111f, 0.1111111f, -0.2222222f, -0.2222222f, -0.8888889f,
                   -0.4444444f, 0.2222222f, -0.8888889f});
}

TEST(AveragePoolOpTest, CeilModeDropsWindowsStartingInThePadding) {
  const Tensor x = pattern_tensor({1, 2, 5, 5});
  // in 5, kernel 2, stride 2, pads 1: ceil((5 + 2 - 2) / 2) + 1 = 4, but window 3 would start at 6 - 1 = 5,
  // in the end padding, so 3 outputs. F.avg_pool2d(x, 2, stride=2, padding=1, ceil_mode=True,
  // count_include_pad=True)
  const auto y = run_op("AveragePool", all_fed({x}),
                        {{"kernel_shape", Ints{2, 2}},
                         {"strides", Ints{2, 2}},
                         {"pads", Ints{1, 1, 1, 1}},
                         {"ceil_mode", int64_t{1}},
                         {"count_include_pad", int64_t{1}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 2, 3, 3}));
  expect_near_all(values_of<float>(y[0]), {-1.25f, 0, 1.5f, -1, 0.25f, 0.5f, 1, -1.25f, -1, 1.25f, -0.5f, 1,
                                           -1.5f, 2, -0.5f, 0.5f, 0.5f, -2});
  // F.avg_pool2d(x, 3, stride=2, ceil_mode=True, count_include_pad=False): the overhang is not counted.
  const auto z = run_op("AveragePool", all_fed({x}),
                        {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"ceil_mode", int64_t{1}}});
  expect_near_all(values_of<float>(z[0]),
                  {-0.8888889f, 0.8888889f, -0.5555556f, 0, 0.5555556f, -0.1111111f, 0.8888889f, 0.2222222f});
  // ONNX test_averagepool_2d_ceil: x = 1..16 (4x4), kernel 3, strides 2, ceil_mode.
  const auto w = run_op("AveragePool", all_fed({f32({1, 1, 4, 4}, iota_values(16))}),
                        {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"ceil_mode", int64_t{1}}});
  EXPECT_EQ(values_of<float>(w[0]), (std::vector<float>{6, 7.5f, 12, 13.5f}));
}

TEST(AveragePoolOpTest, ThreeDimensionalAndSameLower) {
  // F.avg_pool3d(x, 2, stride=(1, 2, 2))
  const auto y = run_op("AveragePool", all_fed({pattern_tensor({1, 1, 3, 4, 4})}),
                        {{"kernel_shape", Ints{2, 2, 2}}, {"strides", Ints{1, 2, 2}}});
  EXPECT_EQ(values_of<float>(y[0]),
            (std::vector<float>{-0.25f, 0, 0.75f, -0.375f, 0.375f, -0.75f, 0, 0.25f}));
  // ONNX test_averagepool_2d_same_lower semantics by hand: x = 1..4 (2x2), kernel 2, SAME_LOWER pads the
  // start; padding is not counted: out[0][0] = x[0][0] = 1, out[0][1] = (1 + 2) / 2, out[1][1] = (1+2+3+4)
  // / 4.
  const auto z = run_op("AveragePool", all_fed({f32({1, 1, 2, 2}, {1, 2, 3, 4})}),
                        {{"kernel_shape", Ints{2, 2}}, {"auto_pad", std::string("SAME_LOWER")}});
  EXPECT_EQ(values_of<float>(z[0]), (std::vector<float>{1, 1.5f, 2, 2.5f}));
}

TEST(LpPoolOpTest, PTwo) {
  // F.lp_pool2d(x, 2, 2, stride=1), first plane.
  const auto y = run_op("LpPool", all_fed({pattern_tensor({1, 2, 5, 5})}), {{"kernel_shape", Ints{2, 2}}});
  const std::vector<float> v = values_of<float>(y[0]);
  expect_near_all({v[0], v[1], v[2], v[3], v[4]}, {7.348469f, 4.898980f, 6.708204f, 7.141428f, 7.141428f});
}

TEST(GlobalPoolOpTest, AverageAndMax) {
  // Hand computed: plane 0 = {1, 2, 3, 6}, plane 1 = {-1, -2, -3, -4}.
  const Tensor x = f32({1, 2, 2, 2}, {1, 2, 3, 6, -1, -2, -3, -4});
  const auto avg = run_op("GlobalAveragePool", all_fed({x}));
  EXPECT_EQ(avg[0].dims(), (Dims{1, 2, 1, 1}));
  EXPECT_EQ(values_of<float>(avg[0]), (std::vector<float>{3, -2.5f}));
  const auto max = run_op("GlobalMaxPool", all_fed({x}));
  EXPECT_EQ(values_of<float>(max[0]), (std::vector<float>{6, -1}));
  const auto max1d = run_op("GlobalMaxPool", all_fed({f32({2, 1, 3}, {1, 5, 2, -7, -8, -9})}));
  EXPECT_EQ(max1d[0].dims(), (Dims{2, 1, 1}));
  EXPECT_EQ(values_of<float>(max1d[0]), (std::vector<float>{5, -7}));
  EXPECT_EQ(infer_output_shape("GlobalAveragePool",
                               {declared(ElementType::kF32, Shape{kDynamicDim, 8, kDynamicDim, 7, 7})}),
            (Shape{kDynamicDim, 8, 1, 1, 1}));
}

TEST(LrnOpTest, MatchesTorchForOddSize) {
  // F.local_response_norm(x, size=3, alpha=0.02, beta=0.75, k=2.0) with x = pattern_tensor({1, 5, 2, 2}).
  const auto y = run_op("LRN", all_fed({pattern_tensor({1, 5, 2, 2})}),
                        {{"size", int64_t{3}}, {"alpha", 0.02f}, {"beta", 0.75f}, {"bias", 2.0f}});
  expect_near_all(values_of<float>(y[0]),
                  {-2.793349f, 1.151967f,  -1.133016f, 2.799793f,  0.538951f,  -1.691600f, 2.260735f,
                   0.0f,       -2.260735f, 1.691600f,  -0.538951f, -2.793349f, 1.109690f,  -1.109690f,
                   2.793349f,  0.538951f,  -1.727951f, 2.266032f,  0.0f,       -2.282097f});
}

TEST(LrnOpTest, EvenSizeWindowFollowsOnnx) {
  // ONNX sums channels c - floor((size-1)/2) .. c + ceil((size-1)/2): for size 2 that is c .. c+1 (torch
  // would use c-1 .. c). Hand computed with alpha = 2 (alpha/size = 1), beta = 1, bias = 1 on one pixel of 3
  // channels x = {1, 2, 3}: sums {1+4, 4+9, 9} -> y = {1/6, 2/14, 3/10}.
  const auto y = run_op("LRN", all_fed({f32({1, 3, 1, 1}, {1, 2, 3})}),
                        {{"size", int64_t{2}}, {"alpha", 2.0f}, {"beta", 1.0f}, {"bias", 1.0f}});
  expect_near_all(values_of<float>(y[0]), {1.0f / 6, 2.0f / 14, 3.0f / 10});
}

TEST(PoolOpTest, InferenceAndErrors) {
  EXPECT_EQ(
      infer_output_shape("MaxPool", {declared(ElementType::kF32, Shape{kDynamicDim, 64, 112, kDynamicDim})},
                         {{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}}),
      (Shape{kDynamicDim, 64, 56, kDynamicDim}));
  auto expect_invalid = [](const std::string& op, Shape x, Attributes attributes) {
    try {
      infer_output_shape(op, {declared(ElementType::kF32, std::move(x))}, std::move(attributes));
      ADD_FAILURE() << op << " accepted a bad model";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidModel) << e.what();
      EXPECT_NE(std::string(e.what()).find("'node'"), std::string::npos) << e.what();
    }
  };
  expect_invalid("MaxPool", Shape{1, 1, 4, 4}, {});                               // no kernel_shape
  expect_invalid("MaxPool", Shape{1, 1, 2, 2}, {{"kernel_shape", Ints{3, 3}}});   // kernel > input
  expect_invalid("AveragePool", Shape{1, 1, 4, 4}, {{"kernel_shape", Ints{3}}});  // wrong rank
  expect_invalid("AveragePool", Shape{1, 4}, {{"kernel_shape", Ints{1}}});        // no spatial axis
  expect_invalid("LRN", Shape{1, 4, 2, 2}, {});                                   // no size
}

}  // namespace
}  // namespace octet
