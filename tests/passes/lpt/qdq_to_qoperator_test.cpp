// qdq_to_qoperator (through the whole low-precision pass sequence): ONNX Runtime style QDQ graphs (u8
// asymmetric activations, s8 symmetric per-channel weights, f32 or DQ(i32) biases) become QOperator nodes,
// and the reference executor's outputs stay within one output quantization step of the QDQ graph.
#include <gtest/gtest.h>

#include "passes/lpt/qdq_weights.h"
#include "tests/passes/lpt/lpt_test_graphs.h"

namespace octet {
namespace {

using test::count_op;
using test::op_types;

constexpr float kXScale = 2.0f / 255.0f;  // inputs in [-1, 1)
constexpr float kYScale = 0.1f;           // outputs in [-12.8, 12.7]

Value* quantized_input(Graph& g, const std::string& name, Shape shape) {
  return test::add_qdq(g, name + "_in", g.add_input(name, ElementType::kF32, std::move(shape)), kXScale,
                       uint8_t{128});
}

void output(Graph& g, const std::string& name, Value* y) {
  g.add_output(test::add_qdq(g, name, y, kYScale, uint8_t{128}));
}

void expect_within_one_step(const Graph& original, const Graph& g) {
  test::expect_same_outputs(original, g, test::random_inputs(original, 21), {kYScale * 1.01, 0});
}

TEST(QdqToQOperatorTest, ConvolutionsBecomeQLinearConv) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = quantized_input(g, "x", Shape{1, 3, 6, 6});
    Value* w = test::add_qdq_weights(g, "w", test::random_f32({4, 3, 3, 3}, 1), 0);
    Value* b = g.add_constant("b", test::random_f32({4}, 2));
    Value* c =
        g.add_node("Conv", "conv", {x, w, b}, {"c"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}})->output(0);
    output(g, "conv_q", c);
    // Depthwise, its bias as a separate Add of a [1, C, 1, 1] constant (OpenVINO's form).
    Value* x2 = quantized_input(g, "x2", Shape{1, 4, 5, 5});
    Value* w2 = test::add_qdq_weights(g, "w2", test::random_f32({4, 1, 3, 3}, 3), 0);
    Value* dw = g.add_node("Conv", "dw", {x2, w2}, {"dw_out"}, {{"group", int64_t{4}}})->output(0);
    Value* bias = g.add_constant("dw_bias", test::random_f32({1, 4, 1, 1}, 4));
    output(g, "dw_q", g.add_node("Add", "dw_add", {dw, bias}, {"dw_biased"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  const PassContext context = test::run_lpt(g);
  EXPECT_EQ(count_op(g, "QLinearConv"), 2u);
  EXPECT_EQ(count_op(g, "Conv"), 0u);
  EXPECT_EQ(count_op(g, "Add"), 0u);
  EXPECT_EQ(g.find_node("conv")->op_type(), "QLinearConv");
  EXPECT_EQ(g.find_node("conv")->input_count(), 9u);  // with the i32 bias
  EXPECT_EQ(g.find_node("conv")->input(8)->type(), ElementType::kI32);
  EXPECT_EQ(context.absorbed().at("dw_add"), "dw");
  EXPECT_EQ(context.absorbed().at("dw_q_q"), "dw");
  expect_within_one_step(original, g);
}

// A convolution whose result is a graph output (a detection head, a segmentation model's last layer) keeps
// its int8 inputs: QLinearConv's f32 form, with the bias Add absorbed. Oracle: the QDQ graph's fp32 ops; the
// outputs differ by float rounding and the bias's rounding to x_scale * w_scale steps.
TEST(QdqToQOperatorTest, ConvolutionsWhoseResultIsNotQuantizedGiveF32) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = quantized_input(g, "x", Shape{1, 8, 6, 6});
    Value* w = test::add_qdq_weights(g, "w", test::random_f32({5, 8, 3, 3}, 1), 0);
    Value* c =
        g.add_node("Conv", "head", {x, w}, {"c"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}})->output(0);
    Value* bias = g.add_constant("head_bias", test::random_f32({1, 5, 1, 1}, 2));
    g.add_output(g.add_node("Add", "head_add", {c, bias}, {"boxes"})->output(0));
    Value* w2 = test::add_qdq_weights(g, "w2", test::random_f32({3, 8, 1, 1}, 3), 0);
    Value* b2 = g.add_constant("b2", test::random_f32({3}, 4));
    g.add_output(g.add_node("Conv", "scores", {x, w2, b2}, {"scores_out"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  const PassContext context = test::run_lpt(g);
  EXPECT_EQ(count_op(g, "QLinearConv"), 2u);
  EXPECT_EQ(count_op(g, "Conv"), 0u);
  EXPECT_EQ(count_op(g, "Add"), 0u);
  EXPECT_EQ(count_op(g, "DequantizeLinear"), 0u);
  for (const char* name : {"head", "scores"}) {
    const Node* node = g.find_node(name);
    ASSERT_EQ(node->op_type(), "QLinearConv") << name;
    EXPECT_FALSE(node->has_input(6)) << name;
    EXPECT_FALSE(node->has_input(7)) << name;
    EXPECT_EQ(node->input(8)->type(), ElementType::kI32) << name;
    EXPECT_EQ(node->output(0)->type(), ElementType::kF32) << name;
  }
  EXPECT_EQ(context.absorbed().at("head_add"), "head");
  test::expect_same_outputs(original, g, test::random_inputs(original, 21), {1e-4, 1e-4});
}

// A BatchNorm between quantized tensors (DequantizeLinear -> Mul -> Add -> Relu -> QuantizeLinear, DenseNet's
// pre-activation, or a BatchNormalization node) becomes one QLinearScaleShift; a Mul whose constant varies
// along a spatial axis does not.
TEST(QdqToQOperatorTest, PerChannelMulAddBecomesQLinearScaleShift) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = quantized_input(g, "x", Shape{1, 6, 5, 5});
    Value* scale = g.add_constant("bn_scale", test::random_f32({1, 6, 1, 1}, 5));
    Value* shift = g.add_constant("bn_shift", test::random_f32({6, 1, 1}, 6));
    Value* scaled = g.add_node("Mul", "bn", {x, scale}, {"scaled"})->output(0);
    Value* shifted = g.add_node("Add", "bn_shift", {scaled, shift}, {"shifted"})->output(0);
    // u8 from 0: the Relu folds into the quantization (pass 3), as after DenseNet's BatchNorm.
    Value* relu = g.add_node("Relu", "relu", {shifted}, {"relu_out"})->output(0);
    g.add_output(test::add_qdq(g, "bn_q", relu, kYScale, uint8_t{0}));
    // A shift alone, read from the other side.
    Value* bias = g.add_constant("bias", test::random_f32({1, 6, 1, 1}, 7));
    output(g, "bias_q", g.add_node("Add", "bias_add", {bias, x}, {"biased"})->output(0));
    // A BatchNormalization node itself (the standalone-BatchNorm pass runs after these passes).
    std::vector<Value*> bn_inputs = {x};
    for (const char* p : {"gamma", "beta", "mean"})
      bn_inputs.push_back(g.add_constant(p, test::random_f32({6}, 9)));
    Tensor var = test::random_f32({6}, 10);
    for (float& v : var.values<float>()) v = std::abs(v) + 0.5f;
    bn_inputs.push_back(g.add_constant("var", std::move(var)));
    output(g, "norm_q", g.add_node("BatchNormalization", "norm", bn_inputs, {"normed"})->output(0));
    // Varies along the width: not a per-channel map.
    Value* ramp = g.add_constant("ramp", test::random_f32({1, 1, 1, 5}, 8));
    output(g, "ramp_q", g.add_node("Mul", "ramp_mul", {x, ramp}, {"ramped"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  const PassContext context = test::run_lpt(g);
  EXPECT_EQ(g.find_node("bn")->op_type(), "QLinearScaleShift");
  EXPECT_EQ(g.find_node("bias_add")->op_type(), "QLinearScaleShift");
  EXPECT_EQ(g.find_node("norm")->op_type(), "QLinearScaleShift");
  EXPECT_EQ(g.find_node("ramp_mul")->op_type(), "Mul");
  EXPECT_EQ(context.absorbed().at("bn_shift"), "bn");
  EXPECT_EQ(count_op(g, "Add"), 0u);
  expect_within_one_step(original, g);
}

TEST(QdqToQOperatorTest, FullyConnectedAndMatMul) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = quantized_input(g, "x", Shape{2, 8});
    // MatMul + Add(bias) -> QGemm.
    Value* w = test::add_qdq_weights(g, "w", test::random_f32({8, 4}, 1), 1);
    Value* m = g.add_node("MatMul", "fc", {x, w}, {"m"})->output(0);
    Value* b = g.add_constant("b", test::random_f32({4}, 2));
    output(g, "fc_q", g.add_node("Add", "fc_bias", {m, b}, {"fc_out"})->output(0));
    // Gemm with transB, alpha, beta -> QGemm.
    Value* wt = test::add_qdq_weights(g, "wt", test::random_f32({5, 8}, 3), 0);
    Value* c = g.add_constant("c", test::random_f32({5}, 4));
    output(g, "gemm_q",
           g.add_node("Gemm", "gemm", {x, wt, c}, {"gemm_out"},
                      {{"transB", int64_t{1}}, {"alpha", 0.5f}, {"beta", 2.0f}})
               ->output(0));
    // 3-d MatMul -> QLinearMatMul.
    Value* x3 = quantized_input(g, "x3", Shape{2, 3, 8});
    Value* w3 = test::add_qdq_weights(g, "w3", test::random_f32({8, 6}, 5), 1);
    output(g, "mm_q", g.add_node("MatMul", "mm", {x3, w3}, {"mm_out"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  const PassContext context = test::run_lpt(g);
  EXPECT_EQ(g.find_node("fc")->op_type(), "QGemm");
  EXPECT_EQ(g.find_node("gemm")->op_type(), "QGemm");
  EXPECT_EQ(g.find_node("mm")->op_type(), "QLinearMatMul");
  EXPECT_EQ(context.absorbed().at("fc_bias"), "fc");
  expect_within_one_step(original, g);
}

TEST(QdqToQOperatorTest, ElementwisePoolingConcatAndPrecisionPreservingOps) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* a = quantized_input(g, "a", Shape{1, 2, 4, 4});
    Value* b = quantized_input(g, "b", Shape{1, 2, 4, 4});
    output(g, "add_q", g.add_node("Add", "add", {a, b}, {"add_out"})->output(0));
    output(g, "mul_q", g.add_node("Mul", "mul", {a, b}, {"mul_out"})->output(0));
    output(g, "cat_q", g.add_node("Concat", "cat", {a, b}, {"cat_out"}, {{"axis", int64_t{1}}})->output(0));
    output(g, "gap_q", g.add_node("GlobalAveragePool", "gap", {a}, {"gap_out"})->output(0));
    output(
        g, "avg_q",
        g.add_node("AveragePool", "avg", {a}, {"avg_out"},
                   {{"kernel_shape", std::vector<int64_t>{2, 2}}, {"pads", std::vector<int64_t>{1, 1, 1, 1}}})
            ->output(0));
    Value* axes = g.add_constant("axes", Tensor::from_vector<int64_t>({2}, std::vector<int64_t>{2, 3}));
    output(g, "mean_q", g.add_node("ReduceMean", "mean", {b, axes}, {"mean_out"})->output(0));
    // MaxPool then Transpose, quantized afterwards with the input's own parameters: run on u8.
    Value* p =
        g.add_node("MaxPool", "pool", {a}, {"pool_out"}, {{"kernel_shape", std::vector<int64_t>{2, 2}}})
            ->output(0);
    Value* t = g.add_node("Transpose", "tr", {p}, {"tr_out"}, {{"perm", std::vector<int64_t>{0, 2, 3, 1}}})
                   ->output(0);
    g.add_output(test::add_qdq(g, "tr_q", t, kXScale, uint8_t{128}));
    return g;
  });
  auto& [original, g] = graphs;
  test::run_lpt(g);
  EXPECT_EQ(g.find_node("add")->op_type(), "QLinearAdd");
  EXPECT_EQ(g.find_node("mul")->op_type(), "QLinearMul");
  EXPECT_EQ(g.find_node("cat")->op_type(), "QLinearConcat");
  EXPECT_EQ(g.find_node("gap")->op_type(), "QLinearGlobalAveragePool");
  EXPECT_EQ(g.find_node("avg")->op_type(), "QLinearAveragePool");
  EXPECT_EQ(g.find_node("mean")->op_type(), "QLinearGlobalAveragePool");
  EXPECT_EQ(g.find_node("pool")->input(0)->type(), ElementType::kU8);
  EXPECT_EQ(g.find_node("tr")->output(0)->type(), ElementType::kU8);
  // Only the two input Qs (shared by every unit) and one DQ per output are left.
  EXPECT_EQ(count_op(g, "QuantizeLinear"), 2u);
  EXPECT_EQ(count_op(g, "DequantizeLinear"), 7u);
  expect_within_one_step(original, g);
}

TEST(QdqToQOperatorTest, FloatWeightsOnAnInt8GridAreRecovered) {
  // OpenVINO's compressed weights arrive folded: (q - zp) * scale with zp ~ 7.6e-6 (f16 rounding of 0).
  Tensor w(ElementType::kF32, {3, 2, 1, 1});
  const float scales[3] = {0.013f, 0.5f, 0.0021f};
  const int q[6] = {127, -5, 3, -127, 0, 64};
  for (int i = 0; i < 6; ++i) w.data<float>()[i] = (static_cast<float>(q[i]) - 7.6e-6f) * scales[i / 2];
  const auto grid = lpt::weights_on_int8_grid(w, 0);
  ASSERT_TRUE(grid);
  EXPECT_EQ(std::vector<int8_t>(grid->first.values<int8_t>().begin(), grid->first.values<int8_t>().end()),
            (std::vector<int8_t>{127, -5, 3, -127, 0, 127}));  // channel 2: step 64 * 0.0021 / 127
  EXPECT_NEAR(grid->second.scales[1], 0.5f, 1e-6);
  // Random weights are on no grid: the convolution stays fp32.
  EXPECT_FALSE(lpt::weights_on_int8_grid(test::random_f32({4, 3, 3, 3}, 9), 0));

  auto graphs = test::build_twice([&] {
    Graph g;
    Value* x = quantized_input(g, "x", Shape{1, 2, 3, 3});
    Value* c = g.add_node("Conv", "conv", {x, g.add_constant("w", w)}, {"c"})->output(0);
    output(g, "conv_q", c);
    Value* c2 =
        g.add_node("Conv", "float_conv", {x, g.add_constant("w2", test::random_f32({3, 2, 1, 1}, 4))}, {"c2"})
            ->output(0);
    output(g, "conv2_q", c2);
    return g;
  });
  auto& [original, g] = graphs;
  test::run_lpt(g);
  EXPECT_EQ(g.find_node("conv")->op_type(), "QLinearConv");
  EXPECT_EQ(g.find_node("float_conv")->op_type(), "Conv");
  expect_within_one_step(original, g);
}

TEST(RemoveRedundantQdqTest, DequantizeThenQuantizeWithTheSameParametersCollapses) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = quantized_input(g, "x", Shape{1, 4});
    Value* q = test::add_q(g, "requantize", x, kXScale, uint8_t{128});
    Value* q2 = test::add_q(g, "other", x, kXScale * 2, uint8_t{128});  // a real requantization: stays
    g.add_output(test::add_dq(g, "out", q, kXScale, g.add_constant("zp", Tensor::scalar<uint8_t>(128))));
    g.add_output(
        test::add_dq(g, "out2", q2, kXScale * 2, g.add_constant("zp2", Tensor::scalar<uint8_t>(128))));
    return g;
  });
  auto& [original, g] = graphs;
  PassContext context;
  context.dump_folder.clear();
  EXPECT_EQ(remove_redundant_qdq(g, context), 1u);
  infer_shapes(g);
  EXPECT_EQ(g.find_node("requantize"), nullptr);
  EXPECT_NE(g.find_node("other"), nullptr);
  test::expect_same_outputs(original, g, test::random_inputs(original), {0, 0});
}

TEST(RemoveRedundantQdqTest, WeightsOfUnitsLeftInFp32AreDequantizedOnce) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 4, 4});  // not quantized: the Conv stays fp32
    Value* w = test::add_qdq_weights(g, "w", test::random_f32({2, 3, 1, 1}, 6), 0);
    g.add_output(g.add_node("Conv", "conv", {x, w}, {"y"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  const PassContext context = test::run_lpt(g);
  EXPECT_EQ(test::op_types(g), (std::vector<std::string>{"Conv"}));
  EXPECT_TRUE(g.find_node("conv")->input(1)->is_constant());
  EXPECT_EQ(context.absorbed().at("w"), "");
  test::expect_same_outputs(original, g, test::random_inputs(original), {0, 0});
}

}  // namespace
}  // namespace octet
