// Shape ops only move whole elements, so they commute with a type conversion: op(cast(x)) == cast(op(x)).
// This checks every op on every element type against its f32 result (which the other tests check against
// numpy).
#include <gtest/gtest.h>

#include <cstring>

#include "ops/op_helpers.h"
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

struct ShapeOpCase {
  std::string op;
  std::vector<OpInput> extra_inputs;  // inputs after the data input
  Attributes attributes;
};

std::vector<ShapeOpCase> cases() {
  return {
      {"Transpose", {}, {{"perm", std::vector<int64_t>{2, 0, 1}}}},
      {"Reshape", {constant(i64({2}, {4, -1}))}, {}},
      {"Flatten", {}, {{"axis", int64_t{2}}}},
      {"Squeeze", {constant(i64({1}, {0}))}, {}},
      {"Unsqueeze", {constant(i64({1}, {-1}))}, {}},
      {"Expand", {constant(i64({4}, {2, 1, 3, 4}))}, {}},
      {"Tile", {constant(i64({3}, {1, 2, 1}))}, {}},
      {"Slice",
       {constant(i64({2}, {-1, 3})), constant(i64({2}, {0, 0})), constant(i64({2}, {1, 2})),
        constant(i64({2}, {-1, -2}))},
       {}},
      {"Concat", {constant(iota_f32({1, 3, 4}))}, {{"axis", int64_t{-1}}}},
      {"Pad", {constant(i64({6}, {0, 1, 0, 0, 0, 2}))}, {{"mode", std::string("reflect")}}},
      {"Gather", {constant(i64({3}, {2, -1, 0}))}, {{"axis", int64_t{2}}}},
      {"GatherElements", {constant(i64({1, 3, 2}, {1, 0, 3, 3, -4, 2}))}, {{"axis", int64_t{2}}}},
      {"Where", {constant(iota_f32({3, 4}))}, {}},  // condition is input 0, see below
  };
}

// Runs the case with the data (and any f32 constant input) converted to `type`.
Tensor run_case(const ShapeOpCase& c, const Tensor& data_f32, ElementType type) {
  std::vector<OpInput> inputs;
  if (c.op == "Where") inputs.push_back(constant(boolean({3, 1}, {1, 0, 1})));
  inputs.push_back(fed(convert_tensor(data_f32, type)));
  for (const OpInput& in : c.extra_inputs) {
    OpInput converted = in;
    if (in.tensor.type() == ElementType::kF32) converted.tensor = convert_tensor(in.tensor, type);
    inputs.push_back(converted);
  }
  SingleOp op(c.op, inputs, c.attributes);
  return op.run1();
}

TEST(ShapeOpsTypeCoverageTest, EveryOpCommutesWithTypeConversion) {
  const Tensor x = iota_f32({1, 3, 4});  // values 0..11, exact in every type (bool keeps only 0 vs nonzero)
  for (const ShapeOpCase& c : cases()) {
    const Tensor reference = run_case(c, x, ElementType::kF32);
    for (ElementType type : {ElementType::kF16, ElementType::kI8, ElementType::kU8, ElementType::kI32,
                             ElementType::kI64, ElementType::kBool}) {
      SCOPED_TRACE(c.op + " on " + std::string(to_string(type)));
      const Tensor actual = run_case(c, x, type);
      const Tensor expected = convert_tensor(reference, type);
      ASSERT_EQ(actual.type(), type);
      ASSERT_EQ(actual.dims(), expected.dims());
      EXPECT_EQ(std::memcmp(actual.raw_data(), expected.raw_data(), actual.byte_size()), 0);
    }
  }
}

}  // namespace
}  // namespace octet
