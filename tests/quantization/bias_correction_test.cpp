// Fast bias correction with hand arithmetic. Two output channels reading two input channels with means
// 2 and 4; weights (per output channel, levels 255, s_c = max|w_c| / 127):
//   channel 0 {1.0, 0.3}:  s = 1/127,   0.3 -> round(38.1) = 38  -> 38/127  = 0.3 - 0.1/127
//   channel 1 {-0.5, 0.2}: s = 0.5/127, 0.2 -> round(50.8) = 51  -> 25.5/127 = 0.2 + 0.1/127
// (the first weight of each is its channel's extreme and exact). The output mean shift is
// sum_i dW[o, i] * mean_i = dW[o, 1] * 4 = -0.4/127 and +0.4/127, so the corrected biases are
// b0 + 0.4/127 and b1 - 0.4/127, and on an input with exactly those channel means the quantized layer's
// output mean equals the fp32 one.
#include "quantization/bias_correction.h"

#include <gtest/gtest.h>

#include "graph/graph_clone.h"
#include "quantization/insert_fake_quantize.h"
#include "tests/quantization/quantization_test_graphs.h"

namespace octet::quantization {
namespace {

constexpr float kShift = 0.4f / 127.0f;
const std::vector<double> kMeans = {2.0, 4.0};

// Input [1, 2, 2, 2] whose channel c holds mean_c +- 1 (mean exactly mean_c).
TensorMap input_with_means() {
  const std::vector<float> x = {1, 3, 3, 1, 3, 5, 5, 3};
  return {{"x", Tensor::from_vector<float>({1, 2, 2, 2}, x)}};
}

Tensor conv_weights() {
  return Tensor::from_vector<float>({2, 2, 1, 1}, std::vector<float>{1.0f, 0.3f, -0.5f, 0.2f});
}

// x -> Conv 1x1 (bias {0.5, -0.25} or none) -> y.
Graph fp32_conv(bool with_bias) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, {1, 2, 2, 2});
  std::vector<Value*> inputs{x, g.add_constant("w", conv_weights())};
  if (with_bias)
    inputs.push_back(g.add_constant("b", Tensor::from_vector<float>({2}, std::vector<float>{0.5f, -0.25f})));
  g.add_output(
      g.add_node("Conv", "conv", inputs, {"y"}, {{"kernel_shape", std::vector<int64_t>{1, 1}}})->output(0));
  infer_shapes(g);
  return g;
}

// The same with the weights quantized.
Graph quantized_conv(bool with_bias) {
  Graph g = fp32_conv(with_bias);
  QuantizationPlan plan;
  plan.weights = {{"conv", 1, 0}};
  insert_fake_quantize(g, plan, {}, {});
  infer_shapes(g);
  return g;
}

std::vector<double> channel_means(const Tensor& y) {
  const int64_t channels = y.dims()[1], spatial = y.element_count() / channels;
  std::vector<double> means;
  for (int64_t c = 0; c < channels; ++c) {
    double sum = 0;
    for (int64_t i = 0; i < spatial; ++i) sum += y.data<float>()[c * spatial + i];
    means.push_back(sum / static_cast<double>(spatial));
  }
  return means;
}

TEST(BiasCorrectionTest, ConvBiasShiftedByTheWeightErrorTimesInputMean) {
  Graph g = quantized_conv(true);
  const Tensor before = ReferenceExecutor(g).run(input_with_means()).at("y");
  EXPECT_EQ(correct_biases(g, {{"conv", kMeans}}), 1);
  infer_shapes(g);
  const Tensor& bias = g.find_node("conv")->input(2)->constant();
  EXPECT_NEAR(bias.data<float>()[0], 0.5f + kShift, 1e-6f);
  EXPECT_NEAR(bias.data<float>()[1], -0.25f - kShift, 1e-6f);
  // fp32 output means by hand: b + w . mean = 0.5 + 2 + 1.2 = 3.7 and -0.25 - 1 + 0.8 = -0.45.
  const std::vector<double> after = channel_means(ReferenceExecutor(g).run(input_with_means()).at("y"));
  EXPECT_NEAR(after[0], 3.7, 1e-5);
  EXPECT_NEAR(after[1], -0.45, 1e-5);
  // ... which the uncorrected quantized layer missed by the shift.
  const std::vector<double> uncorrected = channel_means(before);
  EXPECT_NEAR(uncorrected[0], 3.7 - kShift, 1e-5);
  EXPECT_NEAR(uncorrected[1], -0.45 + kShift, 1e-5);
}

TEST(BiasCorrectionTest, ConvWithoutBiasGetsOneAndMeansFoundByTensorName) {
  Graph g = quantized_conv(false);
  EXPECT_EQ(correct_biases(g, {{"x", kMeans}}), 1);
  infer_shapes(g);
  ASSERT_TRUE(g.find_node("conv")->has_input(2));
  const Tensor& bias = g.find_node("conv")->input(2)->constant();
  EXPECT_NEAR(bias.data<float>()[0], kShift, 1e-6f);
  EXPECT_NEAR(bias.data<float>()[1], -kShift, 1e-6f);
  const std::vector<double> after = channel_means(ReferenceExecutor(g).run(input_with_means()).at("y"));
  EXPECT_NEAR(after[0], 3.2, 1e-5);
  EXPECT_NEAR(after[1], -0.2, 1e-5);
}

