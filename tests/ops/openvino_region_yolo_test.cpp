// RegionYolo against a plain numpy re-implementation written from the OpenVINO spec (float32;
// tests/ops/openvino_ops_oracle.py, function region_yolo), whose outputs are pasted below, with hand checks
// in the comments.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const Tolerance kRegionYoloTolerance{1e-6f, 1e-6f, 0.0f};

// x[i] = ((7 i) % 11 - 5) / 2 over [1, C, 1, 2].
Tensor input(int64_t channels) {
  std::vector<float> v;
  for (int64_t i = 0; i < channels * 2; ++i) v.push_back(static_cast<float>((i * 7) % 11 - 5) / 2);
  return f32({1, channels, 1, 2}, v);
}

TEST(OpenVinoRegionYoloTest, YoloV2SoftmaxAndFlatten) {
  // 2 regions of 4 coords + 1 objectness + 2 classes = 14 channels. Region 0: x (-2.5, 1) -> sigmoid
  // (0.0759, 0.7311); w, h unchanged; objectness (-2, 1.5) -> (0.1192, 0.8176); classes (-0.5, 1) at
  // position 0 -> softmax (0.1824, 0.8176). Axes 1..3 are flattened: [1, 28].
  const Tensor y = run_single("RegionYolo", {fed(input(14))},
                              {{"coords", int64_t{4}},
                               {"classes", int64_t{2}},
                               {"num", int64_t{2}},
                               {"do_softmax", int64_t{1}},
                               {"axis", int64_t{1}},
                               {"end_axis", int64_t{3}},
                               {"anchors", std::vector<float>{1, 2, 3, 4}}});
  expect_f32(y, {1, 28},
             {0.07585818f, 0.7310586f,   0.2689414f,  0.9241418f,  0.5f,        -1.5f,      2,
              0,           0.119202934f, 0.8175745f,  0.18242553f, 0.18242553f, 0.8175745f, 0.8175745f,
              0.9241418f,  0.62245935f,  0.18242553f, 0.880797f,   0,           -2,         1.5f,
              -0.5f,       0.07585818f,  0.7310586f,  0.18242553f, 0.98201376f, 0.8175745f, 0.01798621f},
             kRegionYoloTolerance);
}

TEST(OpenVinoRegionYoloTest, YoloV3SigmoidOnClassesKeepsShape) {
  // One region (mask [1]; num 3 is then not used): the class scores get a sigmoid too, the shape stays.
  const Tensor y = run_single("RegionYolo", {fed(input(7))},
                              {{"coords", int64_t{4}},
                               {"classes", int64_t{2}},
                               {"num", int64_t{3}},
                               {"do_softmax", int64_t{0}},
                               {"mask", std::vector<int64_t>{1}},
                               {"axis", int64_t{1}},
                               {"end_axis", int64_t{3}}});
  expect_f32(y, {1, 7, 1, 2},
             {0.07585818f, 0.7310586f, 0.2689414f, 0.9241418f, 0.5f, -1.5f, 2, 0, 0.119202934f, 0.8175745f,
              0.37754068f, 0.07585818f, 0.7310586f, 0.2689414f},
             kRegionYoloTolerance);
}

TEST(OpenVinoRegionYoloTest, ShapesAndErrors) {
  // YOLO v2 VOC: 5 * (4 + 1 + 20) = 125 channels of 13x13, flattened to 21125.
  Attributes v2{{"coords", int64_t{4}},     {"classes", int64_t{20}}, {"num", int64_t{5}},
                {"do_softmax", int64_t{1}}, {"axis", int64_t{1}},     {"end_axis", int64_t{3}}};
  EXPECT_EQ(infer_output_shape("RegionYolo", {declared(ElementType::kF32, Shape({1, 125, 13, 13}))}, v2),
            Shape({1, 21125}));
  EXPECT_EQ(infer_output_shape("RegionYolo", {declared(ElementType::kF32, Shape({kDynamicDim, 125, 13, 13}))},
                               [&] {
                                 Attributes a = v2;
                                 a["axis"] = int64_t{2};
                                 return a;
                               }()),
            Shape({kDynamicDim, 125, 169}));
  expect_error(
      [&] {
        build_op("RegionYolo", {declared(ElementType::kF32, Shape({1, 120, 13, 13}))}, v2);
      },
      ErrorCode::kInvalidModel, "input has 120 channels, expected 5 regions");
  expect_error(
      [&] {
        build_op("RegionYolo", {declared(ElementType::kF32, Shape({1, 125, 169}))}, v2);
      },
      ErrorCode::kInvalidModel, "input must be 4-d");
  Attributes v3 = v2;
  v3["do_softmax"] = int64_t{0};
  expect_error(
      [&] {
        build_op("RegionYolo", {declared(ElementType::kF32, Shape({1, 125, 13, 13}))}, v3);
      },
      ErrorCode::kInvalidModel, "mask must not be empty");
  v2.erase("coords");
  expect_error(
      [&] {
        build_op("RegionYolo", {declared(ElementType::kF32, Shape({1, 125, 13, 13}))}, v2);
      },
      ErrorCode::kInvalidModel, "attribute 'coords' is missing");
}

}  // namespace
}  // namespace octet
