// BatchNormalization, InstanceNormalization, MeanVarianceNormalization, LayerNormalization, LpNormalization.
// Expected values come from PyTorch 1.13 (torch.nn.functional.batch_norm / instance_norm / layer_norm /
// normalize) or, for MVN, from numpy with the ONNX function body; the generating calls are quoted above each
// test.
#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

std::vector<float> ramp(size_t n, float step, float start) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * step + start;
  return v;
}

// x = arange(24).reshape(2,3,2,2) * 0.5 - 5
// F.batch_norm(x, mean=[-1,.5,2], var=[1,4,.25], weight=[1,2,.5], bias=[0,-1,3], training=False, eps=1e-3)
TEST(BatchNormalizationTest, MatchesTorchInferenceForm) {
  const Tensor y = run_single(
      "BatchNormalization",
      {fed(f32({2, 3, 2, 2}, ramp(24, 0.5f, -5.0f))), constant(f32({3}, {1, 2, 0.5f})),
       constant(f32({3}, {0, -1, 3})), constant(f32({3}, {-1, 0.5f, 2})), constant(f32({3}, {1, 4, 0.25f}))},
      {{"epsilon", 1e-3f}});
  expect_f32(y, {2, 3, 2, 2}, {-3.998002f, -3.498251f, -2.998501f,   -2.498751f, -4.499563f, -3.999625f,
                               -3.499688f, -2.99975f,  0.005981863f, 0.5049849f, 1.003988f,  1.502991f,
                               1.999001f,  2.498751f,  2.998501f,    3.498251f,  1.499688f,  1.999625f,
                               2.499563f,  2.9995f,    5.994018f,    6.493021f,  6.992024f,  7.491027f},
             scaled_tolerance(1e-5f));
}

TEST(BatchNormalizationTest, ChannelMismatchNamesTheNode) {
  const Tensor c3 = f32({3}, {1, 1, 1});
  expect_error(
      [&] {
        build_op("BatchNormalization", {fed(f32({1, 3, 1, 1}, {1, 2, 3})), constant(f32({4}, {1, 1, 1, 1})),
                                        constant(c3), constant(c3), constant(c3)});
      },
      ErrorCode::kInvalidModel, "has 4 elements but the input has 3 channels");
}

TEST(BatchNormalizationTest, TrainingModeIsUnsupported) {
  const Tensor c1 = f32({1}, {1});
  expect_error(
      [&] {
        build_op("BatchNormalization",
                 {fed(f32({1, 1, 2}, {1, 2})), constant(c1), constant(c1), constant(c1), constant(c1)},
                 {{"training_mode", int64_t{1}}});
      },
      ErrorCode::kUnsupported, "training_mode");
}

// xi = [[[1,2,4],[-1,0,5]],[[3,3.5,-2],[.5,.25,7]]]
// F.instance_norm(xi, weight=[1.5,-.5], bias=[.1,.2], eps=1e-5)
TEST(InstanceNormalizationTest, MatchesTorch) {
  const Tensor y = run_single("InstanceNormalization",
                              {fed(f32({2, 2, 3}, {1, 2, 4, -1, 0, 5, 3, 3.5f, -2, 0.5f, 0.25f, 7})),
                               constant(f32({2}, {1.5f, -0.5f})), constant(f32({2}, {0.1f, 0.2f}))});
  expect_f32(y, {2, 2, 3},
             {-1.503562f, -0.3008904f, 2.104453f, 0.6445001f, 0.4540001f, -0.4985002f, 1.00606f, 1.30808f,
              -2.01414f, 0.5333627f, 0.5733663f, -0.5067291f},
             scaled_tolerance(1e-5f));
}

TEST(InstanceNormalizationTest, ScaleOfWrongLengthIsRejected) {
  expect_error(
      [&] {
        build_op("InstanceNormalization", {fed(f32({1, 2, 2}, {1, 2, 3, 4})), constant(f32({3}, {1, 1, 1})),
                                           constant(f32({2}, {0, 0}))});
      },
      ErrorCode::kInvalidModel, "scale");
}

const std::vector<float> kMvnInput = {1, 2, 3, 4, -1, 0, 1, 5, 2, 2, 3, 9, 0.5f, -3, 1, 1};

// numpy: mu = x.mean(axis=(0,2,3), keepdims=True); sd = sqrt(((x-mu)**2).mean(same axes)); (x-mu)/(sd+1e-9)
TEST(MeanVarianceNormalizationTest, DefaultAxesMatchNumpy) {
  const Tensor y = run_single("MeanVarianceNormalization", {fed(f32({2, 2, 2, 2}, kMvnInput))});
  expect_f32(
      y, {2, 2, 2, 2},
      {-0.9649013f, -0.5360563f, -0.1072113f, 0.3216338f, -0.7394638f, -0.266207f, 0.2070499f, 2.100077f,
       -0.5360563f, -0.5360563f, -0.1072113f, 2.465859f, -0.02957855f, -1.685977f, 0.2070499f, 0.2070499f},
      scaled_tolerance(1e-5f));
}

// Pairs along the last axis normalize to -1 / +1 (or 0 / 0 for equal values, where the std is 0).
TEST(MeanVarianceNormalizationTest, LastAxisByHand) {
  const Tensor y = run_single("MeanVarianceNormalization", {fed(f32({2, 2, 2, 2}, kMvnInput))},
                              {{"axes", std::vector<int64_t>{-1}}});
  expect_f32(y, {2, 2, 2, 2}, {-1, 1, -1, 1, -1, 1, -1, 1, 0, 0, -1, 1, 1, -1, 0, 0},
             scaled_tolerance(1e-5f));
}

