// NormalizeL2 and MVN (opset6) against hand-computed values and a plain numpy re-implementation written from
// the OpenVINO specs (float64 sums, float32 results; tests/ops/openvino_ops_oracle.py, functions normalize_l2
// / mvn), whose outputs are pasted below.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const Tolerance kNormalizationTolerance{1e-6f, 1e-6f, 0.0f};

// [[1, 2, 2], [3, 0, 4]] as [1, 2, 3]: rows of norm 3 and 5.
Tensor l2_input() {
  return f32({1, 2, 3}, {1, 2, 2, 3, 0, 4});
}

Tensor normalize_l2(const std::vector<int64_t>& axes, float eps, const std::string& mode) {
  return run_single("NormalizeL2",
                    {fed(l2_input()), constant(i64({static_cast<int64_t>(axes.size())}, axes))},
                    {{"eps", eps}, {"eps_mode", mode}});
}

TEST(OpenVinoNormalizeL2Test, OverAxes) {
  // Each row divided by its norm: [1, 2, 2] / 3, [3, 0, 4] / 5.
  expect_f32(normalize_l2({2}, 1e-12f, "add"), {1, 2, 3}, {1 / 3.f, 2 / 3.f, 2 / 3.f, 0.6f, 0, 0.8f},
             kNormalizationTolerance);
  // Negative axis, same thing.
  expect_f32(normalize_l2({-1}, 1e-12f, "add"), {1, 2, 3}, {1 / 3.f, 2 / 3.f, 2 / 3.f, 0.6f, 0, 0.8f},
             kNormalizationTolerance);
  // Everything: / sqrt(1 + 4 + 4 + 9 + 16) = / sqrt(34).
  expect_f32(normalize_l2({1, 2}, 1e-12f, "add"), {1, 2, 3},
             {0.17149858f, 0.34299716f, 0.34299716f, 0.51449573f, 0, 0.6859943f}, kNormalizationTolerance);
  // Columns, with eps 0.5 added: (1, 3) / sqrt(10.5), (2, 0) / sqrt(4.5), (2, 4) / sqrt(20.5).
  expect_f32(normalize_l2({1}, 0.5f, "add"), {1, 2, 3},
             {0.3086067f, 0.94280905f, 0.44172612f, 0.9258201f, 0, 0.88345224f}, kNormalizationTolerance);
}

TEST(OpenVinoNormalizeL2Test, EpsModesAndEmptyAxes) {
  // max: sqrt(max(9, 100)) = sqrt(max(25, 100)) = 10.
  expect_f32(normalize_l2({2}, 100, "max"), {1, 2, 3}, {0.1f, 0.2f, 0.2f, 0.3f, 0, 0.4f},
             kNormalizationTolerance);
  // No axes: every element is divided by its own magnitude (0 stays 0).
  expect_f32(normalize_l2({}, 1e-12f, "add"), {1, 2, 3}, {1, 1, 1, 1, 0, 1}, kNormalizationTolerance);
}

TEST(OpenVinoNormalizeL2Test, RejectsBadInputs) {
  const std::vector<OpInput> in{fed(l2_input()), constant(i64({1}, {3}))};
  expect_error(
      [&] {
        build_op("NormalizeL2", in, {{"eps", 1e-6f}, {"eps_mode", std::string("add")}});
      },
      ErrorCode::kInvalidModel, "axis");
  expect_error(
      [&] {
        build_op("NormalizeL2", {fed(l2_input()), constant(i64({2}, {1, -2}))},
                 {{"eps", 1e-6f}, {"eps_mode", std::string("add")}});
      },
      ErrorCode::kInvalidModel, "repeated");
  expect_error(
      [&] {
        build_op("NormalizeL2", {fed(l2_input()), constant(i64({1}, {1}))},
                 {{"eps", 1e-6f}, {"eps_mode", std::string("sum")}});
      },
      ErrorCode::kInvalidModel, "eps_mode 'sum'");
  expect_error(
      [&] {
        build_op("NormalizeL2", {fed(l2_input()), constant(i64({1}, {1}))},
                 {{"eps_mode", std::string("add")}});
      },
      ErrorCode::kInvalidModel, "attribute 'eps' is missing");
  expect_error(
      [&] {
        build_op("NormalizeL2", {fed(l2_input()), constant(f32({1}, {1}))},
                 {{"eps", 1e-6f}, {"eps_mode", std::string("add")}});
      },
      ErrorCode::kInvalidModel, "axes must be an integer tensor");
}

// --- MVN ---

