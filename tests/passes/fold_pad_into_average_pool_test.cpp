#include "passes/generic/fold_pad_into_average_pool.h"

#include <gtest/gtest.h>

#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

// x [1, 3, 6, 5] -> Pad(pads, value) -> AveragePool(kernel 3x3, strides, pool attributes) -> y; the oracle is
// the reference executor on the unfolded graph.
Graph pad_pool(std::vector<int64_t> pads, float value = 0.0f, Attributes pool_extra = {}) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 6, 5});
  Value* pads_value =
      g.add_constant("pads", Tensor::from_vector<int64_t>({8}, std::span<const int64_t>(pads)));
  Value* fill = g.add_constant("fill", Tensor::scalar(value));
  Value* padded = g.add_node("Pad", "pad", {x, pads_value, fill}, {"padded"})->output(0);
  Attributes attributes = {{"kernel_shape", std::vector<int64_t>{3, 3}},
                           {"strides", std::vector<int64_t>{2, 1}}};
  for (auto& [name, v] : pool_extra) attributes[name] = v;
  g.add_output(g.add_node("AveragePool", "pool", {padded}, {"y"}, std::move(attributes))->output(0));
  return g;
}

TEST(FoldPadIntoAveragePoolTest, ZeroSpatialPadsBecomeCountedPoolingPads) {
  auto [original, g] = test::build_twice([] { return pad_pool({0, 0, 1, 2, 0, 0, 2, 1}); });
  PassContext context;
  EXPECT_EQ(fold_pad_into_average_pool(g, context), 1u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"AveragePool"}));
  const Node* pool = g.find_node("pool");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->attribute_or<std::vector<int64_t>>("pads", {}), (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(pool->attribute_or<int64_t>("count_include_pad", 0), 1);
  EXPECT_EQ(context.absorbed().at("pad"), "pool");
  EXPECT_EQ(g.outputs()[0]->name(), "y");
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

TEST(FoldPadIntoAveragePoolNegativeTest, KeepsWhatThePoolingPaddingCannotExpress) {
  const std::vector<std::pair<std::string, Graph (*)()>> cases = {
      {"non-zero value",
       [] {
         return pad_pool({0, 0, 1, 1, 0, 0, 1, 1}, 0.5f);
       }},
      {"channel pads",
       [] {
         return pad_pool({0, 1, 1, 1, 0, 0, 1, 1});
       }},
      {"negative pads",
       [] {
         return pad_pool({0, 0, -1, 1, 0, 0, 1, 1});
       }},
      {"ceil_mode",
       [] {
         return pad_pool({0, 0, 1, 1, 0, 0, 1, 1}, 0.0f, {{"ceil_mode", int64_t{1}}});
       }},
      {"pool pads",
       [] {
         return pad_pool({0, 0, 1, 1, 0, 0, 1, 1}, 0.0f, {{"pads", std::vector<int64_t>{1, 0, 0, 0}}});
       }},
  };
  for (const auto& [what, build] : cases) {
    SCOPED_TRACE(what);
    Graph g = build();
    PassContext context;
    EXPECT_EQ(fold_pad_into_average_pool(g, context), 0u);
    EXPECT_EQ(op_types(g), (std::vector<std::string>{"Pad", "AveragePool"}));
  }
  // The padded tensor is also a graph output: the Pad stays.
  Graph g = pad_pool({0, 0, 1, 1, 0, 0, 1, 1});
  g.add_output(g.find_value("padded"));
  PassContext context;
  EXPECT_EQ(fold_pad_into_average_pool(g, context), 0u);
}

}  // namespace
}  // namespace octet
