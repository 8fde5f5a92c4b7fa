// collect_statistics on Conv -> Relu -> Conv against the reference executor's intermediate tensors: the
// observed values are those of the unfused fp32 graph, including the Conv output that post-op fusion folds
// into Conv+Relu when nobody observes it; plus the sample / name errors and the progress callback.
#include "quantization/calibration_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "octet/core.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"
#include "tests/passes/pass_graph_builders.h"
#include "tests/quantization/quantization_test_support.h"

namespace octet::quantization {
namespace {

using test::add_conv;
using test::random_f32;

// x [1, 3, 8, 8] -> conv1 (3 -> 4, 3x3) -> relu1 -> conv2 (4 -> 5, 3x3) -> y
Graph conv_relu_conv() {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 8, 8});
  Value* c1 = add_conv(g, "conv1", x, 3, 4, 1, true, 7);
  Value* r = g.add_node("Relu", "relu1", {c1}, {"relu1_out"})->output(0);
  g.add_output(add_conv(g, "conv2", r, 4, 5, 1, true, 9));
  infer_shapes(g);
  return g;
}

std::map<std::string, Tensor> sample(size_t index) {
  return {{"x", random_f32({1, 3, 8, 8}, 100 + static_cast<uint32_t>(index), -2.0f, 2.0f)}};
}

// The statistics computed directly from the reference executor's tensors, sample by sample.
struct Expected {
  float min = std::numeric_limits<float>::max(), max = std::numeric_limits<float>::lowest();
  double sum_min = 0, sum_max = 0;
  std::vector<double> channel_sums;
  double per_channel = 0;
};

TEST(CalibrationRunnerTest, MatchesReferenceIncludingAFusedAwayTensor) {
  const Graph graph = conv_relu_conv();
  const std::vector<std::string> names = {"x", "conv1_out", "relu1_out", "conv2_out"};
  constexpr size_t kCount = 5;

  std::map<std::string, Expected> expected;
  const ReferenceExecutor reference(graph);
  for (size_t i = 0; i < kCount; ++i) {
    const TensorMap all = reference.run_all(sample(i));
    for (const std::string& name : names) {
      const Tensor& t = all.at(name);
      Expected& e = expected[name];
      const auto values = t.values<float>();
      const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
      e.min = std::min(e.min, *lo);
      e.max = std::max(e.max, *hi);
      e.sum_min += *lo;
      e.sum_max += *hi;
      const auto channels = static_cast<size_t>(t.dims()[1]);
      const size_t plane = values.size() / channels;
      e.channel_sums.resize(channels);
      for (size_t v = 0; v < values.size(); ++v) e.channel_sums[v / plane] += values[v];
      e.per_channel += static_cast<double>(plane);
    }
  }

  std::vector<std::pair<size_t, size_t>> progress;
  const auto stats = collect_statistics(
      graph, {{"x", true}, {"conv1_out", true}, {"relu1_out", false}, {"conv2_out", true}}, kCount, sample,
      /*num_threads=*/1, [&](size_t done, size_t total) { progress.emplace_back(done, total); });

  ASSERT_EQ(stats.size(), names.size());
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const TensorStatistics& s = stats.at(name);
    const Expected& e = expected.at(name);
    EXPECT_EQ(s.sample_count(), kCount);
    // oneDNN's convolution sums in another order than the reference: float rounding only.
    EXPECT_NEAR(s.min(), e.min, 1e-4);
    EXPECT_NEAR(s.max(), e.max, 1e-4);
    EXPECT_NEAR(s.mean_min(), e.sum_min / kCount, 1e-4);
    EXPECT_NEAR(s.mean_max(), e.sum_max / kCount, 1e-4);
    if (name != "relu1_out") {
      const std::vector<double> means = s.channel_means();
      ASSERT_EQ(means.size(), e.channel_sums.size());
      for (size_t c = 0; c < means.size(); ++c)
        EXPECT_NEAR(means[c], e.channel_sums[c] / e.per_channel, 1e-5);
    }
  }
  // conv1_out is signed (before the Relu), relu1_out non-negative: the Relu really ran separately.
  EXPECT_LT(stats.at("conv1_out").min(), 0.0f);
  EXPECT_EQ(stats.at("relu1_out").min(), 0.0f);

  ASSERT_EQ(progress.size(), kCount);
  EXPECT_EQ(progress.front(), std::make_pair(size_t{1}, kCount));
  EXPECT_EQ(progress.back(), std::make_pair(kCount, kCount));
  // The caller's graph is left as it was.
  EXPECT_EQ(graph.outputs().size(), 1u);
}

TEST(CalibrationRunnerTest, UnobservedReluIsFusedIntoTheConv) {
  // The premise of the test above: without observation, relu1 is a post-op of conv1 and conv1_out never
  // exists as a tensor.
  auto graph = std::make_unique<Graph>(conv_relu_conv());
  const CompiledModel compiled =
      Core().compile_model(std::make_shared<Model>(std::move(graph)), {.num_threads = 1, .profiling = true});
  InferRequest request = compiled.create_infer_request();
  request.set_input_tensor("x", sample(0).at("x"));
  request.infer();
  bool relu_fused = false;
  for (const ProfilingInfo& row : request.get_profiling_info()) {
    if (row.node_name == "relu1") relu_fused = row.status == ProfilingInfo::Status::kOptimizedOut;
  }
  EXPECT_TRUE(relu_fused);
}

TEST(CalibrationRunnerTest, Errors) {
  const Graph graph = conv_relu_conv();
  expect_invalid([&] { collect_statistics(graph, {{"relu1_out"}}, 0, sample, 1); }, {"at least one sample"});
  expect_invalid([&] { collect_statistics(graph, {{"nope"}}, 1, sample, 1); }, {"no tensor 'nope'"});
  expect_invalid(
      [&] {
        collect_statistics(
            graph, {{"relu1_out"}}, 1, [](size_t) { return std::map<std::string, Tensor>{}; }, 1);
      },
      {"sample 0", "model input 'x'"});
  expect_invalid(
      [&] {
        collect_statistics(
            graph, {{"relu1_out"}}, 1,
            [](size_t i) {
              auto inputs = sample(i);
              inputs["extra"] = inputs.at("x");
              return inputs;
            },
            1);
      },
      {"sample 0", "'extra'"});
  // A NaN in the third sample: the error names the observed tensor and the sample.
  expect_invalid(
      [&] {
        collect_statistics(
            graph, {{"conv1_out"}}, 3,
            [](size_t i) {
              auto inputs = sample(i);
              if (i == 2) inputs.at("x").values<float>()[5] = std::numeric_limits<float>::quiet_NaN();
              return inputs;
            },
            1);
      },
      {"'conv1_out'", "sample 2"});
}

}  // namespace
}  // namespace octet::quantization
