// The oneDNN convolution kernel against the reference executor on random inputs: groups, depthwise, strides,
// dilations, auto_pad, asymmetric pads, 1-d and 3-d, bias or not, odd channel counts, inputs straight from
// the graph (plain, reordered) or from another Conv (blocked); and the fused post-op chains [relu], [clip
// 0..6], [sum], [sum, relu], with the residual operand dying at the Conv (dst placed over it) or still needed
// later (copied into dst).
#include <gtest/gtest.h>

#include "cpu/cpu_compiler.h"
#include "tests/cpu/compute_kernel_test_support.h"
#include "tests/passes/pass_graph_builders.h"

namespace octet::test {
namespace {

struct ConvCase {
  std::string name;
  Dims x;
  Dims w;
  Attributes attributes;
  bool bias = true;
};

std::ostream& operator<<(std::ostream& os, const ConvCase& c) {
  return os << c.name;
}

// x -> [Conv with x's channel count, 3x3 "same", making a blocked layout ->] conv -> y.
Graph conv_graph(const ConvCase& c, bool blocked_input) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape(c.x));
  if (blocked_input) x = add_pointwise_conv(g, "producer", x, c.x[1], c.x[1], c.x.size() - 2, 11);
  Value* w = g.add_constant("w", random_f32(c.w, 3));
  Value* b = c.bias ? g.add_constant("b", random_f32({c.w[0]}, 4)) : nullptr;
  g.add_output(g.add_node("Conv", "conv", {x, w, b}, {"y"}, c.attributes)->output(0));
  return g;
}

class ConvolutionKernelTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvolutionKernelTest, MatchesReference) {
  for (const bool blocked : {false, true}) {
    SCOPED_TRACE(blocked ? "input from a Conv" : "input from the graph");
    Graph g = conv_graph(GetParam(), blocked);
    const CompiledRun run = expect_matches_reference(g);
    EXPECT_TRUE(ran_on_onednn(run, "conv")) << exec_type_of(run, "conv");
  }
}

const ConvCase kConvCases[] = {
    {"k3_pads1", {1, 8, 10, 10}, {16, 8, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}})},
    {"no_bias", {1, 8, 10, 10}, {16, 8, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), false},
    {"odd_output_channels", {1, 8, 9, 9}, {13, 8, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}})},
    {"odd_input_channels", {2, 5, 9, 9}, {8, 5, 3, 3}, attrs({})},
    {"stem_3_channels_stride2",
     {1, 3, 17, 17},
     {8, 3, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}})},
    {"pointwise", {1, 16, 7, 7}, {24, 16, 1, 1}, attrs({})},
    {"group2", {1, 8, 9, 9}, {12, 4, 3, 3}, attrs({{"group", int64_t{2}}, {"pads", ints({1, 1, 1, 1})}})},
    {"group4_odd", {1, 12, 8, 8}, {20, 3, 3, 3}, attrs({{"group", int64_t{4}}})},
    {"depthwise_stride2",
     {1, 16, 9, 9},
     {16, 1, 3, 3},
     attrs({{"group", int64_t{16}}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}})},
    {"depthwise_odd",
     {1, 12, 7, 7},
     {12, 1, 3, 3},
     attrs({{"group", int64_t{12}}, {"pads", ints({1, 1, 1, 1})}})},
    {"depthwise_multiplier2", {1, 8, 7, 7}, {16, 1, 3, 3}, attrs({{"group", int64_t{8}}})},
    {"strides_asymmetric_pads",
     {1, 8, 11, 10},
     {8, 8, 3, 2},
     attrs({{"strides", ints({2, 3})}, {"pads", ints({0, 1, 2, 0})}})},
    {"dilations",
     {1, 8, 12, 12},
     {8, 8, 3, 3},
     attrs({{"dilations", ints({2, 3})}, {"pads", ints({2, 3, 2, 3})}})},
    // 10 wide, kernel 3, stride 2: output 5 needs 1 pad in total, at the end (upper) or the start (lower).
    {"same_upper",
     {1, 8, 10, 10},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"auto_pad", std::string("SAME_UPPER")}})},
    {"same_lower",
     {1, 8, 10, 10},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"auto_pad", std::string("SAME_LOWER")}})},
    {"valid",
     {1, 8, 10, 11},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"auto_pad", std::string("VALID")}})},
    {"conv1d", {1, 8, 20}, {16, 8, 5}, attrs({{"strides", ints({2})}, {"pads", ints({2, 1})}})},
    {"conv1d_grouped", {1, 8, 15}, {8, 2, 3}, attrs({{"group", int64_t{4}}, {"dilations", ints({2})}})},
    {"conv3d", {1, 8, 5, 6, 7}, {8, 8, 3, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1, 1, 1})}})},
    {"conv3d_strided_no_bias",
     {1, 4, 6, 6, 6},
     {8, 4, 2, 3, 3},
     attrs({{"strides", ints({2, 2, 1})}, {"pads", ints({0, 1, 0, 1, 0, 1})}}),
     false},
};

INSTANTIATE_TEST_SUITE_P(Forms, ConvolutionKernelTest, ::testing::ValuesIn(kConvCases),
                         [](const ::testing::TestParamInfo<ConvCase>& case_info) {
                           return case_info.param.name;
                         });

