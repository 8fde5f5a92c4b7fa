// The copy kernel of the ops that change only dims (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout)
// against the reference executor: plain inputs, blocked inputs (which need a reorder to plain first), in
// place inside a chain, and a runtime shape input left to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

Tensor i64s(std::vector<int64_t> values) {
  const auto n = static_cast<int64_t>(values.size());
  return Tensor::from_vector<int64_t>({n}, values);
}

struct ReshapeCase {
  std::string type;
  std::vector<int64_t> second;  // constant second input (shape / axes); empty: none
  Attributes attributes;
};

std::vector<ReshapeCase> reshape_cases() {
  return {{"Reshape", {10, -1}, {}}, {"Reshape", {0, 20, 0}, {}}, {"Flatten", {}, {{"axis", int64_t{2}}}},
          {"Flatten", {}, {}},       {"Unsqueeze", {0, 4}, {}},   {"Identity", {}, {}},
          {"Dropout", {}, {}}};
}

Node* add_case(KernelTestGraph& g, Value* x, const ReshapeCase& c) {
  std::vector<Value*> inputs = {x};
  if (!c.second.empty()) inputs.push_back(g.constant("shape", i64s(c.second)));
  return g.node(c.type, inputs, c.attributes);
}

TEST(ReshapeKernelTest, CopiesPlainInputs) {
  for (const ReshapeCase& c : reshape_cases()) {
    SCOPED_TRACE(c.type + " " + to_string(c.second));
    KernelTestGraph g;
    add_case(g, g.input("x", {2, 5, 3, 4}), c);
    const KernelRun run = g.check();
    EXPECT_EQ(run.exec_type, "copy_FP32");
  }
}

TEST(ReshapeKernelTest, SqueezeWithAndWithoutAxes) {
  for (const bool with_axes : {true, false}) {
    KernelTestGraph g;
    Value* x = g.input("x", {1, 5, 1, 4});
    std::vector<Value*> inputs = {x};
    if (with_axes) inputs.push_back(g.constant("axes", i64s({2})));
    g.node("Squeeze", inputs);
    EXPECT_EQ(g.check().exec_type, "copy_FP32");
  }
}

TEST(ReshapeKernelTest, BlockedInputIsReorderedToPlainFirst) {
  KernelTestGraph g;
  add_case(g, g.blocked(g.input("x", {2, 3, 4, 5}), 12), {"Flatten", {}, {}});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "copy_FP32");
  EXPECT_EQ(run.input_layouts, std::vector<std::string>{"nchw"});
}

TEST(ReshapeKernelTest, InPlaceInsideAChain) {
  KernelTestGraph g;
  Value* x = g.input("x", {2, 6, 5});
  Value* y = g.add("Sigmoid", "sigmoid", {x});
  Value* r = g.add("Reshape", "reshape", {y, g.constant("shape", i64s({12, 5}))});
  g.node("Tanh", {r});
  g.check();
}

}  // namespace
}  // namespace octet::test
