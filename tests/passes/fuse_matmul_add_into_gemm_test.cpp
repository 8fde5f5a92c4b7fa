#include "passes/generic/fuse_matmul_add_into_gemm.h"

#include <gtest/gtest.h>

#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

// x [3, 8] -> MatMul(w [8, 5]) -> Add(b) -> y, the bias first or second.
Graph matmul_add(Dims bias_dims, bool bias_first) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{3, 8});
  Value* w = g.add_constant("fc.w", test::random_f32({8, 5}, 1));
  Value* m = g.add_node("MatMul", "fc", {x, w}, {"fc_out"})->output(0);
  Value* b = g.add_constant("fc.b", test::random_f32(bias_dims, 2));
  Node* add =
      g.add_node("Add", "fc_bias", bias_first ? std::vector<Value*>{b, m} : std::vector<Value*>{m, b}, {"y"});
  g.add_output(g.add_node("Relu", "relu", {add->output(0)}, {"r"})->output(0));
  return g;
}

TEST(FuseMatmulAddIntoGemmTest, FusesRowBiasEitherSide) {
  for (const auto& [dims, first] :
       std::vector<std::pair<Dims, bool>>{{{5}, false}, {{1, 5}, true}, {{}, false}}) {
    SCOPED_TRACE(::testing::Message() << "bias " << to_string(dims) << (first ? " first" : " second"));
    auto [original, g] = test::build_twice([&] { return matmul_add(dims, first); });
    PassContext context;
    EXPECT_EQ(fuse_matmul_add_into_gemm(g, context), 1u);
    EXPECT_EQ(op_types(g), (std::vector<std::string>{"Gemm", "Relu"}));
    const Node* gemm = g.find_node("fc");
    ASSERT_NE(gemm, nullptr);
    EXPECT_EQ(gemm->op_type(), "Gemm");
    EXPECT_EQ(gemm->input(2)->name(), "fc.b");
    EXPECT_EQ(context.absorbed().at("fc_bias"), "fc");
    test::expect_same_outputs(original, g, test::random_inputs(original));
  }
}

// The Add computed a graph output: the Gemm's output takes its name.
TEST(FuseMatmulAddIntoGemmTest, GemmOutputKeepsTheGraphOutputName) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{2, 4});
    Value* m =
        g.add_node("MatMul", "fc", {x, g.add_constant("w", test::random_f32({4, 3}, 1))}, {"m"})->output(0);
    g.add_output(
        g.add_node("Add", "bias", {m, g.add_constant("b", test::random_f32({3}, 2))}, {"logits"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fuse_matmul_add_into_gemm(g, context), 1u);
  EXPECT_EQ(g.outputs()[0]->name(), "logits");
  EXPECT_EQ(g.outputs()[0]->producer()->op_type(), "Gemm");
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// Batched (3-d) input, variable weights, a per-element [M, N] bias, and a MatMul read twice stay as they are.
TEST(FuseMatmulAddIntoGemmNegativeTest, KeepsWhatGemmCannotExpress) {
  auto build = [] {
    Graph g;
    Value* x3 = g.add_input("x3", ElementType::kF32, Shape{2, 3, 4});
    Value* m1 =
        g.add_node("MatMul", "batched", {x3, g.add_constant("w1", test::random_f32({4, 3}, 1))}, {"m1"})
            ->output(0);
    g.add_output(
        g.add_node("Add", "a1", {m1, g.add_constant("b1", test::random_f32({3}, 2))}, {"y1"})->output(0));
    Value* x = g.add_input("x", ElementType::kF32, Shape{3, 4});
    Value* w = g.add_input("w", ElementType::kF32, Shape{4, 3});
    Value* m2 = g.add_node("MatMul", "variable", {x, w}, {"m2"})->output(0);
    g.add_output(
        g.add_node("Add", "a2", {m2, g.add_constant("b2", test::random_f32({3}, 3))}, {"y2"})->output(0));
    Value* m3 =
        g.add_node("MatMul", "full_bias", {x, g.add_constant("w3", test::random_f32({4, 3}, 4))}, {"m3"})
            ->output(0);
    g.add_output(
        g.add_node("Add", "a3", {m3, g.add_constant("b3", test::random_f32({3, 3}, 5))}, {"y3"})->output(0));
    Value* m4 = g.add_node("MatMul", "shared", {x, g.add_constant("w4", test::random_f32({4, 3}, 6))}, {"m4"})
                    ->output(0);
    g.add_output(
        g.add_node("Add", "a4", {m4, g.add_constant("b4", test::random_f32({3}, 7))}, {"y4"})->output(0));
    g.add_output(m4);
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fuse_matmul_add_into_gemm(g, context), 0u);
  EXPECT_EQ(test::count_op(g, "Gemm"), 0u);
}

}  // namespace
}  // namespace octet
