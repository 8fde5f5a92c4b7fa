// Cross-layer equalization: fp32 outputs unchanged (reference executor before vs after, 1e-4), and the
// per-channel weight ranges follow the product rule: for a pair, r1'_c * r2'_c = r1_c * r2_c with
// r1'_c = r2'_c = sqrt(r1_c * r2_c); through a depthwise layer (conv -> dw -> conv) the scales of both pairs
// meet r1' = r2' = r3' = cbrt(r1 * r2 * r3) per channel (the product of the three is invariant).
#include "quantization/cross_layer_equalization.h"

#include <gtest/gtest.h>

#include <cmath>

#include "graph/graph_clone.h"
#include "tests/frontends/onnx_test_data.h"
#include "tests/quantization/quantization_test_graphs.h"

namespace octet::quantization {
namespace {

using test::NetBuilder;

// max |w| over output channel c (axis 0) of a conv's weights.
std::vector<double> output_ranges(const Node& conv) {
  const Tensor& w = conv.input(1)->constant();
  const int64_t channels = w.dims()[0], size = w.element_count() / channels;
  std::vector<double> r(static_cast<size_t>(channels), 0.0);
  for (int64_t i = 0; i < w.element_count(); ++i)
    r[static_cast<size_t>(i / size)] =
        std::max(r[static_cast<size_t>(i / size)], std::abs(double{w.data<float>()[i]}));
  return r;
}

// max |w| over input channel c (axis 1) of a non-grouped conv's weights.
std::vector<double> input_ranges(const Node& conv) {
  const Tensor& w = conv.input(1)->constant();
  const int64_t outputs = w.dims()[0], inputs = w.dims()[1], taps = w.element_count() / (outputs * inputs);
  std::vector<double> r(static_cast<size_t>(inputs), 0.0);
  for (int64_t i = 0; i < w.element_count(); ++i) {
    const auto c = static_cast<size_t>((i / taps) % inputs);
    r[c] = std::max(r[c], std::abs(double{w.data<float>()[i]}));
  }
  return r;
}

// Scales output channel c of the conv's weights and bias by factors[c] (unbalanced ranges to equalize).
void unbalance(Graph& g, const std::string& conv, const std::vector<float>& factors) {
  Node* node = g.find_node(conv);
  Tensor w = node->input(1)->constant().clone();
  Tensor b = node->input(2)->constant().clone();
  const int64_t size = w.element_count() / w.dims()[0];
  for (int64_t i = 0; i < w.element_count(); ++i)
    w.data<float>()[i] *= factors[static_cast<size_t>(i / size)];
  for (int64_t c = 0; c < b.element_count(); ++c) b.data<float>()[c] *= factors[static_cast<size_t>(c)];
  g.set_input(node, 1, g.add_constant(conv + ".unbalanced_w", w));
  g.set_input(node, 2, g.add_constant(conv + ".unbalanced_b", b));
}

void expect_same_outputs(const Graph& before, const Graph& after) {
  const TensorMap inputs = test::random_inputs(before, 5);
  const TensorMap want = ReferenceExecutor(before).run(inputs);
  const TensorMap got = ReferenceExecutor(after).run(inputs);
  for (const auto& [name, tensor] : want) {
    const testing::Comparison c = testing::compare_tensors(got.at(name), tensor, {1e-4, 1e-4});
    EXPECT_TRUE(c.match) << name << ": " << c.reason;
  }
}

TEST(CrossLayerEqualizationTest, PairRangesMeetAtTheGeometricMean) {
  NetBuilder b(3);
  Value* x = b.input("x", {1, 3, 6, 6});
  b.graph().add_output(b.conv("c2", b.relu("r", b.conv("c1", x, 3, 4, 3)), 4, 5, 3));
  unbalance(b.graph(), "c1", {0.01f, 1.0f, 20.0f, 0.5f});
  infer_shapes(b.graph());
  Graph g = clone_graph(b.graph());
  const std::vector<double> r1 = output_ranges(*g.find_node("c1")), r2 = input_ranges(*g.find_node("c2"));
  EXPECT_EQ(equalize_cross_layer(g), 1);
  infer_shapes(g);
  expect_same_outputs(b.graph(), g);
  const std::vector<double> e1 = output_ranges(*g.find_node("c1")), e2 = input_ranges(*g.find_node("c2"));
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(e1[c] * e2[c], r1[c] * r2[c], 1e-5 * r1[c] * r2[c]) << c;
    EXPECT_NEAR(e1[c], std::sqrt(r1[c] * r2[c]), 1e-5 * e1[c]) << c;
    EXPECT_NEAR(e2[c], e1[c], 1e-5 * e1[c]) << c;
  }
}

TEST(CrossLayerEqualizationTest, ChainThroughDepthwiseConverges) {
  NetBuilder b(4);
  Value* x = b.input("x", {1, 3, 6, 6});
  Value* v = b.relu("r1", b.conv("c1", x, 3, 4, 3));
  v = b.relu("r2", b.conv("dw", v, 4, 4, 3, 1, 4));
  b.graph().add_output(b.conv("c3", v, 4, 2, 1));
  // Unbalanced within what equalization may correct (a total scale of at most 16 per channel).
  unbalance(b.graph(), "c1", {0.1f, 1.0f, 10.0f, 0.5f});
  unbalance(b.graph(), "dw", {3.0f, 0.1f, 1.0f, 7.0f});
  infer_shapes(b.graph());
  Graph g = clone_graph(b.graph());
  const std::vector<double> r1 = output_ranges(*g.find_node("c1")), r2 = output_ranges(*g.find_node("dw")),
                            r3 = input_ranges(*g.find_node("c3"));
  EXPECT_EQ(equalize_cross_layer(g), 2);
  infer_shapes(g);
  expect_same_outputs(b.graph(), g);
  const std::vector<double> e1 = output_ranges(*g.find_node("c1")), e2 = output_ranges(*g.find_node("dw")),
                            e3 = input_ranges(*g.find_node("c3"));
  for (size_t c = 0; c < 4; ++c) {
    const double target = std::cbrt(r1[c] * r2[c] * r3[c]);
    EXPECT_NEAR(e1[c], target, 1e-3 * target) << c;
    EXPECT_NEAR(e2[c], target, 1e-3 * target) << c;
    EXPECT_NEAR(e3[c], target, 1e-3 * target) << c;
  }
}

TEST(CrossLayerEqualizationTest, Relu6AndSharedOutputsAreNotEqualized) {
  NetBuilder b(5);
  Value* x = b.input("x", {1, 3, 6, 6});
  // ReLU6 does not commute with scaling.
  Value* v = b.conv("c2", b.relu6("r6", b.conv("c1", x, 3, 4, 3)), 4, 4, 3);
  // c2's output is read twice (by c3 and a graph output).
  b.graph().add_output(v);
  b.graph().add_output(b.conv("c3", v, 4, 2, 1));
  infer_shapes(b.graph());
  Graph g = clone_graph(b.graph());
  EXPECT_EQ(equalize_cross_layer(g), 0);
  EXPECT_EQ(g.find_node("c1")->input(1)->name(), "c1.weight");
  EXPECT_EQ(g.find_node("c2")->input(1)->name(), "c2.weight");
}

// A channel with (almost) no weights but a bias outputs a constant; equalizing it fully (s = sqrt(r1 / r2) ->
// 0) would divide that bias by s and make the constant dwarf every other channel of the activation range (the
// MLPerf Tiny VWW MobileNet's int8 model gave the same output for every image). Its total scale stays
// within 16.
TEST(CrossLayerEqualizationTest, NearlyDeadChannelScaleIsBounded) {
  NetBuilder b(6);
  Value* x = b.input("x", {1, 3, 6, 6});
  b.graph().add_output(b.conv("c2", b.relu("r", b.conv("c1", x, 3, 4, 3)), 4, 5, 3));
  unbalance(b.graph(), "c1", {1e-5f, 1.0f, 1.0f, 1.0f});
  Node* c1 = b.graph().find_node("c1");
  Tensor bias = c1->input(2)->constant().clone();
  bias.data<float>()[0] = 0.5f;
  b.graph().set_input(c1, 2, b.graph().add_constant("c1.live_bias", bias));
  infer_shapes(b.graph());
  Graph g = clone_graph(b.graph());
  EXPECT_EQ(equalize_cross_layer(g), 1);
  infer_shapes(g);
  expect_same_outputs(b.graph(), g);
  const float equalized_bias = g.find_node("c1")->input(2)->constant().data<float>()[0];
  EXPECT_GT(equalized_bias, 0.5f);            // scaled up, as far as allowed
  EXPECT_LE(equalized_bias, 0.5f * 16.001f);  // and no further
}

}  // namespace
}  // namespace octet::quantization
