// PriorBox and PriorBoxClustered against a plain numpy re-implementation written from the OpenVINO opset
// specs (float32 step by step; tests/ops/openvino_ops_oracle.py, functions prior_box / prior_box_clustered),
// whose outputs are pasted below. Hand checks of a few values are in the comments.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const Tolerance kBoxTolerance{1e-6f, 1e-6f, 0.0f};

// output_size [H, W] and image_size [IH, IW] as constant i64 inputs (as the IR reader gives them).
std::vector<OpInput> sizes(int64_t h, int64_t w, int64_t ih, int64_t iw) {
  return {constant(i64({2}, {h, w})), constant(i64({2}, {ih, iw}))};
}

std::vector<float> repeated(std::vector<float> pattern, size_t times) {
  std::vector<float> out;
  for (size_t i = 0; i < times; ++i) out.insert(out.end(), pattern.begin(), pattern.end());
  return out;
}

std::vector<float> concat(std::vector<float> a, const std::vector<float>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(OpenVinoPriorBoxTest, MinMaxAndFlippedAspectRatios) {
  // 2x2 cells of a 16x16 image, step 8, offset 0.5: cell (0, 0) is centered at (4, 4). Per cell: the min box
  // (half size 2: [2, 6] / 16 = [0.125, 0.375]), the max box (half size sqrt(4 * 9) / 2 = 3: [0.0625,
  // 0.4375]), then aspect ratio 2 (half sizes 2 * sqrt(2), 2 / sqrt(2): x in (4 -+ 2.828) / 16) and its flip
  // 1/2.
  const Tensor y = run_single("PriorBox", sizes(2, 2, 16, 16),
                              {{"min_size", std::vector<float>{4}},
                               {"max_size", std::vector<float>{9}},
                               {"aspect_ratio", std::vector<float>{2}},
                               {"flip", int64_t{1}},
                               {"clip", int64_t{0}},
                               {"step", 8.0f},
                               {"offset", 0.5f},
                               {"variance", std::vector<float>{0.1f, 0.1f, 0.2f, 0.2f}},
                               {"scale_all_sizes", int64_t{1}},
                               {"min_max_aspect_ratios_order", int64_t{1}}});
  const std::vector<float> boxes{
      0.125f,      0.125f,      0.375f,     0.375f,      0.0625f,     0.0625f,     0.4375f,     0.4375f,
      0.07322331f, 0.16161165f, 0.4267767f, 0.33838835f, 0.16161165f, 0.07322331f, 0.33838835f, 0.4267767f,
      0.625f,      0.125f,      0.875f,     0.375f,      0.5625f,     0.0625f,     0.9375f,     0.4375f,
      0.5732233f,  0.16161165f, 0.9267767f, 0.33838835f, 0.6616117f,  0.07322331f, 0.8383883f,  0.4267767f,
      0.125f,      0.625f,      0.375f,     0.875f,      0.0625f,     0.5625f,     0.4375f,     0.9375f,
      0.07322331f, 0.6616117f,  0.4267767f, 0.8383883f,  0.16161165f, 0.5732233f,  0.33838835f, 0.9267767f,
      0.625f,      0.625f,      0.875f,     0.875f,      0.5625f,     0.5625f,     0.9375f,     0.9375f,
      0.5732233f,  0.6616117f,  0.9267767f, 0.8383883f,  0.6616117f,  0.5732233f,  0.8383883f,  0.9267767f};
  expect_f32(y, {2, 64}, concat(boxes, repeated({0.1f, 0.1f, 0.2f, 0.2f}, 16)), kBoxTolerance);
}

TEST(OpenVinoPriorBoxTest, ClipAspectRatiosBeforeMaxAndSingleVariance) {
  // min_size 12 on a 16x16 image overflows the image: clip clamps to [0, 1]. Without flip only ratio 2 is
  // added, and min_max_aspect_ratios_order = 0 puts it before the max box (sqrt(12 * 16) / 2 = 6.93).
  const Tensor y = run_single("PriorBox", sizes(1, 2, 16, 16),
                              {{"min_size", std::vector<float>{12}},
                               {"max_size", std::vector<float>{16}},
                               {"aspect_ratio", std::vector<float>{2}},
                               {"flip", int64_t{0}},
                               {"clip", int64_t{1}},
                               {"step", 8.0f},
                               {"offset", 0.5f},
                               {"variance", std::vector<float>{0.5f}},
                               {"min_max_aspect_ratios_order", int64_t{0}}});
  expect_f32(
      y, {2, 24},
      concat({0, 0, 0.625f, 0.625f,      0, 0, 0.78033006f, 0.5151651f, 0, 0, 0.6830127f, 0.6830127f, 0.375f,
              0, 1, 0.625f, 0.21966994f, 0, 1, 0.5151651f,  0.3169873f, 0, 1, 0.6830127f},
             repeated({0.5f}, 24)),
      kBoxTolerance);
}

TEST(OpenVinoPriorBoxTest, StepZeroUsesCellCentersAndDefaultVariance) {
  // step 0: the centers are the cell centers ((w + 0.5) * 10 / 1, (h + 0.5) * 20 / 2), offset 0.2 unused:
  // the min box of cell (0, 0) is [5 -+ 2] / 10, [5 -+ 2] / 20 = 0.3, 0.15, 0.7, 0.35. No variance: 0.1.
  const Tensor y = run_single("PriorBox", sizes(2, 1, 20, 10),
                              {{"min_size", std::vector<float>{4}},
                               {"aspect_ratio", std::vector<float>{3}},
                               {"flip", int64_t{1}},
                               {"step", 0.0f},
                               {"offset", 0.2f}});
  expect_f32(y, {2, 24},
             concat({0.3f,       0.15f,       0.7f,        0.35f,        0.15358984f, 0.19226497f,
                     0.8464102f, 0.30773503f, 0.38452995f, 0.076794915f, 0.61547005f, 0.4232051f,
                     0.3f,       0.65000004f, 0.7f,        0.85f,        0.15358984f, 0.692265f,
                     0.8464102f, 0.8077351f,  0.38452995f, 0.5767949f,   0.61547005f, 0.9232051f},
                    repeated({0.1f}, 24)),
             kBoxTolerance);
}

TEST(OpenVinoPriorBoxTest, MxnetFormScalesByImageHeight) {
  // scale_all_sizes = 0: sizes are fractions of the image height (0.2 * 10 = 2, 0.4 * 10 = 4), step -1 is one
  // cell (10 / 1), aspect-ratio boxes only after the last min_size, built from the first.
  const Tensor y = run_single("PriorBox", sizes(1, 1, 10, 10),
                              {{"min_size", std::vector<float>{0.2f, 0.4f}},
                               {"aspect_ratio", std::vector<float>{2}},
                               {"step", -1.0f},
                               {"offset", 0.5f},
                               {"scale_all_sizes", int64_t{0}}});
  expect_f32(y, {2, 12},
             concat({0.4f, 0.4f, 0.6f, 0.6f, 0.3f, 0.3f, 0.7f, 0.7f, 0.35857865f, 0.42928934f, 0.6414214f,
                     0.57071066f},
                    repeated({0.1f}, 12)),
             kBoxTolerance);
}

TEST(OpenVinoPriorBoxTest, FixedSizeWithDensityGrid) {
  // fixed_size 8, density 2: a 2x2 grid of 8x8 boxes shifted by 4 around the center 8: centers 6 and 10.
  const Tensor y = run_single("PriorBox", sizes(1, 1, 16, 16),
                              {{"fixed_size", std::vector<float>{8}},
                               {"density", std::vector<float>{2}},
                               {"step", 16.0f},
                               {"offset", 0.5f}});
  expect_f32(y, {2, 16},
             concat({0.125f, 0.125f, 0.625f, 0.625f, 0.375f, 0.125f, 0.875f, 0.625f, 0.125f, 0.375f, 0.625f,
                     0.875f, 0.375f, 0.375f, 0.875f, 0.875f},
                    repeated({0.1f}, 16)),
             kBoxTolerance);
}

TEST(OpenVinoPriorBoxTest, ShapeInference) {
  // 4 priors per cell (min, max, 2, 1/2) on 3x5 cells; output_size fed at run time leaves the width dynamic.
  const Attributes attrs{{"min_size", std::vector<float>{4}},
                         {"max_size", std::vector<float>{9}},
                         {"aspect_ratio", std::vector<float>{2, 0.5f}},
                         {"flip", int64_t{1}},
                         {"offset", 0.5f}};
  EXPECT_EQ(infer_output_shape("PriorBox", sizes(3, 5, 30, 50), attrs), Shape({2, 4 * 3 * 5 * 4}));
  EXPECT_EQ(infer_output_shape(
                "PriorBox", {declared(ElementType::kI32, Shape({2})), constant(i32({2}, {30, 50}))}, attrs),
            Shape({2, kDynamicDim}));
}

TEST(OpenVinoPriorBoxTest, RejectsBadAttributesAndInputs) {
  const Attributes good{{"min_size", std::vector<float>{4}}, {"offset", 0.5f}};
  auto with = [&](const std::string& name, AttributeValue value) {
    Attributes a = good;
    a[name] = std::move(value);
    return a;
  };
  expect_error(
      [&] {
        build_op("PriorBox", sizes(2, 2, 8, 8), with("variance", std::vector<float>{1, 2, 3}));
      },
      ErrorCode::kInvalidModel, "variance has 3 values");
  expect_error([&] { build_op("PriorBox", sizes(2, 2, 8, 8), with("aspect_ratio", std::vector<float>{0})); },
               ErrorCode::kInvalidModel, "aspect_ratio 0 is not positive");
  expect_error(
      [&] {
        build_op("PriorBox", sizes(2, 2, 8, 8), {{"min_size", std::vector<float>{4}}});
      },
      ErrorCode::kInvalidModel, "attribute 'offset' is missing");
  expect_error([&] { build_op("PriorBox", sizes(2, 2, 8, 8), with("flip", std::string("maybe"))); },
               ErrorCode::kInvalidModel, "'flip'");
  // min_size with fixed_size: OpenVINO's output size counts only the fixed_size boxes.
  Attributes mixed = with("fixed_size", std::vector<float>{4});
  mixed["density"] = std::vector<float>{1};
  expect_error([&] { build_op("PriorBox", sizes(2, 2, 8, 8), mixed); }, ErrorCode::kUnsupported,
               "OpenVINO sizes its output for");
  expect_error(
      [&] {
        build_op("PriorBox", {constant(i64({3}, {2, 2, 1})), constant(i64({2}, {8, 8}))}, good);
      },
      ErrorCode::kInvalidModel, "output_size must be 1-d with 2 elements");
  expect_error(
      [&] {
        build_op("PriorBox", {constant(f32({2}, {2, 2})), constant(i64({2}, {8, 8}))}, good);
      },
      ErrorCode::kInvalidModel, "output_size must be an integer tensor");
  expect_error([&] { run_single("PriorBox", sizes(2, 2, 0, 8), good); }, ErrorCode::kInvalidModel,
               "image_size is [0, 8]");
}

// --- PriorBoxClustered ---

TEST(OpenVinoPriorBoxClusteredTest, BoxesPerCell) {
  // Cell (0, 0) centered at (0.5 * 8, 0.5 * 8) = (4, 4); box 0 is 4 wide, 6 high: [4 -+ 2] / 16,
  // [4 -+ 3] / 16 = 0.125, 0.0625, 0.375, 0.4375. Box 1 (8 x 2) starts at x = 0 exactly.
  const Tensor y = run_single("PriorBoxClustered", sizes(2, 2, 16, 16),
                              {{"width", std::vector<float>{4, 8}},
                               {"height", std::vector<float>{6, 2}},
                               {"clip", int64_t{0}},
                               {"step", 8.0f},
                               {"step_w", 0.0f},
                               {"step_h", 0.0f},
                               {"offset", 0.5f},
                               {"variance", std::vector<float>{0.1f, 0.1f, 0.2f, 0.2f}}});
  expect_f32(y, {2, 32},
             concat({0.125f, 0.0625f, 0.375f, 0.4375f, 0,    0.1875f, 0.5f, 0.3125f,
                     0.625f, 0.0625f, 0.875f, 0.4375f, 0.5f, 0.1875f, 1,    0.3125f,
                     0.125f, 0.5625f, 0.375f, 0.9375f, 0,    0.6875f, 0.5f, 0.8125f,
                     0.625f, 0.5625f, 0.875f, 0.9375f, 0.5f, 0.6875f, 1,    0.8125f},
                    repeated({0.1f, 0.1f, 0.2f, 0.2f}, 8)),
             kBoxTolerance);
}

TEST(OpenVinoPriorBoxClusteredTest, ClipByDefaultAndStepFallbacks) {
  // step_w 6 wins over step; step_h 0 falls back to step 4: centers (3, 2) and (9, 2). A 10 x 30 box
  // overflows vertically; clip (the default) clamps to [0, 1]. One variance value fills every coordinate.
  const Tensor y = run_single("PriorBoxClustered", sizes(1, 2, 12, 16),
                              {{"width", std::vector<float>{10}},
                               {"height", std::vector<float>{30}},
                               {"step", 4.0f},
                               {"step_w", 6.0f},
                               {"offset", 0.5f},
                               {"variance", std::vector<float>{0.3f}}});
  expect_f32(y, {2, 8}, {0, 0, 0.5f, 1, 0.25f, 0, 0.875f, 1, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f},
             kBoxTolerance);
  // No step at all: image size over grid size (16 / 1, 12 / 2), offset 0, no clip: negative coordinates stay.
  const Tensor z = run_single("PriorBoxClustered", sizes(2, 1, 12, 16),
                              {{"width", std::vector<float>{10}},
                               {"height", std::vector<float>{6}},
                               {"clip", int64_t{0}},
                               {"offset", 0.0f}});
  expect_f32(z, {2, 8},
             {-0.3125f, -0.25f, 0.3125f, 0.25f, -0.3125f, 0.25f, 0.3125f, 0.75f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f,
              0.1f, 0.1f, 0.1f},
             kBoxTolerance);
}

TEST(OpenVinoPriorBoxClusteredTest, FaceDetectionRetailShapeAndErrors) {
  // face-detection-retail-0004's fc7 priors: 9 sizes on a 19x19 map of a 300x300 image: 4 * 19 * 19 * 9.
  const Attributes attrs{
      {"width", std::vector<float>{9.4f, 25.1f, 14.7f, 34.7f, 143, 77.4f, 128.8f, 51.1f, 75.6f}},
      {"height", std::vector<float>{15, 39.6f, 25.5f, 63.2f, 227.5f, 162.9f, 124.5f, 105.1f, 72.6f}},
      {"step", 16.0f},
      {"step_w", 0.0f},
      {"step_h", 0.0f},
      {"clip", int64_t{0}},
      {"offset", 0.5f},
      {"variance", std::vector<float>{0.1f, 0.1f, 0.2f, 0.2f}}};
  EXPECT_EQ(infer_output_shape("PriorBoxClustered", sizes(19, 19, 300, 300), attrs), Shape({2, 12996}));
  expect_error(
      [&] {
        build_op("PriorBoxClustered", sizes(2, 2, 8, 8),
                 {{"width", std::vector<float>{1, 2}}, {"height", std::vector<float>{1}}, {"offset", 0.5f}});
      },
      ErrorCode::kInvalidModel, "width has 2 values and height 1");
  expect_error(
      [&] {
        run_single("PriorBoxClustered", {constant(i64({2}, {0, 2})), constant(i64({2}, {8, 8}))}, attrs);
      },
      ErrorCode::kInvalidModel, "output_size is [0, 2]");
}

}  // namespace
}  // namespace octet
