// insert_fake_quantize / revert_layer_to_fp32 and the weight limits: hand-computed limits and FakeQuantize
// outputs, which consumers read the quantized tensor, range repair, errors.
#include "quantization/insert_fake_quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "graph/graph_clone.h"
#include "tests/quantization/quantization_test_graphs.h"

namespace octet::quantization {
namespace {

using test::NetBuilder;

std::vector<float> values(const Tensor& t) {
  return std::vector<float>(t.values<float>().begin(), t.values<float>().end());
}

// W [3, 1, 1, 2]: channel 0 {0.5, -1.27}, channel 1 all zero, channel 2 {2.54, 1.0}.
Tensor three_channel_weights() {
  const std::vector<float> w = {0.5f, -1.27f, 0.0f, 0.0f, 2.54f, 1.0f};
  return Tensor::from_vector<float>({3, 1, 1, 2}, w);
}

TEST(WeightLimitsTest, PerChannelNarrowRangeIsMaxAbsOver127) {
  const WeightLimits limits = symmetric_weight_limits(three_channel_weights(), 0, {});
  EXPECT_EQ(limits.levels, 255);
  EXPECT_EQ(limits.low.dims(), (Dims{3, 1, 1, 1}));
  // s_c = max|w_c| / 127; limits -127 s_c, 127 s_c = -max|w_c|, max|w_c|; the zero channel gets the
  // tensor's step, max|w| / 127 = 2.54 / 127.
  const std::vector<float> low = values(limits.low), high = values(limits.high);
  for (size_t c = 0; c < 3; ++c) {
    const float m = std::vector<float>{1.27f, 2.54f, 2.54f}[c];
    EXPECT_NEAR(low[c], -m, 1e-6f) << c;
    EXPECT_NEAR(high[c], m, 1e-6f) << c;
  }
}

TEST(WeightLimitsTest, PerTensorFullRangeAndSaturationSafe) {
  // Per tensor, levels 256: s = max(max / 127, -min / 128) = max(2.54 / 127, 1.27 / 128) = 0.02.
  const WeightLimits full = symmetric_weight_limits(
      three_channel_weights(), 0, {.levels = 256, .per_channel = false, .narrow_range = false});
  EXPECT_EQ(full.low.dims(), (Dims{1, 1, 1, 1}));
  EXPECT_NEAR(full.low.data<float>()[0], -128 * 0.02f, 1e-6f);
  EXPECT_NEAR(full.high.data<float>()[0], 127 * 0.02f, 1e-6f);
  // Saturation-safe: s = (largest pair |w0| + |w1|) / 127 on the same 255-level grid, so high = the pair sum:
  // channel 0 pairs {0.5, -1.27} (1.77), channel 2 {2.54, 1.0} (3.54).
  const WeightLimits safe = symmetric_weight_limits(three_channel_weights(), 0, {.saturation_safe = true});
  EXPECT_NEAR(safe.high.data<float>()[0], 1.77f, 1e-5f);
  EXPECT_NEAR(safe.low.data<float>()[2], -3.54f, 1e-5f);
  EXPECT_THROW(symmetric_weight_limits(three_channel_weights(), 0, {.levels = 256}), Error);
  EXPECT_THROW(symmetric_weight_limits(three_channel_weights(), 4, {}), Error);
}

// Rounds w / s per channel as the int8 constant will hold it.
std::vector<int> quantized(const Tensor& w, const WeightLimits& limits, int64_t channel_axis) {
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < w.rank(); ++d) inner *= w.dims()[d];
  const int64_t channels = w.dims()[static_cast<size_t>(channel_axis)];
  std::vector<int> q;
  for (int64_t i = 0; i < w.element_count(); ++i) {
    const float step =
        limits.high.data<float>()[limits.high.element_count() == 1 ? 0 : (i / inner) % channels] / 127;
    q.push_back(static_cast<int>(std::nearbyint(w.data<float>()[i] / step)));
  }
  return q;
}

TEST(WeightLimitsTest, SaturationSafeKeepsEveryKernelPairWithinTheI16Budget) {
  // Conv weights [8, 6, 3, 3] with a few large values: after rounding, every pair a vpmaddubsw kernel adds
  // (consecutive in a channel's flattened row, or input channels 2j, 2j + 1 at one tap) has |q0| + |q1| <=
  // 128, and channels whose large values are not neighbours use more of the grid than 7-bit weights (|q| <=
  // 64).
  const Dims dims = {8, 6, 3, 3};
  std::vector<float> values_in(8 * 6 * 9);
  for (size_t i = 0; i < values_in.size(); ++i) values_in[i] = std::sin(static_cast<float>(i) * 1.7f) * 0.1f;
  for (size_t c = 0; c < 8; ++c) values_in[c * 54 + 4 * 9 + c % 9] = (c % 2 ? -1.0f : 1.0f) * (0.5f + c);
  const Tensor w = Tensor::from_vector<float>(dims, values_in);
  const WeightLimits limits = symmetric_weight_limits(w, 0, {.saturation_safe = true});
  const std::vector<int> q = quantized(w, limits, 0);
  int largest_q = 0;
  for (int64_t c = 0; c < 8; ++c) {
    const int* row = q.data() + c * 54;
    for (int j = 0; j < 54; j += 2) EXPECT_LE(std::abs(row[j]) + std::abs(row[j + 1]), 128) << c << " " << j;
    for (int t = 0; t < 9; ++t)
      for (int i = 0; i < 6; i += 2)
        EXPECT_LE(std::abs(row[i * 9 + t]) + std::abs(row[(i + 1) * 9 + t]), 128) << c << " tap " << t;
    for (int j = 0; j < 54; ++j) largest_q = std::max(largest_q, std::abs(row[j]));
  }
  EXPECT_GT(largest_q, 100);
  // MatMul weights [K, N] quantized per column (axis 1): pairs run along K.
  const std::vector<float> b_values = {1.0f, 1.0f, 1.0f, 0.1f, 0.1f, -1.0f, 0.1f, 0.1f};
  const Tensor b = Tensor::from_vector<float>({4, 2}, b_values);
  const WeightLimits columns = symmetric_weight_limits(b, 1, {.saturation_safe = true});
  EXPECT_NEAR(columns.high.data<float>()[0], 2.0f, 1e-6f);  // (1.0, 1.0) are K-neighbours in column 0
  EXPECT_NEAR(columns.high.data<float>()[1], 1.1f, 1e-6f);  // column 1: (1.0, 0.1), (-1.0, 0.1)
}

// x -> conv "c1" -> relu -> conv "c2" -> out, and x also read by an fp32 Sigmoid.
Graph two_convs() {
  NetBuilder b;
  Value* x = b.input("x", {1, 3, 2, 2});
  Value* y = b.conv("c2", b.relu("r1", b.conv("c1", x, 3, 3, 1)), 3, 2, 1);
  b.graph().add_output(y);
  b.graph().add_output(b.graph().add_node("Sigmoid", "sig", {x}, {"sig_out"})->output(0));
  infer_shapes(b.graph());
  return std::move(b.graph());
}

TEST(InsertFakeQuantizeTest, ActivationsReadByPlannedConsumersOnly) {
  Graph g = two_convs();
  QuantizationPlan plan;
  plan.activations = {{"x", {"c1"}, false}, {"r1_out", {}, true}};
  plan.weights = {{"c1", 1, 0}};
  insert_fake_quantize(g, plan, {{"x", {-1.0f, 2.0f, 256}}, {"r1_out", {0.0f, 2.55f, 256}}}, {});
  infer_shapes(g);
  const Node* fq = g.find_node("c1")->input(0)->producer();
  ASSERT_NE(fq, nullptr);
  EXPECT_EQ(fq->op_type(), "FakeQuantize");
  EXPECT_EQ(fq->name(), "x/fq");
  EXPECT_EQ(fq->attribute<int64_t>("levels"), 256);
  EXPECT_EQ(fq->input(0)->name(), "x");
  // [-1, 2] over 255 steps: zero point 85 exactly, kept as given; input and output limits equal.
  EXPECT_EQ(fq->input(1)->constant().data<float>()[0], -1.0f);
  EXPECT_EQ(fq->input(2)->constant().data<float>()[0], 2.0f);
  EXPECT_EQ(fq->input(3), fq->input(1));
  EXPECT_EQ(fq->input(4), fq->input(2));
  EXPECT_EQ(g.find_node("sig")->input(0)->name(), "x");  // not in the plan's consumers
  // No consumers listed: every reader (c2).
  EXPECT_EQ(g.find_node("c2")->input(0)->producer()->op_type(), "FakeQuantize");
  // The weight FakeQuantize, levels 255, limits per output channel [3, 1, 1, 1].
  const Node* wfq = g.find_node("c1")->input(1)->producer();
  ASSERT_NE(wfq, nullptr);
  EXPECT_EQ(wfq->name(), "c1/weights/fq");
  EXPECT_EQ(wfq->attribute<int64_t>("levels"), 255);
  EXPECT_EQ(wfq->input(1)->constant().dims(), (Dims{3, 1, 1, 1}));
  EXPECT_EQ(g.find_node("c2")->input(1)->producer(), nullptr);  // not planned

  // The graph runs; x quantized on the grid of step 3/255 from -1: 0.25 -> round(1.25 * 85) = 106 -> 0.24706.
  TensorMap inputs{{"x", Tensor::from_vector<float>({1, 3, 2, 2}, std::vector<float>(12, 0.25f))}};
  const TensorMap all = ReferenceExecutor(g).run_all(inputs);
  EXPECT_NEAR(all.at(fq->output(0)->name()).data<float>()[0], 106.0f * 3.0f / 255.0f - 1.0f, 1e-6f);
}

TEST(InsertFakeQuantizeTest, RangesAreRepaired) {
  for (const auto& [given, low, high] : std::vector<std::tuple<QuantizationRange, float, float>>{
           // zero point 0.999 * 255 / 2.999 = 84.94: moved to 85, width kept.
           {{-0.999f, 2.0f, 256}, -85 * (2.999f / 255), 170 * (2.999f / 255)},
           // Only zeros seen.
           {{0.0f, 0.0f, 256}, 0.0f, 1.0f},
           // Not containing 0: widened to [0, 3].
           {{1.0f, 3.0f, 256}, 0.0f, 3.0f},
       }) {
    Graph g = two_convs();
    QuantizationPlan plan;
    plan.activations = {{"x", {"c1"}, false}};
    insert_fake_quantize(g, plan, {{"x", given}}, {});
    const Node* fq = g.find_node("x/fq");
    ASSERT_NE(fq, nullptr);
    EXPECT_NEAR(fq->input(1)->constant().data<float>()[0], low, 1e-6f) << given.low << " " << given.high;
    EXPECT_NEAR(fq->input(2)->constant().data<float>()[0], high, 1e-6f) << given.low << " " << given.high;
  }
}

TEST(InsertFakeQuantizeTest, BadPlansAreErrors) {
  const auto code_of = [](const QuantizationPlan& plan,
                          const std::map<std::string, QuantizationRange>& ranges) {
    Graph g = two_convs();
    try {
      insert_fake_quantize(g, plan, ranges, {});
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kInternal;
  };
  QuantizationPlan missing_range;
  missing_range.activations = {{"x", {}, false}};
  EXPECT_EQ(code_of(missing_range, {}), ErrorCode::kInvalidArgument);
  QuantizationPlan unknown_tensor;
  unknown_tensor.activations = {{"nope", {}, false}};
  EXPECT_EQ(code_of(unknown_tensor, {{"nope", {0, 1, 256}}}), ErrorCode::kInvalidArgument);
  QuantizationPlan unknown_consumer;
  unknown_consumer.activations = {{"x", {"nope"}, false}};
  EXPECT_EQ(code_of(unknown_consumer, {{"x", {0, 1, 256}}}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(missing_range, {{"x", {2, 1, 256}}}), ErrorCode::kInvalidArgument);
  QuantizationPlan activation_as_weight;
  activation_as_weight.weights = {{"c1", 0, 0}};
  EXPECT_EQ(code_of(activation_as_weight, {}), ErrorCode::kUnsupported);
}

TEST(InsertFakeQuantizeTest, RevertRemovesTheLayersFakeQuantizes) {
  Graph g = two_convs();
  QuantizationPlan plan;
  plan.activations = {{"x", {"c1", "sig"}, false}, {"r1_out", {}, true}};
  plan.weights = {{"c1", 1, 0}, {"c2", 1, 0}};
  insert_fake_quantize(g, plan, {{"x", {-1.0f, 2.0f, 256}}, {"r1_out", {0.0f, 2.55f, 256}}}, {});
  revert_layer_to_fp32(g, "c1");
  infer_shapes(g);
  EXPECT_EQ(g.find_node("c1")->input(0)->name(), "x");
  EXPECT_TRUE(g.find_node("c1")->input(1)->is_constant());
  EXPECT_EQ(g.find_node("c1/weights/fq"), nullptr);
  // x/fq still serves the Sigmoid; c2 keeps its own.
  EXPECT_NE(g.find_node("x/fq"), nullptr);
  EXPECT_EQ(g.find_node("sig")->input(0)->producer()->name(), "x/fq");
  EXPECT_EQ(g.find_node("c2")->input(1)->producer()->name(), "c2/weights/fq");
  revert_layer_to_fp32(g, "sig");
  EXPECT_EQ(g.find_node("x/fq"), nullptr);
  EXPECT_EQ(g.find_value("x/fq/low"), nullptr);  // its limit constants went with it
  EXPECT_THROW(revert_layer_to_fp32(g, "nope"), Error);
}

TEST(InsertFakeQuantizeTest, RevertBehindAPoolGetsAnFp32CopyOfThePool) {
  const Graph fp32 = test::mini_resnet();
  const TensorMap inputs = test::random_inputs(fp32, 3);
  const QuantizationPlan plan = plan_quantization(fp32, {});
  Graph g = clone_graph(fp32);
  insert_fake_quantize(g, plan, test::ranges_from_run(fp32, plan, inputs), {});
  // b1_conv1 reads the max pool, whose input is quantized for it and for b1_add (quantization_plan_test).
  revert_layer_to_fp32(g, "b1_conv1");
  infer_shapes(g);
  const Node* pool_copy = g.find_node("b1_conv1")->input(0)->producer();
  ASSERT_NE(pool_copy, nullptr);
  EXPECT_EQ(pool_copy->op_type(), "MaxPool");
  EXPECT_NE(pool_copy->name(), "pool");
  EXPECT_EQ(pool_copy->input(0)->name(), "stem_relu_out");
  EXPECT_EQ(g.find_node("pool")->input(0)->producer()->op_type(), "FakeQuantize");
  EXPECT_EQ(g.find_node("b1_add")->input(1)->producer()->name(), "pool");
  EXPECT_TRUE(g.find_node("b1_conv1")->input(1)->is_constant());
  // The copy pools the unquantized stem output: the same as a MaxPool alone on it.
  const TensorMap got = ReferenceExecutor(g).run_all(inputs);
  const Tensor& stem = got.at("stem_relu_out");
  Graph pool_only;
  Value* t = pool_only.add_input("t", ElementType::kF32, Shape(stem.dims()));
  pool_only.add_output(
      pool_only.add_node("MaxPool", "p", {t}, {"o"}, g.find_node("pool")->attributes())->output(0));
  infer_shapes(pool_only);
  const Tensor want = ReferenceExecutor(pool_only).run({{"t", stem}}).at("o");
  const Tensor& copy = got.at(pool_copy->output(0)->name());
  const Tensor& quantized = got.at("pool_out");
  ASSERT_EQ(copy.dims(), want.dims());
  int64_t differs_from_quantized = 0;
  for (int64_t i = 0; i < want.element_count(); ++i) {
    ASSERT_EQ(copy.data<float>()[i], want.data<float>()[i]) << i;
    differs_from_quantized += copy.data<float>()[i] != quantized.data<float>()[i];
  }
  EXPECT_GT(differs_from_quantized, 0);
}

TEST(InsertFakeQuantizeTest, RevertMakesOpsThatOnlyLeadToTheLayerFp32InPlace) {
  const Graph fp32 = test::mini_resnet();
  const QuantizationPlan plan = plan_quantization(fp32, {});
  Graph g = clone_graph(fp32);
  insert_fake_quantize(g, plan, test::ranges_from_run(fp32, plan, test::random_inputs(fp32, 3)), {});
  // fc reads the Flatten of the quantized pool output; only fc reads that Flatten.
  ASSERT_TRUE(reads_fake_quantize(g, "fc"));
  ASSERT_EQ(g.find_node("fc_flatten")->input(0)->producer()->op_type(), "FakeQuantize");
  revert_layer_to_fp32(g, "fc");
  EXPECT_FALSE(reads_fake_quantize(g, "fc"));
  EXPECT_FALSE(reads_fake_quantize(g, "no_such_node"));
  const Node* flatten = g.find_node("fc_flatten");
  ASSERT_NE(flatten, nullptr) << "the Flatten keeps its name";
  EXPECT_EQ(g.find_node("fc")->input(0)->producer(), flatten);
  EXPECT_EQ(flatten->input(0)->name(), "fc_pool_out");
  EXPECT_TRUE(reads_fake_quantize(g, "b1_conv1"));
}

}  // namespace
}  // namespace octet::quantization