TEST(MeanVarianceNormalizationTest, BadAxisNamesTheNode) {
  expect_error(
      [&] {
        build_op("MeanVarianceNormalization", {fed(f32({2, 2}, {1, 2, 3, 4}))},
                 {{"axes", std::vector<int64_t>{0, 2}}});
      },
      ErrorCode::kInvalidModel, "axis 2 is out of range");
}

const std::vector<float> kLayerNormInput = {1,    2,  3, 4, -1, 0, 1, 5, 2, 2, 3,  9,
                                            0.5f, -3, 1, 1, 7,  1, 2, 2, 3, 3, -1, 0};

// F.layer_norm(x.reshape(2,3,4), [4], weight=[1,.5,2,-1], bias=[0,.1,.2,.3], eps=1e-5)
TEST(LayerNormalizationTest, LastAxisMatchesTorch) {
  const Tensor y = run_single("LayerNormalization",
                              {fed(f32({2, 3, 4}, kLayerNormInput)), constant(f32({4}, {1, 0.5f, 2, -1})),
                               constant(f32({4}, {0, 0.1f, 0.2f, 0.3f}))});
  expect_f32(y, {2, 3, 4}, {-1.341635f,   -0.1236059f, 1.094424f,   -1.041636f,  -0.9878774f, -0.1744104f,
                            -0.01952831f, -1.346462f,  -0.6859939f, -0.242997f,  -0.4859939f, -1.414985f,
                            0.3737169f,   -0.7595488f, 1.545381f,   -0.3726904f, 1.705604f,   -0.326401f,
                            -0.6528021f,  0.726401f,   0.9801946f,  0.5900973f,  -2.3205f,    1.000139f},
             scaled_tolerance(1e-5f));
}

// F.layer_norm(x.reshape(2,3,4), [3,4], weight=linspace(.5,1.6,12).reshape(3,4), bias=None, eps=1e-3);
// mean = x.mean((1,2)), inv_std = 1/sqrt(x.var((1,2), unbiased=False) + 1e-3)
TEST(LayerNormalizationTest, AxisOneWithStatisticsOutputs) {
  std::vector<float> scale(12);
  for (size_t i = 0; i < 12; ++i) scale[i] = 0.5f + 0.1f * static_cast<float>(i);
  const std::vector<Tensor> out =
      run_op("LayerNormalization", {fed(f32({2, 3, 4}, kLayerNormInput)), constant(f32({3, 4}, scale))},
             {{"axis", int64_t{1}}, {"epsilon", 1e-3f}}, 3);
  expect_f32(out[0], {2, 3, 4}, {-0.3168173f, -0.1400666f, 0.1167222f,  0.4535491f,  -1.290614f, -1.033825f,
                                 -0.6969981f, 1.160552f,   -0.3034776f, -0.326822f,  0.2501191f, 4.108621f,
                                 -0.1871549f, -1.12293f,   -0.112293f,  -0.1283348f, 2.16565f,   -0.1604185f,
                                 0.2941006f,  0.320837f,   0.9036908f,  0.9732055f,  -1.523976f, -0.9411219f},
             scaled_tolerance(1e-5f));
  expect_f32(out[1], {2, 1, 1}, {2.583333f, 1.375f}, scaled_tolerance(1e-5f));
  expect_f32(out[2], {2, 1, 1}, {0.4001904f, 0.4277827f}, scaled_tolerance(1e-5f));
}

TEST(LayerNormalizationTest, ScaleThatDoesNotFitIsRejected) {
  expect_error(
      [&] {
        build_op("LayerNormalization", {fed(f32({2, 3, 4}, kLayerNormInput)), constant(f32({3}, {1, 1, 1}))});
      },
      ErrorCode::kInvalidModel, "cannot be broadcast");
}

// F.normalize(x, p=2, dim=-1) and F.normalize(x, p=1, dim=0) for x = [[3,-4,0],[1,2,2]]
TEST(LpNormalizationTest, L2AndL1MatchTorch) {
  const Tensor x = f32({2, 3}, {3, -4, 0, 1, 2, 2});
  expect_f32(run_single("LpNormalization", {fed(x)}), {2, 3},
             {0.6f, -0.8f, 0, 0.3333333f, 0.6666667f, 0.6666667f}, scaled_tolerance(1e-5f));
  expect_f32(run_single("LpNormalization", {fed(x)}, {{"p", int64_t{1}}, {"axis", int64_t{0}}}), {2, 3},
             {0.75f, -0.6666667f, 0, 0.25f, 0.3333333f, 1}, scaled_tolerance(1e-5f));
}

TEST(LpNormalizationTest, ZeroSliceStaysZero) {
  expect_f32(run_single("LpNormalization", {fed(f32({1, 2}, {0, 0}))}), {1, 2}, {0, 0},
             scaled_tolerance(1e-5f));
}

TEST(LpNormalizationTest, OnlyP1AndP2) {
  expect_error(
      [&] {
        build_op("LpNormalization", {fed(f32({2}, {1, 2}))}, {{"p", int64_t{3}}});
      },
      ErrorCode::kInvalidModel, "p must be 1 or 2");
}

TEST(NormalizationInferenceTest, KeepsDynamicShape) {
  auto g = build_op(
      "LayerNormalization",
      {declared(ElementType::kF32, Shape{kDynamicDim, 7}), declared(ElementType::kF32, Shape{7})}, {}, 2);
  EXPECT_EQ(g->node()->output(0)->shape(), (Shape{kDynamicDim, 7}));
  EXPECT_EQ(g->node()->output(1)->shape(), (Shape{kDynamicDim, 1}));
  EXPECT_THROW(build_op("InstanceNormalization",
                        {declared(ElementType::kI32, Shape{1, 2, 3}), declared(ElementType::kF32, Shape{2}),
                         declared(ElementType::kF32, Shape{2})}),
               Error);
}

}  // namespace
}  // namespace octet