TEST(BiasCorrectionTest, LayersWithoutMeansOrQuantizedWeightsAreLeftAlone) {
  Graph g = quantized_conv(true);
  EXPECT_EQ(correct_biases(g, {{"other", kMeans}}), 0);
  EXPECT_EQ(g.find_node("conv")->input(2)->name(), "b");
  try {
    correct_biases(g, {{"conv", {1.0, 2.0, 3.0}}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
}

// A: [1, 2] (the mean vector itself, so the output is the output mean); the same weights as a fully
// connected layer: Gemm with transB (B = [N, K] = the conv weights), MatMul with B = [K, N] (transposed).
TEST(BiasCorrectionTest, GemmAndMatMul) {
  const Tensor a = Tensor::from_vector<float>({1, 2}, std::vector<float>{2.0f, 4.0f});
  for (const std::string type : {"Gemm", "GemmNoBias", "MatMul", "MatMulAdd"}) {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, {1, 2});
    const bool gemm = type.starts_with("Gemm");
    Tensor b = gemm ? Tensor::from_vector<float>({2, 2}, std::vector<float>{1.0f, 0.3f, -0.5f, 0.2f})
                    : Tensor::from_vector<float>({2, 2}, std::vector<float>{1.0f, -0.5f, 0.3f, 0.2f});
    std::vector<Value*> inputs{x, g.add_constant("w", b)};
    const Tensor bias = Tensor::from_vector<float>({2}, std::vector<float>{0.5f, -0.25f});
    if (type == "Gemm") inputs.push_back(g.add_constant("b", bias));
    Node* fc = gemm ? g.add_node("Gemm", "fc", inputs, {"fc_out"}, {{"transB", int64_t{1}}, {"alpha", 2.0f}})
                    : g.add_node("MatMul", "fc", inputs, {"fc_out"});
    Value* out = fc->output(0);
    if (type == "MatMulAdd")
      out = g.add_node("Add", "bias", {out, g.add_constant("b", bias)}, {"y"})->output(0);
    g.add_output(out);
    infer_shapes(g);
    const std::string out_name = out->name();
    const Tensor fp32 = ReferenceExecutor(g).run({{"x", a}}).at(out_name);
    const Graph original = clone_graph(g);
    QuantizationPlan plan;
    plan.weights = {{"fc", 1, gemm ? 0 : 1}};
    insert_fake_quantize(g, plan, {}, {});
    infer_shapes(g);
    EXPECT_EQ(correct_biases(g, {{"fc", kMeans}}), 1) << type;
    infer_shapes(g);
    const Tensor corrected = ReferenceExecutor(g).run({{"x", a}}).at(out_name);
    // Gemm's alpha 2 doubles the shift, and the corrected bias undoes it.
    for (int64_t n = 0; n < 2; ++n)
      EXPECT_NEAR(corrected.data<float>()[n], fp32.data<float>()[n], 1e-5f) << type << " column " << n;
    if (type == "MatMul") {
      EXPECT_EQ(g.outputs()[0]->producer()->op_type(), "Add");
    }
    // Reverting the layer (accuracy control) gives back the fp32 layer: no FakeQuantize, its own bias.
    revert_layer_to_fp32(g, "fc");
    restore_fp32_bias(g, original, "fc");
    EXPECT_EQ(g.node_count(), original.node_count()) << type;
    EXPECT_EQ(g.outputs()[0]->name(), out_name) << type;
    const Tensor reverted = ReferenceExecutor(g).run({{"x", a}}).at(out_name);
    for (int64_t n = 0; n < 2; ++n)
      EXPECT_EQ(reverted.data<float>()[n], fp32.data<float>()[n]) << type << " column " << n;
  }
}

// Accuracy control reverts a layer with revert_layer_to_fp32 + restore_fp32_bias: the layer must then compute
// exactly what the fp32 model does, whether the correction changed its bias or gave it one.
TEST(BiasCorrectionTest, RestoreFp32BiasUndoesTheCorrection) {
  for (const bool with_bias : {true, false}) {
    const Graph original = fp32_conv(with_bias);
    const Tensor fp32 = ReferenceExecutor(original).run(input_with_means()).at("y");
    Graph g = quantized_conv(with_bias);
    restore_fp32_bias(g, original, "conv");  // not corrected yet: left alone
    EXPECT_EQ(g.find_node("conv")->has_input(2), with_bias);
    ASSERT_EQ(correct_biases(g, {{"conv", kMeans}}), 1);
    revert_layer_to_fp32(g, "conv");
    restore_fp32_bias(g, original, "conv");
    EXPECT_EQ(g.find_node("conv")->has_input(2), with_bias);
    EXPECT_EQ(g.node_count(), original.node_count());
    const Tensor reverted = ReferenceExecutor(g).run(input_with_means()).at("y");
    ASSERT_EQ(reverted.element_count(), fp32.element_count());
    for (int64_t i = 0; i < fp32.element_count(); ++i)
      EXPECT_EQ(reverted.data<float>()[i], fp32.data<float>()[i]) << "bias " << with_bias << " at " << i;
  }
}

}  // namespace
}  // namespace octet::quantization
