#include "passes/generic/fold_constants.h"

#include <gtest/gtest.h>

#include "ops/shape_inference.h"
#include "reference/reference_executor.h"

namespace octet {
namespace {

Tensor i64_tensor(Dims dims, std::vector<int64_t> values) {
  return Tensor::from_vector<int64_t>(std::move(dims), values);
}

// The PyTorch flatten pattern: Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])).
Graph flatten_graph() {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{2, 3, 4});
  Node* shape = g.add_node("Shape", "shape", {x}, {"s"});
  Node* gather =
      g.add_node("Gather", "gather", {shape->output(0), g.add_constant("zero", Tensor::scalar<int64_t>(0))},
                 {"n"}, {{"axis", int64_t{0}}});
  Node* unsqueeze = g.add_node("Unsqueeze", "unsqueeze",
                               {gather->output(0), g.add_constant("axes", i64_tensor({1}, {0}))}, {"n1"});
  Node* concat = g.add_node("Concat", "concat",
                            {unsqueeze->output(0), g.add_constant("minus_one", i64_tensor({1}, {-1}))},
                            {"target"}, {{"axis", int64_t{0}}});
  Node* reshape = g.add_node("Reshape", "reshape", {x, concat->output(0)}, {"y"});
  g.add_output(reshape->output(0));
  return g;
}

TEST(FoldConstantsTest, FoldsShapeSubgraphIntoReshapeConstant) {
  Graph g = flatten_graph();
  EXPECT_EQ(fold_constants(g), 4u);
  g.remove_unused();
  ASSERT_EQ(g.node_count(), 1u);
  const Node* reshape = g.nodes()[0];
  EXPECT_EQ(reshape->op_type(), "Reshape");
  ASSERT_TRUE(reshape->input(1)->is_constant());
  EXPECT_EQ(reshape->input(1)->name(), "target");  // folded values keep their names
  EXPECT_EQ(reshape->input(1)->constant().to_int64_vector(), (std::vector<int64_t>{2, -1}));
  EXPECT_EQ(g.outputs()[0]->shape(), (Shape{2, 12}));

  std::vector<float> values(24);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  const TensorMap out = ReferenceExecutor(g).run({{"x", Tensor::from_vector<float>({2, 3, 4}, values)}});
  EXPECT_EQ(out.at("y").dims(), (Dims{2, 12}));
  EXPECT_EQ(out.at("y").data<float>()[13], 13.0f);
}

TEST(FoldConstantsTest, LeavesDynamicShapesAndQuantizationAlone) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{kDynamicDim, 3});
  Node* shape = g.add_node("Shape", "shape", {x}, {"s"});
  g.add_output(shape->output(0));
  Node* dq = g.add_node(
      "DequantizeLinear", "dq",
      {g.add_constant("w", Tensor::scalar<int8_t>(3)), g.add_constant("scale", Tensor::scalar<float>(0.5f))},
      {"w_f32"});
  g.add_output(dq->output(0));
  EXPECT_EQ(fold_constants(g), 0u);
  EXPECT_EQ(g.node_count(), 2u);
  EXPECT_EQ(g.outputs()[0]->shape(), (Shape{2}));
}

TEST(FoldConstantsTest, FoldedGraphOutputKeepsItsName) {
  Graph g;
  Node* add = g.add_node(
      "Add", "add",
      {g.add_constant("a", Tensor::scalar<float>(1)), g.add_constant("b", Tensor::scalar<float>(2))},
      {"sum"});
  g.add_output(add->output(0));
  EXPECT_EQ(fold_constants(g), 1u);
  ASSERT_EQ(g.outputs().size(), 1u);
  EXPECT_EQ(g.outputs()[0]->name(), "sum");
  EXPECT_EQ(g.outputs()[0]->constant().data<float>()[0], 3.0f);
}

}  // namespace
}  // namespace octet