// Post-op chains: x -> producer -> mid -> conv -> chain (3x3 convs, 8 channels, blocked layout); residual
// operands are producer (read by mid before) or a graph input.
class ConvolutionPostOpsTest : public ::testing::Test {
 protected:
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 8, 9, 9});
  Value* producer = small_conv("producer", x, 21);
  Value* mid = small_conv("mid", producer, 25);
  Value* conv = small_conv("conv", mid, 22);

  // 3x3 "same" conv, 8 -> 8 channels, weights small enough that chains of them keep values near 1 (so that
  // float rounding stays far below the tolerance).
  Value* small_conv(const std::string& name, Value* input, uint32_t seed) {
    Value* w = g.add_constant(name + ".w", random_f32({8, 8, 3, 3}, seed, -0.15f, 0.15f));
    Value* b = g.add_constant(name + ".b", random_f32({8}, seed + 1));
    return g.add_node("Conv", name, {input, w, b}, {name + "_out"}, {{"pads", ints({1, 1, 1, 1})}})
        ->output(0);
  }

  Value* add(const std::string& op, std::vector<Value*> inputs) {
    return g.add_node(op, op, std::move(inputs), {op + "_out"})->output(0);
  }
  // Every node in `fused` must have been absorbed by the conv (no step of its own).
  void expect_fused(const CompiledRun& run, std::initializer_list<const char*> fused) {
    EXPECT_TRUE(ran_on_onednn(run, "conv")) << exec_type_of(run, "conv");
    for (const char* name : fused) EXPECT_EQ(exec_type_of(run, name), "") << name << " was not fused";
  }
};

TEST_F(ConvolutionPostOpsTest, Relu) {
  g.add_output(add("Relu", {conv}));
  expect_fused(expect_matches_reference(g), {"Relu"});
}

TEST_F(ConvolutionPostOpsTest, ClipZeroToSix) {
  Value* low = g.add_constant("low", Tensor::scalar(0.0f));
  Value* high = g.add_constant("high", Tensor::scalar(6.0f));
  // One more conv: values grow layer by layer, so that some pass 6.
  Value* big = add_conv(g, "big", conv, 8, 8, 1, false, 23);
  g.add_output(g.add_node("Clip", "Clip", {big, low, high}, {"clipped"})->output(0));
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_onednn(run, "big")) << exec_type_of(run, "big");
  EXPECT_EQ(exec_type_of(run, "Clip"), "");
}

TEST_F(ConvolutionPostOpsTest, SumOfAGraphInput) {
  Value* skip = g.add_input("skip", ElementType::kF32, Shape{1, 8, 9, 9});
  g.add_output(add("Add", {conv, skip}));
  expect_fused(expect_matches_reference(g), {"Add"});
}

TEST_F(ConvolutionPostOpsTest, SumThenRelu) {
  g.add_output(add("Relu", {add("Add", {producer, conv})}));
  expect_fused(expect_matches_reference(g), {"Add", "Relu"});
}

// The plan's step for `name` writes over its sum operand's memory.
bool sum_in_place(const Graph& graph, const std::string& name) {
  Graph copy = clone_graph(graph);
  infer_shapes(copy);
  const auto plan = cpu::compile_for_cpu(copy, {});
  for (const cpu::PlanStep& step : plan->steps) {
    if (step.name != name) continue;
    const cpu::PlanBuffer& dst = plan->buffers[static_cast<size_t>(step.outputs.at(0))];
    const cpu::PlanBuffer& operand = plan->buffers[static_cast<size_t>(step.inputs.at(1))];
    return dst.kind == cpu::PlanBuffer::Kind::kArena && operand.kind == cpu::PlanBuffer::Kind::kArena &&
           dst.offset == operand.offset;
  }
  ADD_FAILURE() << "no step " << name;
  return false;
}

TEST_F(ConvolutionPostOpsTest, SumOperandDyingAtTheConvIsOverwrittenInPlace) {
  // After mid, producer is read by the fused Add only: its memory becomes conv's output.
  Value* relu = add("Relu", {add("Add", {conv, producer})});
  g.add_output(small_conv("tail", relu, 24));
  expect_fused(expect_matches_reference(g), {"Add", "Relu"});
  EXPECT_TRUE(sum_in_place(g, "conv"));
}

TEST_F(ConvolutionPostOpsTest, SumOperandStillNeededLaterIsCopied) {
  // producer is read again after the conv (by Mul): the conv copies it into its own output first.
  Value* sum = add("Add", {conv, producer});
  g.add_output(add("Mul", {small_conv("tail", sum, 24), producer}));
  expect_fused(expect_matches_reference(g), {"Add"});
  EXPECT_FALSE(sum_in_place(g, "conv"));
}

TEST_F(ConvolutionPostOpsTest, SumOperandThatIsAlsoTheConvInputIsCopied) {
  // y = Conv(mid) + mid: writing y over mid would clobber the conv's own input.
  Value* again = small_conv("again", mid, 26);
  g.add_output(add("Relu", {add("Add", {again, mid})}));
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_onednn(run, "again")) << exec_type_of(run, "again");
  EXPECT_EQ(exec_type_of(run, "Add"), "");
  EXPECT_FALSE(sum_in_place(g, "again"));
}

TEST(ConvolutionKernelRejectTest, RuntimeWeightsRunOnTheReference) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 6, 6});
  Value* w = g.add_input("w", ElementType::kF32, Shape{8, 4, 3, 3});
  g.add_output(g.add_node("Conv", "conv", {x, w}, {"y"})->output(0));
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_reference(run, "conv")) << exec_type_of(run, "conv");
}

}  // namespace
}  // namespace octet::test
