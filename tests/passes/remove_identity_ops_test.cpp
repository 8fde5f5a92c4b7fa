#include "passes/generic/remove_identity_ops.h"

#include <gtest/gtest.h>

#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

Tensor i64_tensor(Dims dims, std::vector<int64_t> values) {
  return Tensor::from_vector<int64_t>(std::move(dims), values);
}

// x -> Relu -> Identity -> Dropout -> Cast(f32) -> Reshape(same dims) -> Flatten(2-d input, same dims after
// the reshape to [6,4]) -> Sigmoid -> y.
Graph identity_chain() {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{6, 4});
  Value* v = g.add_node("Relu", "relu", {x}, {"r"})->output(0);
  v = g.add_node("Identity", "identity", {v}, {"i"})->output(0);
  Value* training = g.add_constant("training", Tensor::scalar<uint8_t>(0));
  v = g.add_node("Dropout", "dropout", {v, nullptr, training}, {"d"})->output(0);
  v = g.add_node("Cast", "cast", {v}, {"c"}, {{"to", std::string("f32")}})->output(0);
  v = g.add_node("Reshape", "reshape", {v, g.add_constant("dims", i64_tensor({2}, {6, -1}))}, {"s"})
          ->output(0);
  v = g.add_node("Flatten", "flatten", {v}, {"f"}, {{"axis", int64_t{1}}})->output(0);
  g.add_output(g.add_node("Sigmoid", "sigmoid", {v}, {"y"})->output(0));
  return g;
}

TEST(RemoveIdentityOpsTest, RemovesEveryNoOpOfAChain) {
  auto [original, g] = test::build_twice(identity_chain);
  PassContext context;
  EXPECT_EQ(remove_identity_ops(g, context), 5u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Relu", "Sigmoid"}));
  EXPECT_EQ(g.find_node("sigmoid")->input(0)->name(), "r");
  for (const char* name : {"identity", "dropout", "cast", "reshape", "flatten"})
    EXPECT_EQ(context.absorbed().at(name), "") << name;
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// Changes of type or shape stay; so does an Identity between a graph input and a graph output, whose
// removal would have to rename one of the two.
TEST(RemoveIdentityOpsTest, KeepsRealConversionsAndUserVisibleNames) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{2, 3});
    g.add_output(g.add_node("Cast", "to_i32", {x}, {"as_int"}, {{"to", std::string("i32")}})->output(0));
    Value* dims = g.add_constant("dims", i64_tensor({2}, {3, 2}));
    g.add_output(g.add_node("Reshape", "transpose_like", {x, dims}, {"reshaped"})->output(0));
    g.add_output(g.add_node("Identity", "passthrough", {x}, {"copy"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(remove_identity_ops(g, context), 0u);
  EXPECT_EQ(g.node_count(), 3u);
  EXPECT_TRUE(context.absorbed().empty());
  EXPECT_EQ(g.inputs()[0]->name(), "x");
}

// The producer's value takes over the name of the graph output that the Identity computed.
TEST(RemoveIdentityOpsTest, GraphOutputKeepsItsName) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{4});
    Value* r = g.add_node("Relu", "relu", {x}, {"r"})->output(0);
    g.add_output(g.add_node("Neg", "neg", {r}, {"other"})->output(0));
    g.add_output(g.add_node("Identity", "identity", {r}, {"y"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(remove_identity_ops(g, context), 1u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Relu", "Neg"}));
  ASSERT_EQ(g.outputs().size(), 2u);
  EXPECT_EQ(g.outputs()[1]->name(), "y");
  EXPECT_EQ(g.outputs()[1]->producer()->name(), "relu");
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// A Dropout whose training_mode is not a constant false is not an identity (inference rejects true, but a
// graph input leaves it unknown to the pass).
TEST(RemoveIdentityOpsTest, KeepsDropoutWithUnknownTrainingMode) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{4});
  Value* r = g.add_node("Relu", "relu", {x}, {"r"})->output(0);
  Value* ratio = g.add_constant("ratio", Tensor::scalar<float>(0.5f));
  Node* dropout =
      g.add_node("Dropout", "dropout", {r, ratio, g.add_input("t", ElementType::kBool, Shape{})}, {"d"});
  g.add_output(g.add_node("Neg", "neg", {dropout->output(0)}, {"y"})->output(0));
  dropout->output(0)->set_type(ElementType::kF32);
  r->set_type(ElementType::kF32);
  dropout->output(0)->set_shape(Shape{4});
  PassContext context;
  EXPECT_EQ(remove_identity_ops(g, context), 0u);
}

}  // namespace
}  // namespace octet
