#include "passes/generic/fold_standalone_batchnorm.h"

#include <gtest/gtest.h>

#include "tests/passes/pass_graph_builders.h"
#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

class FoldStandaloneBatchnormTest : public ::testing::TestWithParam<Dims> {};

// x -> Relu -> BN -> Sigmoid: the BN becomes Mul (named like the BN) + Add, for inputs of rank 2 to 5.
TEST_P(FoldStandaloneBatchnormTest, RewritesIntoMulAndAdd) {
  const Dims dims = GetParam();
  auto build = [&] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape(dims));
    Value* r = g.add_node("Relu", "relu", {x}, {"r"})->output(0);
    Value* bn = test::add_batchnorm(g, "bn", r, dims[1], 7);
    g.add_output(g.add_node("Sigmoid", "sigmoid", {bn}, {"y"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_standalone_batchnorm(g, context), 1u);
  g.remove_unused();
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Relu", "Mul", "Add", "Sigmoid"}));
  EXPECT_EQ(g.find_node("bn")->op_type(), "Mul");
  EXPECT_EQ(g.find_node("sigmoid")->input(0)->name(), "bn_out");
  EXPECT_EQ(g.find_node("bn")->input(1)->constant().rank(), dims.size() - 1);
  EXPECT_TRUE(context.absorbed().empty());  // nothing vanished: the BN's name lives on in the Mul
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

INSTANTIATE_TEST_SUITE_P(Ranks, FoldStandaloneBatchnormTest,
                         ::testing::Values(Dims{4, 3}, Dims{2, 3, 5}, Dims{1, 4, 3, 3}, Dims{1, 2, 2, 3, 3}));

TEST(FoldStandaloneBatchnormTest, GraphOutputKeepsItsName) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 2, 2});
    g.add_output(test::add_batchnorm(g, "bn", x, 3, 9));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_standalone_batchnorm(g, context), 1u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Mul", "Add"}));
  EXPECT_EQ(g.outputs()[0]->name(), "bn_out");
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

TEST(FoldStandaloneBatchnormTest, KeepsBatchnormWithVariableParameters) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 2, 2});
  g.add_output(test::add_batchnorm(g, "bn", x, 3, 9, false));
  infer_shapes(g);
  PassContext context;
  EXPECT_EQ(fold_standalone_batchnorm(g, context), 0u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"BatchNormalization"}));
}

}  // namespace
}  // namespace octet
