#include "graph/graph.h"

#include <gtest/gtest.h>

#include "graph/printer.h"

namespace octet {
namespace {

TEST(GraphTest, ReplaceAllUsesKeepsGraphOutputName) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4});
  Node* a = g.add_node("Relu", "relu", {x}, {"y"});
  g.add_output(a->output(0));
  Node* b = g.add_node("Sigmoid", "sig", {x}, {"z"});
  g.replace_all_uses(a->output(0), b->output(0));
  ASSERT_EQ(g.outputs().size(), 1u);
  EXPECT_EQ(g.outputs()[0], b->output(0));
  EXPECT_EQ(g.outputs()[0]->name(), "y");
  g.remove_unused();
  EXPECT_EQ(g.node_count(), 1u);
  EXPECT_EQ(g.find_node("relu"), nullptr);
}

TEST(GraphTest, TopologicalOrderDetectsCycle) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1});
  Node* a = g.add_node("Add", "a", {x, x}, {"a_out"});
  Node* b = g.add_node("Relu", "b", {a->output(0)}, {"b_out"});
  g.set_input(a, 1, b->output(0));
  EXPECT_THROW(g.topological_order(), Error);
}

TEST(GraphTest, DuplicateTensorNameIsRejected) {
  Graph g;
  g.add_input("x", ElementType::kF32, Shape{1});
  EXPECT_THROW(g.add_input("x", ElementType::kF32, Shape{1}), Error);
}

TEST(GraphTest, PrinterShowsNodesAndAttributes) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4});
  Node* n = g.add_node("LeakyRelu", "lr", {x}, {"y"}, {{"alpha", 0.5f}});
  g.add_output(n->output(0));
  const std::string text = graph_to_string(g);
  EXPECT_NE(text.find("input  x: f32[1,4]"), std::string::npos) << text;
  EXPECT_NE(text.find("LeakyRelu 'lr'(x) {alpha=0.5}"), std::string::npos) << text;
}

}  // namespace
}  // namespace octet