// Channel 0: 1, 2, 3, 4 (mean 2.5, variance 1.25); channel 1: constant 2.
Tensor mvn_input() {
  return f32({1, 2, 2, 2}, {1, 2, 3, 4, 2, 2, 2, 2});
}

Tensor mvn(const std::vector<int64_t>& axes, bool normalize_variance, float eps, const std::string& mode) {
  return run_single(
      "MVN", {fed(mvn_input()), constant(i64({static_cast<int64_t>(axes.size())}, axes))},
      {{"normalize_variance", int64_t{normalize_variance ? 1 : 0}}, {"eps", eps}, {"eps_mode", mode}});
}

TEST(OpenVinoMvnTest, PerChannelInsideAndOutsideSqrt) {
  // (x - 2.5) / sqrt(1.25 + 1e-9) = -1.342, -0.447, 0.447, 1.342; the constant channel gives 0 / sqrt(eps).
  expect_f32(mvn({2, 3}, true, 1e-9f, "inside_sqrt"), {1, 2, 2, 2},
             {-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f, 0, 0, 0, 0}, kNormalizationTolerance);
  // The IR spells the mode in capitals.
  expect_f32(mvn({2, 3}, true, 1e-9f, "INSIDE_SQRT"), {1, 2, 2, 2},
             {-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f, 0, 0, 0, 0}, kNormalizationTolerance);
  // (x - 2.5) / (sqrt(1.25) + 0.5).
  expect_f32(mvn({2, 3}, true, 0.5f, "outside_sqrt"), {1, 2, 2, 2},
             {-0.927051f, -0.309017f, 0.309017f, 0.927051f, 0, 0, 0, 0}, kNormalizationTolerance);
  // Mean subtraction only.
  expect_f32(mvn({2, 3}, false, 1e-9f, "inside_sqrt"), {1, 2, 2, 2}, {-1.5f, -0.5f, 0.5f, 1.5f, 0, 0, 0, 0},
             kNormalizationTolerance);
}

TEST(OpenVinoMvnTest, AcrossChannelsAndOverChannelsOnly) {
  // All of C, H, W: mean 2.25, variance 0.6875 (person-reidentification's InstanceNorm uses [2, 3]; MVN-1
  // with across_channels becomes [1, 2, 3]).
  expect_f32(mvn({1, 2, 3}, true, 1e-5f, "inside_sqrt"), {1, 2, 2, 2},
             {-1.5075457f, -0.30150914f, 0.9045274f, 2.110564f, -0.30150914f, -0.30150914f, -0.30150914f,
              -0.30150914f},
             kNormalizationTolerance);
  // Axis 1 only: pairs (1, 2), (2, 2), (3, 2), (4, 2) -> -1, 0, 1, 1 and 1, 0, -1, -1 (the (2, 2) pair is 0).
  expect_f32(mvn({1}, true, 1e-9f, "inside_sqrt"), {1, 2, 2, 2}, {-1, 0, 1, 1, 1, 0, -1, -1},
             scaled_tolerance(1e-6f));
}

TEST(OpenVinoMvnTest, RejectsBadAttributes) {
  const std::vector<OpInput> in{fed(mvn_input()), constant(i64({2}, {2, 3}))};
  expect_error(
      [&] {
        build_op("MVN", in,
                 {{"normalize_variance", int64_t{1}}, {"eps", 1e-9f}, {"eps_mode", std::string("both")}});
      },
      ErrorCode::kInvalidModel, "eps_mode 'both'");
  expect_error(
      [&] {
        build_op("MVN", in, {{"eps", 1e-9f}, {"eps_mode", std::string("inside_sqrt")}});
      },
      ErrorCode::kInvalidModel, "attribute 'normalize_variance' is missing");
  expect_error(
      [&] {
        build_op(
            "MVN", {fed(mvn_input()), constant(i64({1}, {4}))},
            {{"normalize_variance", int64_t{1}}, {"eps", 1e-9f}, {"eps_mode", std::string("inside_sqrt")}});
      },
      ErrorCode::kInvalidModel, "axis 4");
  // Axes fed at run time are checked when the node runs.
  expect_error(
      [&] {
        run_single(
            "MVN", {fed(mvn_input()), fed(i64({1}, {-5}))},
            {{"normalize_variance", int64_t{1}}, {"eps", 1e-9f}, {"eps_mode", std::string("inside_sqrt")}});
      },
      ErrorCode::kInvalidModel, "axis -5");
}

}  // namespace
}  // namespace octet
