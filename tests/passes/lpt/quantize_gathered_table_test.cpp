// quantize_gathered_table: the lookup gathers the quantized table, the QuantizeLinear is gone, and the
// reference executor's outputs are bit-identical (the rewrite is exact); a runtime table is left alone.
#include "passes/lpt/quantize_gathered_table.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/passes/lpt/lpt_test_graphs.h"

namespace octet {
namespace {

using test::count_op;

// Embedding lookup -> Q (u8, zero point 128) -> DQ -> Relu.
Graph lookup_graph(bool runtime_table) {
  Graph g;
  Value* table = runtime_table ? g.add_input("table", ElementType::kF32, Shape{10, 4})
                               : g.add_constant("table", test::random_f32({10, 4}, 7, -3.0f, 3.0f));
  Value* ids = g.add_input("ids", ElementType::kI64, Shape{6});
  Value* e = g.add_node("Gather", "lookup", {table, ids}, {"e"})->output(0);
  Value* d = test::add_qdq(g, "e", e, 0.02f, uint8_t{128});
  g.add_output(g.add_node("Relu", "relu", {d}, {"y"})->output(0));
  return g;
}

TensorMap lookup_inputs() {
  TensorMap inputs;
  inputs["ids"] = Tensor::from_vector<int64_t>({6}, std::vector<int64_t>{0, 9, -1, 3, 3, -10});
  return inputs;
}

TEST(QuantizeGatheredTableTest, TheLookupGathersTheQuantizedTable) {
  auto graphs = test::build_twice([] { return lookup_graph(false); });
  auto& [original, g] = graphs;
  PassContext context = test::lpt_context();
  EXPECT_EQ(quantize_gathered_table(g, context), 1u);
  EXPECT_EQ(count_op(g, "QuantizeLinear"), 0u);
  const Node* gather = g.find_value("y")->producer()->input(0)->producer()->input(0)->producer();
  ASSERT_EQ(gather->op_type(), "Gather");
  ASSERT_TRUE(gather->input(0)->is_constant());
  EXPECT_EQ(gather->input(0)->constant().type(), ElementType::kU8);
  EXPECT_EQ(gather->output(0)->type(), ElementType::kU8);
  EXPECT_TRUE(context.was_removed("e_q"));
  test::expect_same_outputs(original, g, lookup_inputs(), {0, 0});
}

TEST(QuantizeGatheredTableTest, RuntimeTablesAreLeftAlone) {
  Graph runtime = lookup_graph(true);
  infer_shapes(runtime);
  PassContext context = test::lpt_context();
  EXPECT_EQ(quantize_gathered_table(runtime, context), 0u);
  EXPECT_EQ(count_op(runtime, "QuantizeLinear"), 1u);
}

}  // namespace
}  // namespace octet
