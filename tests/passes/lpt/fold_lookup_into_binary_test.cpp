// fold_lookup_into_binary: SiLU as a quantized EfficientNet writes it, x * sigmoid(x) in QDQ form, becomes
// one QLinearLookup of x named like the Mul, with the reference executor's outputs bit-identical to the QDQ
// graph's, for u8 and i8, Mul and Add, the lookup on either side; a lookup with another reader stays.
#include "passes/lpt/fold_lookup_into_binary.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/passes/lpt/lpt_test_graphs.h"

namespace octet {
namespace {

using test::count_op;

struct SwishCase {
  std::string binary = "Mul";
  bool lookup_first = false;  // the lookup's output is the binary's A rather than its B
  bool signed_type = false;
  bool lookup_read_elsewhere = false;
};

// x -> Q/DQ -> Sigmoid -> Q/DQ -> binary(x, sigmoid(x)) -> Q/DQ -> y (and sigmoid(x) as a second output when
// it is read elsewhere).
Graph swish_graph(const SwishCase& c) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 8, 5, 5});
  const auto qdq = [&](const std::string& name, Value* v, float scale, int zero) {
    return c.signed_type ? test::add_qdq(g, name, v, scale, static_cast<int8_t>(zero - 128))
                         : test::add_qdq(g, name, v, scale, static_cast<uint8_t>(zero));
  };
  Value* xd = qdq("x", x, 0.05f, 131);
  Value* s = g.add_node("Sigmoid", "sig", {xd}, {"s"})->output(0);
  Value* sd = qdq("s", s, 1.0f / 256.0f, 0);
  Value* b = g.add_node(c.binary, "binary",
                        c.lookup_first ? std::vector<Value*>{sd, xd} : std::vector<Value*>{xd, sd}, {"b"})
                 ->output(0);
  g.add_output(qdq("y", b, 0.03f, 17));
  if (c.lookup_read_elsewhere) g.add_output(g.add_node("Relu", "other", {sd}, {"other_out"})->output(0));
  return g;
}

TensorMap swish_inputs() {
  TensorMap inputs;
  inputs["x"] = test::random_f32({1, 8, 5, 5}, 3, -6.0f, 6.0f);
  return inputs;
}

void expect_folded(const SwishCase& c) {
  auto graphs = test::build_twice([&] { return swish_graph(c); });
  auto& [original, g] = graphs;
  const PassContext context = test::run_lpt(g);
  EXPECT_EQ(count_op(g, "QLinear" + c.binary), 0u);
  ASSERT_EQ(count_op(g, "QLinearLookup"), 1u);
  EXPECT_EQ(g.find_value("y_q_out")->producer()->op_type(), "QLinearLookup");
  EXPECT_EQ(g.find_value("y_q_out")->producer()->name(), "binary");
  EXPECT_TRUE(context.was_removed("sig"));
  test::expect_same_outputs(original, g, swish_inputs(), {0, 0});
}

TEST(FoldLookupIntoBinaryTest, SwishU8BecomesOneLookup) {
  expect_folded({});
}

TEST(FoldLookupIntoBinaryTest, SwishI8BecomesOneLookup) {
  expect_folded({.signed_type = true});
}

TEST(FoldLookupIntoBinaryTest, AddWithTheLookupFirstBecomesOneLookup) {
  expect_folded({.binary = "Add", .lookup_first = true});
}

TEST(FoldLookupIntoBinaryTest, ALookupReadElsewhereStays) {
  auto graphs = test::build_twice([] { return swish_graph({.lookup_read_elsewhere = true}); });
  auto& [original, g] = graphs;
  test::run_lpt(g);
  EXPECT_EQ(count_op(g, "QLinearMul"), 1u);
  EXPECT_EQ(count_op(g, "QLinearLookup"), 1u);
  test::expect_same_outputs(original, g, swish_inputs(), {0, 0});
}

}  // namespace
}  // namespace octet
