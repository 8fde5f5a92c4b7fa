// The pipeline runs the low-precision passes only with PassContext::low_precision (inference precision
// kModel): an OpenVINO-style FakeQuantize block becomes QuantizeLinear -> QLinearConv -> DequantizeLinear
// (the MaxPool producing the graph output stays fp32),
// within one quantization step of the FakeQuantize graph; without the flag the FakeQuantizes stay.
#include <gtest/gtest.h>

#include "passes/pipeline.h"
#include "tests/passes/lpt/lpt_test_graphs.h"

namespace octet {
namespace {

Graph fake_quantized_block() {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 8, 8});
  Value* xq = test::add_fq(g, "fq_x", x, -1.0f, 1.0f * 127.0f / 128.0f);
  Value* w = test::add_weight_fq(g, "fq_w", test::random_f32({8, 3, 3, 3}, 3), 255);
  Value* c =
      g.add_node("Conv", "conv", {xq, w}, {"c"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}})->output(0);
  Value* b =
      g.add_node("Add", "conv_bias", {c, g.add_constant("b", test::random_f32({1, 8, 1, 1}, 4))}, {"cb"})
          ->output(0);
  Value* r = g.add_node("Relu", "relu", {b}, {"r"})->output(0);
  Value* y = test::add_fq(g, "fq_y", r, 0.0f, 5.1f);
  Value* p =
      g.add_node("MaxPool", "pool", {y}, {"p"},
                 {{"kernel_shape", std::vector<int64_t>{2, 2}}, {"strides", std::vector<int64_t>{2, 2}}})
          ->output(0);
  g.add_output(p);
  return g;
}

TEST(PipelineLowPrecisionTest, FakeQuantizeBlockBecomesQLinearConv) {
  auto [original, g] = test::build_twice(fake_quantized_block);
  PassContext context = test::lpt_context();
  run_cpu_graph_passes(g, context);
  EXPECT_EQ(test::op_types(g),
            (std::vector<std::string>{"QuantizeLinear", "QLinearConv", "DequantizeLinear", "MaxPool"}));
  // Relu went into the output quantization 'fq_y', which went into the convolution.
  EXPECT_EQ(context.absorbed().at("relu"), "conv");
  EXPECT_EQ(context.absorbed().at("conv_bias"), "conv");
  EXPECT_EQ(g.outputs()[0]->name(), "p");
  // One step of the output range: 5.1 / 255 = 0.02.
  test::expect_same_outputs(original, g, test::random_inputs(original, 8), {0.0201, 0});
  EXPECT_EQ(context.pass_counts.size(), cpu_graph_pass_names(true).size());
}

TEST(PipelineLowPrecisionTest, WithoutTheFlagFakeQuantizeStays) {
  auto [original, g] = test::build_twice(fake_quantized_block);
  PassContext context;
  context.dump_folder.clear();
  run_cpu_graph_passes(g, context);
  EXPECT_EQ(test::count_op(g, "FakeQuantize"), 3u);
  EXPECT_EQ(test::count_op(g, "QLinearConv"), 0u);
  test::expect_same_outputs(original, g, test::random_inputs(original, 8), {1e-5, 1e-5});
}

TEST(PipelineLowPrecisionTest, LowPrecisionPassesCanBeSwitchedOffByName) {
  auto [original, g] = test::build_twice(fake_quantized_block);
  PassContext context = test::lpt_context();
  context.disabled = {"qdq_to_qoperator"};
  run_cpu_graph_passes(g, context);
  EXPECT_EQ(test::count_op(g, "QLinearConv"), 0u);
  EXPECT_EQ(test::count_op(g, "FakeQuantize"), 0u);
  EXPECT_EQ(test::count_op(g, "Conv"), 1u);
}

}  // namespace
}  // namespace octet
