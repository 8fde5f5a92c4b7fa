// The oneDNN deconvolution kernel (ConvTranspose) against the reference executor on random inputs: groups,
// strides, dilations, explicit / asymmetric pads, output_padding, output_shape, auto_pad, 1-d and 3-d, bias
// or not, odd channel counts, inputs from the graph (plain) or from a Conv (blocked), and fused post-ops.
#include <gtest/gtest.h>

#include "tests/cpu/compute_kernel_test_support.h"
#include "tests/passes/pass_graph_builders.h"

namespace octet::test {
namespace {

struct DeconvCase {
  std::string name;
  Dims x;
  Dims w;  // ONNX layout [C, M / group, k...]
  Attributes attributes;
  bool bias = true;
  bool on_onednn = true;
};

std::ostream& operator<<(std::ostream& os, const DeconvCase& c) {
  return os << c.name;
}

Graph deconv_graph(const DeconvCase& c, bool blocked_input) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape(c.x));
  if (blocked_input) x = add_pointwise_conv(g, "producer", x, c.x[1], c.x[1], c.x.size() - 2, 11);
  Value* w = g.add_constant("w", random_f32(c.w, 3));
  const int64_t group = c.attributes.count("group") ? std::get<int64_t>(c.attributes.at("group")) : 1;
  Value* b = c.bias ? g.add_constant("b", random_f32({c.w[1] * group}, 4)) : nullptr;
  g.add_output(g.add_node("ConvTranspose", "deconv", {x, w, b}, {"y"}, c.attributes)->output(0));
  return g;
}

class DeconvolutionKernelTest : public ::testing::TestWithParam<DeconvCase> {};

TEST_P(DeconvolutionKernelTest, MatchesReference) {
  const DeconvCase& c = GetParam();
  for (const bool blocked : {false, true}) {
    SCOPED_TRACE(blocked ? "input from a Conv" : "input from the graph");
    Graph g = deconv_graph(c, blocked);
    const CompiledRun run = expect_matches_reference(g);
    if (c.on_onednn) {
      EXPECT_TRUE(ran_on_onednn(run, "deconv")) << exec_type_of(run, "deconv");
    } else {
      EXPECT_TRUE(ran_on_reference(run, "deconv")) << exec_type_of(run, "deconv");
    }
  }
}

const DeconvCase kDeconvCases[] = {
    {"stride2", {1, 8, 5, 5}, {8, 16, 3, 3}, attrs({{"strides", ints({2, 2})}})},
    {"no_bias", {1, 8, 5, 5}, {8, 16, 3, 3}, attrs({{"strides", ints({2, 2})}}), false},
    {"stride1_pads1", {1, 8, 6, 6}, {8, 8, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}})},
    {"odd_channels",
     {1, 5, 6, 7},
     {5, 13, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}})},
    {"kernel4_stride2_pads1",
     {2, 16, 4, 4},
     {16, 8, 4, 4},
     attrs({{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}})},
    {"asymmetric_pads",
     {1, 8, 5, 6},
     {8, 8, 3, 2},
     attrs({{"strides", ints({2, 3})}, {"pads", ints({0, 1, 2, 0})}})},
    {"output_padding",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}, {"output_padding", ints({1, 0})}})},
    // output_padding larger than the end pad: oneDNN sees a negative right padding.
    {"output_padding_past_pads",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"strides", ints({3, 3})}, {"output_padding", ints({2, 1})}})},
    {"dilations",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"dilations", ints({2, 2})}, {"strides", ints({2, 1})}})},
    {"group2", {1, 8, 5, 5}, {8, 6, 3, 3}, attrs({{"group", int64_t{2}}, {"strides", ints({2, 2})}})},
    {"depthwise",
     {1, 16, 5, 5},
     {16, 1, 4, 4},
     attrs({{"group", int64_t{16}}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}})},
    // output_shape 11x10 from 5x5, stride 2, kernel 3: full size 11x11, the extra column cropped by pads.
    {"output_shape",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"output_shape", ints({11, 10})}})},
    {"same_upper",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"auto_pad", std::string("SAME_UPPER")}})},
    {"same_lower",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"auto_pad", std::string("SAME_LOWER")}})},
    {"deconv1d", {1, 8, 9}, {8, 4, 5}, attrs({{"strides", ints({3})}, {"pads", ints({1, 2})}})},
    {"deconv1d_grouped", {1, 8, 9}, {8, 3, 3}, attrs({{"group", int64_t{4}}, {"strides", ints({2})}})},
    {"deconv3d",
     {1, 8, 3, 4, 3},
     {8, 8, 2, 3, 3},
     attrs({{"strides", ints({2, 2, 2})}, {"pads", ints({0, 1, 1, 0, 1, 1})}})},
    {"deconv3d_grouped",
     {1, 8, 3, 3, 3},
     {8, 2, 2, 2, 2},
     attrs({{"strides", ints({2, 2, 2})}, {"group", int64_t{2}}})},
    // output_shape beyond the full result (11 -> 13): ONNX pads the output with zeros (negative begin pads),
    // oneDNN cannot: the reference runs it.
    {"output_shape_larger_than_full",
     {1, 8, 5, 5},
     {8, 8, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"output_shape", ints({13, 13})}}),
     true,
     false},
};

INSTANTIATE_TEST_SUITE_P(Forms, DeconvolutionKernelTest, ::testing::ValuesIn(kDeconvCases),
                         [](const ::testing::TestParamInfo<DeconvCase>& case_info) {
                           return case_info.param.name;
                         });

// x -> producer conv -> deconv (stride 2, kernel 3: 5x5 -> 11x11) -> [Add(skip) ->] Relu.
Graph deconv_post_op_graph(bool with_sum) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 8, 5, 5});
  Value* producer = add_conv(g, "producer", x, 8, 8, 1, true, 31);
  Value* y = add_conv_transpose(g, "deconv", producer, 8, 8, 1, true, 32);
  if (with_sum) {
    Value* skip = g.add_input("skip", ElementType::kF32, Shape{1, 8, 11, 11});
    y = g.add_node("Add", "add", {y, skip}, {"sum"})->output(0);
  }
  g.add_output(g.add_node("Relu", "relu", {y}, {"out"})->output(0));
  return g;
}

TEST(DeconvolutionPostOpsTest, ReluIsFused) {
  Graph g = deconv_post_op_graph(false);
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_onednn(run, "deconv")) << exec_type_of(run, "deconv");
  EXPECT_EQ(exec_type_of(run, "relu"), "");
}

TEST(DeconvolutionPostOpsTest, SumAndReluAreFused) {
  Graph g = deconv_post_op_graph(true);
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_onednn(run, "deconv")) << exec_type_of(run, "deconv");
  EXPECT_EQ(exec_type_of(run, "add"), "");
  EXPECT_EQ(exec_type_of(run, "relu"), "");
}

}  // namespace
}  // namespace octet::test
