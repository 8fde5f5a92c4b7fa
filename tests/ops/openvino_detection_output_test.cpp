// DetectionOutput against a plain numpy re-implementation written from the OpenVINO opset1/opset8 specs and
// reference semantics (float32; tests/ops/openvino_ops_oracle.py, function detection_output, cases at its
// bottom), whose outputs are pasted below. The first case is also checked by hand in its comment.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const Tolerance kDetectionTolerance{1e-6f, 1e-6f, 0.0f};

// Three normalized priors: p0 and p1 overlap (IoU 0.68), p2 lies apart. Variances 0.1, 0.1, 0.2, 0.2.
const std::vector<float> kPriorBoxes{0.1f,  0.1f,  0.3f, 0.3f, 0.12f, 0.12f,
                                     0.32f, 0.32f, 0.6f, 0.6f, 0.9f,  0.9f};
const std::vector<float> kVariances{0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f};
// Offsets per prior (shared location) and scores per prior for classes 0 (background), 1, 2.
const std::vector<float> kLoc{0.1f, 0.2f, -0.1f, 0.3f, 0, 0, 0, 0, -0.2f, 0.1f, 0.4f, -0.3f};
const std::vector<float> kConf{0.1f, 0.9f, 0.05f, 0.1f, 0.8f, 0.1f, 0.0f, 0.3f, 0.7f};
// Offsets of a second prediction (center-size case and image 1 of the batch case).
const std::vector<float> kLocB{0.5f, -0.5f, 0.2f, 0.1f, 0, 0, 0, 0, 0.3f, 0.3f, 0.5f, 0.5f};

Tensor priors_with_variances() {
  std::vector<float> v = kPriorBoxes;
  v.insert(v.end(), kVariances.begin(), kVariances.end());
  return f32({1, 2, 12}, v);
}

Attributes base_attributes(int64_t keep_top_k) {
  return {{"keep_top_k", std::vector<int64_t>{keep_top_k}},
          {"nms_threshold", 0.5f},
          {"confidence_threshold", 0.2f},
          {"background_label_id", int64_t{0}},
          {"top_k", int64_t{-1}},
          {"code_type", std::string("caffe.PriorBoxParameter.CORNER")},
          {"share_location", int64_t{1}},
          {"variance_encoded_in_target", int64_t{0}},
          {"normalized", int64_t{1}}};
}

Attributes with(Attributes a, const std::string& name, AttributeValue value) {
  a[name] = std::move(value);
  return a;
}

Tensor detect(const std::vector<Tensor>& inputs, const Attributes& attributes) {
  return run_single("DetectionOutput", all_fed(inputs), attributes);
}

