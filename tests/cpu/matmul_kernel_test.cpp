// MatMul on the oneDNN inner product (constant 2-d B) and matmul (everything else) kernels against the
// reference executor on random inputs: 1-d operands, leading dims folded into the batch, runtime B, batched
// and numpy-broadcast operands, which kernel takes which form, and fused post-ops.
#include <gtest/gtest.h>

#include "tests/cpu/compute_kernel_test_support.h"

namespace octet::test {
namespace {

struct MatMulCase {
  std::string name;
  Dims a, b;
  bool constant_b = true;
  std::string kernel;  // the candidate expected to take it
};

std::ostream& operator<<(std::ostream& os, const MatMulCase& c) {
  return os << c.name;
}

Graph matmul_graph(const MatMulCase& c) {
  Graph g;
  Value* a = g.add_input("a", ElementType::kF32, Shape(c.a));
  Value* b = c.constant_b ? g.add_constant("b", random_f32(c.b, 5))
                          : g.add_input("b", ElementType::kF32, Shape(c.b));
  g.add_output(g.add_node("MatMul", "matmul", {a, b}, {"y"})->output(0));
  return g;
}

class MatMulKernelTest : public ::testing::TestWithParam<MatMulCase> {};

TEST_P(MatMulKernelTest, MatchesReferenceOnTheExpectedKernel) {
  const MatMulCase& c = GetParam();
  Graph g = matmul_graph(c);
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_EQ(chosen_candidate(g, "matmul"), c.kernel);
  EXPECT_TRUE(ran_on_onednn(run, "matmul")) << exec_type_of(run, "matmul");
}

const char* const kInnerProduct = "onednn_inner_product";
const char* const kMatmul = "onednn_matmul";

const MatMulCase kMatMulCases[] = {
    {"constant_b", {3, 5}, {5, 7}, true, kInnerProduct},
    {"constant_b_odd_sizes", {13, 37}, {37, 21}, true, kInnerProduct},
    {"constant_b_rank3_a", {2, 3, 5}, {5, 7}, true, kInnerProduct},
    {"constant_b_rank4_a", {2, 2, 3, 5}, {5, 4}, true, kInnerProduct},
    {"constant_b_vector_a", {5}, {5, 7}, true, kInnerProduct},
    {"runtime_b", {3, 5}, {5, 7}, false, kMatmul},
    {"runtime_b_vector_a", {5}, {5, 7}, false, kMatmul},
    {"batched_runtime", {2, 3, 5}, {2, 5, 4}, false, kMatmul},
    {"broadcast_batch", {2, 1, 3, 5}, {3, 5, 4}, false, kMatmul},
    {"broadcast_a_into_batched_b", {3, 5}, {2, 5, 4}, false, kMatmul},
    {"constant_batched_b", {2, 3, 5}, {2, 5, 4}, true, kMatmul},
    {"constant_vector_b", {2, 3, 5}, {5}, true, kMatmul},
    {"runtime_vector_b", {4, 5}, {5}, false, kMatmul},
};

INSTANTIATE_TEST_SUITE_P(Forms, MatMulKernelTest, ::testing::ValuesIn(kMatMulCases),
                         [](const ::testing::TestParamInfo<MatMulCase>& case_info) {
                           return case_info.param.name;
                         });

// a [2, 3, 8] -> MatMul -> [Add(skip) ->] Relu, with B constant [8, 6] (inner product) or runtime (matmul).
Graph matmul_post_op_graph(bool constant_b, bool with_sum) {
  Graph g;
  Value* a = g.add_input("a", ElementType::kF32, Shape{2, 3, 8});
  Value* b = constant_b ? g.add_constant("b", random_f32({8, 6}, 51))
                        : g.add_input("b", ElementType::kF32, Shape{8, 6});
  Value* y = g.add_node("MatMul", "matmul", {a, b}, {"y"})->output(0);
  if (with_sum) {
    Value* skip = g.add_input("skip", ElementType::kF32, Shape{2, 3, 6});
    y = g.add_node("Add", "add", {y, skip}, {"sum"})->output(0);
  }
  g.add_output(g.add_node("Relu", "relu", {y}, {"out"})->output(0));
  return g;
}

TEST(MatMulPostOpsTest, ReluAndSumAreFusedIntoBothKernels) {
  for (const bool constant_b : {true, false}) {
    for (const bool with_sum : {false, true}) {
      SCOPED_TRACE(std::string(constant_b ? "constant B" : "runtime B") + (with_sum ? ", sum" : ""));
      Graph g = matmul_post_op_graph(constant_b, with_sum);
      const CompiledRun run = expect_matches_reference(g);
      EXPECT_TRUE(ran_on_onednn(run, "matmul")) << exec_type_of(run, "matmul");
      EXPECT_EQ(exec_type_of(run, "relu"), "");
      EXPECT_EQ(exec_type_of(run, "add"), "");
    }
  }
}

// The residual operand computed inside the graph and dying at the MatMul: the output is placed over it.
TEST(MatMulPostOpsTest, SumOperandFromAnotherMatMul) {
  Graph g;
  Value* a = g.add_input("a", ElementType::kF32, Shape{4, 8});
  Value* first =
      g.add_node("MatMul", "first", {a, g.add_constant("w1", random_f32({8, 8}, 61))}, {"first_out"})
          ->output(0);
  Value* second =
      g.add_node("MatMul", "second", {first, g.add_constant("w2", random_f32({8, 8}, 62))}, {"second_out"})
          ->output(0);
  Value* third =
      g.add_node("MatMul", "third", {second, g.add_constant("w3", random_f32({8, 8}, 63))}, {"third_out"})
          ->output(0);
  Value* sum = g.add_node("Add", "add", {third, first}, {"sum"})->output(0);
  g.add_output(
      g.add_node("MatMul", "tail", {sum, g.add_constant("w4", random_f32({8, 3}, 64))}, {"y"})->output(0));
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_onednn(run, "third")) << exec_type_of(run, "third");
  EXPECT_EQ(exec_type_of(run, "add"), "");
}

}  // namespace
}  // namespace octet::test
