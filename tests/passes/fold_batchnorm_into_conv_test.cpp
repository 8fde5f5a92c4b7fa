#include "passes/generic/fold_batchnorm_into_conv.h"

#include <gtest/gtest.h>

#include "tests/passes/pass_graph_builders.h"
#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

struct ConvCase {
  int64_t in, out, group;
  bool bias;
  bool transpose;
};

void PrintTo(const ConvCase& c, std::ostream* out) {
  *out << (c.transpose ? "ConvTranspose" : "Conv") << " in=" << c.in << " out=" << c.out
       << " group=" << c.group << (c.bias ? " with bias" : " without bias");
}

std::string case_name(const ::testing::TestParamInfo<ConvCase>& info) {
  const ConvCase& c = info.param;
  return std::string(c.transpose ? "ConvTranspose" : "Conv") + "_in" + std::to_string(c.in) + "_out" +
         std::to_string(c.out) + "_group" + std::to_string(c.group) + (c.bias ? "_bias" : "_nobias");
}

class FoldBatchnormIntoConvTest : public ::testing::TestWithParam<ConvCase> {};

// x -> conv -> bn -> y: the BN disappears into the convolution, whose weights and bias change.
TEST_P(FoldBatchnormIntoConvTest, FoldsIntoConvolution) {
  const ConvCase c = GetParam();
  auto build = [&] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{2, c.in, 5, 5});
    Value* y = c.transpose ? test::add_conv_transpose(g, "conv", x, c.in, c.out, c.group, c.bias, 10)
                           : test::add_conv(g, "conv", x, c.in, c.out, c.group, c.bias, 10);
    g.add_output(test::add_batchnorm(g, "bn", y, c.out, 20));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_batchnorm_into_conv(g, context), 1u);
  g.remove_unused();
  EXPECT_EQ(op_types(g), (std::vector<std::string>{c.transpose ? "ConvTranspose" : "Conv"}));
  EXPECT_EQ(context.absorbed().at("bn"), "conv");
  EXPECT_EQ(g.outputs()[0]->name(), "bn_out");
  const Node* conv = g.find_node("conv");
  ASSERT_TRUE(conv->has_input(2));
  EXPECT_EQ(conv->input(2)->constant().dims(), (Dims{c.out}));
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

INSTANTIATE_TEST_SUITE_P(
    Convolutions, FoldBatchnormIntoConvTest,
    ::testing::Values(ConvCase{3, 4, 1, true, false}, ConvCase{4, 6, 2, false, false},
                      ConvCase{4, 4, 4, true, false},  // depthwise
                      ConvCase{3, 5, 1, false, true},
                      // grouped transpose: output channel = group * (out/group) + m, not the weights' axis 0
                      ConvCase{4, 6, 2, true, true}, ConvCase{6, 4, 2, false, true}),
    case_name);

// x [3, 8] -> Gemm -> BN over the 2-d output's last axis.
Graph gemm_then_bn(bool trans_b, Dims c_dims, float alpha, float beta) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{3, 8});
  Value* w = g.add_constant("fc.w", test::random_f32(trans_b ? Dims{5, 8} : Dims{8, 5}, 30));
  Value* c = c_dims.empty() ? nullptr : g.add_constant("fc.c", test::random_f32(c_dims, 31));
  Value* y = g.add_node("Gemm", "fc", {x, w, c}, {"fc_out"},
                        {{"transB", int64_t{trans_b}}, {"alpha", alpha}, {"beta", beta}})
                 ->output(0);
  g.add_output(test::add_batchnorm(g, "bn", y, 5, 40));
  return g;
}

TEST(FoldBatchnormIntoGemmTest, FoldsIntoGemmWithAnyBias) {
  struct GemmCase {
    bool trans_b;
    Dims c;
  };
  for (const GemmCase& gc : {GemmCase{true, {5}}, GemmCase{false, {3, 5}}, GemmCase{false, {}},
                             GemmCase{true, {3, 1}}, GemmCase{false, {1, 5}}}) {
    SCOPED_TRACE(::testing::Message() << "transB=" << gc.trans_b << " C=" << to_string(gc.c));
    auto [original, g] = test::build_twice([&] { return gemm_then_bn(gc.trans_b, gc.c, 0.5f, 2.0f); });
    PassContext context;
    EXPECT_EQ(fold_batchnorm_into_conv(g, context), 1u);
    EXPECT_EQ(op_types(g), (std::vector<std::string>{"Gemm"}));
    EXPECT_EQ(context.absorbed().at("bn"), "fc");
    test::expect_same_outputs(original, g, test::random_inputs(original));
  }
}

// A MatMul has no bias input: it becomes a Gemm that keeps the MatMul's name.
TEST(FoldBatchnormIntoGemmTest, TurnsMatMulIntoGemm) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{4, 6});
    Value* w = g.add_constant("fc.w", test::random_f32({6, 3}, 50));
    Value* y = g.add_node("MatMul", "fc", {x, w}, {"fc_out"})->output(0);
    g.add_output(test::add_batchnorm(g, "bn", y, 3, 60));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_batchnorm_into_conv(g, context), 1u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Gemm"}));
  EXPECT_EQ(g.find_node("fc")->op_type(), "Gemm");
  EXPECT_EQ(context.absorbed().at("bn"), "fc");
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

TEST(FoldBatchnormIntoConvNegativeTest, KeepsBatchnormWithVariableParameters) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 4, 4});
  g.add_output(test::add_batchnorm(g, "bn", test::add_conv(g, "conv", x, 3, 4, 1, true, 1), 4, 2, false));
  infer_shapes(g);
  PassContext context;
  EXPECT_EQ(fold_batchnorm_into_conv(g, context), 0u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Conv", "BatchNormalization"}));
  EXPECT_TRUE(context.absorbed().empty());
}

// The convolution's output also feeds a Relu, which must keep seeing the un-normalized values.
TEST(FoldBatchnormIntoConvNegativeTest, KeepsBatchnormWhenConvOutputIsUsedTwice) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 4, 4});
    Value* c = test::add_conv(g, "conv", x, 3, 4, 1, true, 1);
    g.add_output(test::add_batchnorm(g, "bn", c, 4, 2));
    g.add_output(g.add_node("Relu", "relu", {c}, {"r"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_batchnorm_into_conv(g, context), 0u);
  EXPECT_EQ(test::count_op(g, "BatchNormalization"), 1u);
}

// BN's channel axis is 1; for a 3-d MatMul output that is not the weights' column axis.
TEST(FoldBatchnormIntoConvNegativeTest, KeepsBatchnormAfterBatchedMatMul) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{2, 3, 3});
  Value* w = g.add_constant("w", test::random_f32({3, 3}, 5));
  Value* y = g.add_node("MatMul", "mm", {x, w}, {"mm_out"})->output(0);
  g.add_output(test::add_batchnorm(g, "bn", y, 3, 6));
  infer_shapes(g);
  PassContext context;
  EXPECT_EQ(fold_batchnorm_into_conv(g, context), 0u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"MatMul", "BatchNormalization"}));
}

}  // namespace
}  // namespace octet