TEST(OpenVinoDetectionOutputTest, CornerCodeNmsAndTerminator) {
  // CORNER with variances: p0 -> (0.1 + 0.1 * 0.1, 0.1 + 0.1 * 0.2, 0.3 - 0.2 * 0.1, 0.3 + 0.2 * 0.3)
  // = (0.11, 0.12, 0.28, 0.36). Class 1: p0 (0.9) is kept; p1 (0.8, unmoved) overlaps it with IoU
  // 0.032 / (0.0408 + 0.04 - 0.032) = 0.66 > 0.5 and is suppressed; p2 (0.3) is kept. Class 2: only p2
  // (0.7) is above 0.2. Rows by label, then score; row 3 starts with -1, row 4 stays zero.
  const Tensor y =
      detect({f32({1, 12}, kLoc), f32({1, 9}, kConf), priors_with_variances()}, base_attributes(5));
  expect_f32(y, {1, 1, 5, 7},
             {0,     1,     0.9f, 0.11f, 0.12f, 0.28f, 0.36f, 0,     1,     0.3f, 0.58f, 0.61f,
              0.98f, 0.84f, 0,    2,     0.7f,  0.58f, 0.61f, 0.98f, 0.84f, -1,   0,     0,
              0,     0,     0,    0,     0,     0,     0,     0,     0,     0,    0},
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, NmsThresholdKeepsOverlapBelowIt) {
  // With nms_threshold 0.9 the 0.66 overlap no longer suppresses p1.
  const Tensor y = detect({f32({1, 12}, kLoc), f32({1, 9}, kConf), priors_with_variances()},
                          with(base_attributes(6), "nms_threshold", 0.9f));
  expect_f32(y, {1, 1, 6, 7},
             {0,  1, 0.9f, 0.11f, 0.12f, 0.28f, 0.36f, 0, 1, 0.8f, 0.12f, 0.12f, 0.32f, 0.32f,
              0,  1, 0.3f, 0.58f, 0.61f, 0.98f, 0.84f, 0, 2, 0.7f, 0.58f, 0.61f, 0.98f, 0.84f,
              -1, 0, 0,    0,     0,     0,     0,     0, 0, 0,    0,     0,     0,     0},
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, KeepTopKTruncatesAcrossClasses) {
  // Three detections (0.9, 0.3 in class 1; 0.7 in class 2), keep_top_k 2 keeps 0.9 and 0.7. Every row is
  // used, so there is no -1 row.
  const Tensor y =
      detect({f32({1, 12}, kLoc), f32({1, 9}, kConf), priors_with_variances()}, base_attributes(2));
  expect_f32(y, {1, 1, 2, 7},
             {0, 1, 0.9f, 0.11f, 0.12f, 0.28f, 0.36f, 0, 2, 0.7f, 0.58f, 0.61f, 0.98f, 0.84f},
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, TopKPerClassSizesOutputWithoutKeepTopK) {
  // keep_top_k -1, top_k 1: one candidate per class before NMS; output rows = N * top_k * classes = 3.
  const Tensor y = detect({f32({1, 12}, kLoc), f32({1, 9}, kConf), priors_with_variances()},
                          with(with(base_attributes(-1), "top_k", int64_t{1}), "nms_threshold", 0.9f));
  expect_f32(y, {1, 1, 3, 7}, {0,     1,     0.9f,  0.11f, 0.12f, 0.28f, 0.36f, 0, 2, 0.7f, 0.58f,
                               0.61f, 0.98f, 0.84f, -1,    0,     0,     0,     0, 0, 0},
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, BackgroundLabelMinusOneReportsClassZero) {
  // No background class: class 0 competes too (threshold 0.05: p0 and p1 score 0.1, p1 is suppressed).
  // Rows = N * classes * priors = 9 with neither keep_top_k nor top_k.
  const Tensor y = detect(
      {f32({1, 12}, kLoc), f32({1, 9}, kConf), priors_with_variances()},
      with(with(base_attributes(-1), "background_label_id", int64_t{-1}), "confidence_threshold", 0.05f));
  std::vector<float> expected{0, 0, 0.1f, 0.11f, 0.12f, 0.28f, 0.36f, 0, 1, 0.9f, 0.11f, 0.12f, 0.28f, 0.36f,
                              0, 1, 0.3f, 0.58f, 0.61f, 0.98f, 0.84f, 0, 2, 0.7f, 0.58f, 0.61f, 0.98f, 0.84f,
                              0, 2, 0.1f, 0.12f, 0.12f, 0.32f, 0.32f, -1};
  expected.resize(9 * 7, 0.0f);
  expect_f32(y, {1, 1, 9, 7}, expected, kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, CenterSizeVarianceInTargetAndClipping) {
  // Priors without a variance row ([1, 1, 12]); CENTER_SIZE offsets used as they are: p0 has center
  // (0.2 + 0.5 * 0.2, 0.2 - 0.5 * 0.2) = (0.3, 0.1), size 0.2 * e^0.2 x 0.2 * e^0.1.
  const std::vector<Tensor> inputs{f32({1, 12}, kLocB), f32({1, 9}, kConf), f32({1, 1, 12}, kPriorBoxes)};
  const Attributes center =
      with(with(base_attributes(4), "code_type", std::string("caffe.PriorBoxParameter.CENTER_SIZE")),
           "variance_encoded_in_target", int64_t{1});
  expect_f32(detect(inputs, center), {1, 1, 4, 7},
             {0, 1, 0.9f, 0.17785972f, -0.010517113f, 0.4221403f, 0.21051711f,
              0, 1, 0.8f, 0.12f,       0.12f,         0.32f,      0.32f,
              0, 1, 0.3f, 0.59269184f, 0.59269184f,   1.0873082f, 1.0873082f,
              0, 2, 0.7f, 0.59269184f, 0.59269184f,   1.0873082f, 1.0873082f},
             kDetectionTolerance);
  const std::vector<float> clipped{0, 1, 0.9f, 0.17785972f, 0,           0.4221403f, 0.21051711f,
                                   0, 1, 0.8f, 0.12f,       0.12f,       0.32f,      0.32f,
                                   0, 1, 0.3f, 0.59269184f, 0.59269184f, 1,          1,
                                   0, 2, 0.7f, 0.59269184f, 0.59269184f, 1,          1};
  expect_f32(detect(inputs, with(center, "clip_after_nms", int64_t{1})), {1, 1, 4, 7}, clipped,
             kDetectionTolerance);
  expect_f32(detect(inputs, with(center, "clip_before_nms", int64_t{1})), {1, 1, 4, 7}, clipped,
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, PerClassLocations) {
  // share_location 0: box_logits hold [prior][class][4]; class 1 of p0 moves by 0.1 * (0.1, 0.1, 0.2, 0.2).
  const std::vector<float> loc{0, 0, 0, 0, 0.1f,  0.1f,  0.1f,  0.1f,  0.2f,  0.2f,  0.2f,  0.2f,
                               0, 0, 0, 0, -0.1f, -0.1f, -0.1f, -0.1f, 0.3f,  0,     0.3f,  0,
                               0, 0, 0, 0, 0.5f,  0.5f,  0.5f,  0.5f,  -0.5f, -0.5f, -0.5f, -0.5f};
  const Tensor y = detect({f32({1, 36}, loc), f32({1, 9}, kConf), priors_with_variances()},
                          with(base_attributes(6), "share_location", int64_t{0}));
  std::vector<float> expected{0,     1, 0.9f, 0.11f, 0.11f, 0.32f, 0.32f, 0,     1,    0.3f, 0.65f,
                              0.65f, 1, 1,    0,     2,     0.7f,  0.55f, 0.55f, 0.8f, 0.8f, -1};
  expected.resize(6 * 7, 0.0f);
  expect_f32(y, {1, 1, 6, 7}, expected, kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, BatchSharingPriorsCaffeAndMxnetNms) {
  // Image 1: p1 scores 0.7 for class 2 and p0 0.3, but p0 (moved to (0.15, 0.05, 0.34, 0.32)) overlaps p1
  // with IoU 0.59: suppressed. p2 is background-dominated (0.9) with 0.05 for the others: no detection.
  const std::vector<Tensor> inputs{f32({2, 12},
                                       [] {
                                         std::vector<float> v = kLoc;
                                         v.insert(v.end(), kLocB.begin(), kLocB.end());
                                         return v;
                                       }()),
                                   f32({2, 9}, {0.1f, 0.9f, 0.05f, 0.1f, 0.8f, 0.1f, 0.0f, 0.3f, 0.7f, 0.5f,
                                                0.2f, 0.3f, 0.2f, 0.1f, 0.7f, 0.9f, 0.05f, 0.05f}),
                                   priors_with_variances()};
  std::vector<float> caffe{0,     1,     0.9f,  0.11f, 0.12f, 0.28f, 0.36f, 0,     1,     0.3f,
                           0.58f, 0.61f, 0.98f, 0.84f, 0,     2,     0.7f,  0.58f, 0.61f, 0.98f,
                           0.84f, 1,     2,     0.7f,  0.12f, 0.12f, 0.32f, 0.32f, -1};
  caffe.resize(6 * 7, 0.0f);
  expect_f32(detect(inputs, base_attributes(3)), {1, 1, 6, 7}, caffe, kDetectionTolerance);
  // MXNet NMS (decrease_label_id): each prior competes once with its best class; labels are shifted down.
  // Image 0: p0 (class 1, 0.9) suppresses p1 (class 1, 0.8); p2 goes to class 2 (0.7), so p2's 0.3 for
  // class 1 is gone.
  std::vector<float> mxnet{0,     0,     0.9f,  0.11f, 0.12f, 0.28f, 0.36f, 0,     1,     0.7f,  0.58f,
                           0.61f, 0.98f, 0.84f, 1,     1,     0.7f,  0.12f, 0.12f, 0.32f, 0.32f, -1};
  mxnet.resize(6 * 7, 0.0f);
  expect_f32(detect(inputs, with(base_attributes(3), "decrease_label_id", int64_t{1})), {1, 1, 6, 7}, mxnet,
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, ObjectnessAndRefinedPriors) {
  // aux_class_preds: p1's objectness 0.1 < 0.5 turns its scores into background; aux_box_preds refine p0 to
  // (0.11, 0.11, 0.32, 0.32) before the offsets apply: (0.12, 0.13, 0.30, 0.38).
  const Tensor y = detect({f32({1, 12}, kLoc), f32({1, 9}, kConf), priors_with_variances(),
                           f32({1, 6}, {0.2f, 0.8f, 0.9f, 0.1f, 0.3f, 0.7f}),
                           f32({1, 12}, {0.1f, 0.1f, 0.1f, 0.1f, 0, 0, 0, 0, 0, 0, 0, 0})},
                          with(base_attributes(4), "objectness_score", 0.5f));
  expect_f32(y, {1, 1, 4, 7},
             {0, 1, 0.9f, 0.12f, 0.13f, 0.3f,  0.38f, 0,  1, 0.3f, 0.58f, 0.61f, 0.98f, 0.84f,
              0, 2, 0.7f, 0.58f, 0.61f, 0.98f, 0.84f, -1, 0, 0,    0,     0,     0,     0},
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, UnnormalizedPriorsDividedByInputSize) {
  // Priors [batch, x0, y0, x1, y1] in pixels of a 200 x 100 input (prior size 5): p0 = (20, 10, 60, 30) /
  // (200, 100) = (0.1, 0.1, 0.3, 0.3), plus the raw offsets (variance in target): (0.2, 0.3, 0.2, 0.6).
  const Tensor y =
      detect({f32({1, 12}, kLoc), f32({1, 9}, kConf),
              f32({1, 1, 15}, {0, 20, 10, 60, 30, 0, 24, 12, 64, 32, 0, 120, 60, 180, 90})},
             with(with(with(with(base_attributes(4), "normalized", int64_t{0}), "input_height", int64_t{100}),
                       "input_width", int64_t{200}),
                  "variance_encoded_in_target", int64_t{1}));
  expect_f32(y, {1, 1, 4, 7}, {0, 1, 0.9f, 0.2f, 0.3f, 0.2f, 0.6f, 0, 1, 0.8f, 0.12f, 0.12f, 0.32f, 0.32f,
                               0, 1, 0.3f, 0.4f, 0.7f, 1.3f, 0.6f, 0, 2, 0.7f, 0.4f,  0.7f,  1.3f,  0.6f},
             kDetectionTolerance);
}

TEST(OpenVinoDetectionOutputTest, ShapesOfTheRetailDetectors) {
  // face-detection-retail-0004 (opset8: classes from class_preds): 3249 priors, 2 classes, keep_top_k 200.
  Attributes face = base_attributes(200);
  face["top_k"] = int64_t{400};
  face["code_type"] = std::string("caffe.PriorBoxParameter.CENTER_SIZE");
  EXPECT_EQ(infer_output_shape("DetectionOutput",
                               {declared(ElementType::kF32, Shape({1, 12996})),
                                declared(ElementType::kF32, Shape({1, 6498})),
                                declared(ElementType::kF32, Shape({1, 2, 12996}))},
                               face),
            Shape({1, 1, 200, 7}));
  // person-detection-retail-0013 (opset1: num_classes and eta = 1 given), batch left dynamic.
  Attributes person = with(with(face, "num_classes", int64_t{2}), "eta", 1.0f);
  EXPECT_EQ(infer_output_shape("DetectionOutput",
                               {declared(ElementType::kF32, Shape({kDynamicDim, 32640})),
                                declared(ElementType::kF32, Shape({kDynamicDim, 16320})),
                                declared(ElementType::kF32, Shape({1, 2, 32640}))},
                               person),
            Shape({1, 1, kDynamicDim, 7}));
}

TEST(OpenVinoDetectionOutputTest, RejectsInconsistentInputsAndAttributes) {
  auto build = [](std::vector<Shape> shapes, const Attributes& attributes) {
    std::vector<OpInput> inputs;
    for (Shape& s : shapes) inputs.push_back(declared(ElementType::kF32, std::move(s)));
    build_op("DetectionOutput", std::move(inputs), attributes);
  };
  const Attributes a = base_attributes(5);
  expect_error(
      [&] {
        build({{1, 12}, {1, 9}, {1, 1, 12}}, a);
      },
      ErrorCode::kInvalidModel, "proposals dim 1 (boxes and variances) is 1, expected 2");
  expect_error(
      [&] {
        build({{1, 12}, {1, 10}, {1, 2, 12}}, a);
      },
      ErrorCode::kInvalidModel, "class_preds dim 1 is 10, not a positive multiple of the 3 priors");
  expect_error(
      [&] {
        build({{1, 16}, {1, 9}, {1, 2, 12}}, a);
      },
      ErrorCode::kInvalidModel, "box_logits dim 1 (priors * location classes * 4) is 16, expected 12");
  expect_error(
      [&] {
        build({{1, 12}, {1, 9}, {1, 2, 12}}, with(a, "num_classes", int64_t{4}));
      },
      ErrorCode::kInvalidModel, "class_preds dim 1 (priors * num_classes) is 9, expected 12");
  expect_error(
      [&] {
        build({{2, 12}, {2, 9}, {3, 2, 12}}, a);
      },
      ErrorCode::kInvalidModel, "proposals batch is 3, expected 1 or 2");
  expect_error(
      [&] {
        build({{1, 12}, {1, 9}, {1, 2, 12}},
              with(a, "code_type", std::string("caffe.PriorBoxParameter.CORNER_SIZE")));
      },
      ErrorCode::kInvalidModel, "code_type");
  expect_error(
      [&] {
        build({{1, 12}, {1, 9}, {1, 2, 12}}, with(a, "eta", 0.5f));
      },
      ErrorCode::kUnsupported, "eta 0.5");
  Attributes no_keep = a;
  no_keep.erase("keep_top_k");
  expect_error(
      [&] {
        build({{1, 12}, {1, 9}, {1, 2, 12}}, no_keep);
      },
      ErrorCode::kInvalidModel, "attribute 'keep_top_k' is missing");
  expect_error(
      [&] {
        build({{1, 12}, {1, 9}, {1, 2, 12}, {1, 6}, {1, 8}}, a);
      },
      ErrorCode::kInvalidModel, "aux_box_preds dim 1 is 8, expected 12");
}

}  // namespace
}  // namespace octet
