// Gemm on the oneDNN inner product and matmul kernels against the reference executor on random inputs: alpha,
// beta, transA, transB, C of every broadcast form (scalar, [1], [N], [1, N], [M, 1], [M, N]), constant or
// runtime B and C, which kernel takes which form, the forms left to the reference, and fused post-ops.
#include <gtest/gtest.h>

#include <optional>

#include "tests/cpu/compute_kernel_test_support.h"

namespace octet::test {
namespace {

struct GemmCase {
  std::string name;
  Dims a, b;
  std::optional<Dims> c;  // nullopt: no C; {} : a scalar
  Attributes attributes;
  bool constant_b = true;
  bool constant_c = true;
  std::string kernel;  // the candidate expected to take it: onednn_inner_product, onednn_matmul or reference
};

std::ostream& operator<<(std::ostream& os, const GemmCase& c) {
  return os << c.name;
}

Graph gemm_graph(const GemmCase& c) {
  Graph g;
  Value* a = g.add_input("a", ElementType::kF32, Shape(c.a));
  Value* b = c.constant_b ? g.add_constant("b", random_f32(c.b, 5))
                          : g.add_input("b", ElementType::kF32, Shape(c.b));
  Value* bias = nullptr;
  if (c.c)
    bias = c.constant_c ? g.add_constant("c", random_f32(*c.c, 6))
                        : g.add_input("c", ElementType::kF32, Shape(*c.c));
  g.add_output(g.add_node("Gemm", "gemm", {a, b, bias}, {"y"}, c.attributes)->output(0));
  return g;
}

class GemmKernelTest : public ::testing::TestWithParam<GemmCase> {};

TEST_P(GemmKernelTest, MatchesReferenceOnTheExpectedKernel) {
  const GemmCase& c = GetParam();
  Graph g = gemm_graph(c);
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_EQ(chosen_candidate(g, "gemm"), c.kernel);
  if (c.kernel == "reference") {
    EXPECT_TRUE(ran_on_reference(run, "gemm")) << exec_type_of(run, "gemm");
  } else {
    EXPECT_TRUE(ran_on_onednn(run, "gemm")) << exec_type_of(run, "gemm");
  }
}

Attributes attrs(std::initializer_list<std::pair<const std::string, AttributeValue>> list) {
  return Attributes(list);
}

const char* const kInnerProduct = "onednn_inner_product";
const char* const kMatmul = "onednn_matmul";

const GemmCase kGemmCases[] = {
    {"bias_n", {3, 5}, {5, 7}, Dims{7}, {}, true, true, kInnerProduct},
    {"no_c", {3, 5}, {5, 7}, std::nullopt, {}, true, true, kInnerProduct},
    {"classifier_transb",
     {1, 64},
     {10, 64},
     Dims{10},
     attrs({{"transB", int64_t{1}}}),
     true,
     true,
     kInnerProduct},
    {"odd_sizes_row_c", {17, 33}, {33, 19}, Dims{1, 19}, {}, true, true, kInnerProduct},
    {"alpha_beta",
     {4, 6},
     {9, 6},
     Dims{9},
     attrs({{"transB", int64_t{1}}, {"alpha", 0.5f}, {"beta", 2.0f}}),
     true,
     true,
     kInnerProduct},
    {"scalar_c", {4, 6}, {6, 9}, Dims{}, attrs({{"beta", 0.25f}}), true, true, kInnerProduct},
    {"single_value_c", {4, 6}, {6, 9}, Dims{1}, {}, true, true, kInnerProduct},
    {"full_c", {4, 6}, {6, 9}, Dims{4, 9}, attrs({{"alpha", 1.5f}, {"beta", -1.0f}}), true, true, kMatmul},
    {"column_c", {4, 6}, {6, 9}, Dims{4, 1}, {}, true, true, kMatmul},
    {"trans_a",
     {6, 4},
     {6, 9},
     Dims{9},
     attrs({{"transA", int64_t{1}}, {"alpha", 2.0f}}),
     true,
     true,
     kMatmul},
    {"trans_a_trans_b",
     {6, 4},
     {9, 6},
     Dims{4, 9},
     attrs({{"transA", int64_t{1}}, {"transB", int64_t{1}}}),
     true,
     true,
     kMatmul},
    {"runtime_b", {4, 6}, {6, 9}, Dims{9}, {}, false, true, kMatmul},
    {"runtime_b_trans_b_runtime_c",
     {4, 6},
     {9, 6},
     Dims{4, 9},
     attrs({{"transB", int64_t{1}}}),
     false,
     false,
     kMatmul},
    {"runtime_c", {4, 6}, {6, 9}, Dims{1, 9}, {}, true, false, kMatmul},
    // Forms the oneDNN kernels leave to the reference: alpha with nothing constant to fold it into, beta on a
    // runtime C.
    {"runtime_b_alpha", {4, 6}, {6, 9}, Dims{9}, attrs({{"alpha", 2.0f}}), false, true, "reference"},
    {"runtime_c_beta", {4, 6}, {6, 9}, Dims{9}, attrs({{"beta", 0.5f}}), true, false, "reference"},
};

INSTANTIATE_TEST_SUITE_P(Forms, GemmKernelTest, ::testing::ValuesIn(kGemmCases),
                         [](const ::testing::TestParamInfo<GemmCase>& case_info) {
                           return case_info.param.name;
                         });

// a -> Gemm -> [Add(skip) ->] Relu, with B constant (inner product) or a graph input (matmul).
Graph gemm_post_op_graph(bool constant_b, bool with_sum) {
  Graph g;
  Value* a = g.add_input("a", ElementType::kF32, Shape{5, 12});
  Value* b = constant_b ? g.add_constant("b", random_f32({10, 12}, 41))
                        : g.add_input("b", ElementType::kF32, Shape{10, 12});
  Value* c = g.add_constant("c", random_f32({10}, 42));
  Value* y = g.add_node("Gemm", "gemm", {a, b, c}, {"y"}, {{"transB", int64_t{1}}})->output(0);
  if (with_sum) {
    Value* skip = g.add_input("skip", ElementType::kF32, Shape{5, 10});
    y = g.add_node("Add", "add", {skip, y}, {"sum"})->output(0);
  }
  g.add_output(g.add_node("Relu", "relu", {y}, {"out"})->output(0));
  return g;
}

TEST(GemmPostOpsTest, ReluAndSumAreFusedIntoBothKernels) {
  for (const bool constant_b : {true, false}) {
    for (const bool with_sum : {false, true}) {
      SCOPED_TRACE(std::string(constant_b ? "constant B" : "runtime B") + (with_sum ? ", sum" : ""));
      Graph g = gemm_post_op_graph(constant_b, with_sum);
      const CompiledRun run = expect_matches_reference(g);
      EXPECT_TRUE(ran_on_onednn(run, "gemm")) << exec_type_of(run, "gemm");
      EXPECT_EQ(exec_type_of(run, "relu"), "");
      EXPECT_EQ(exec_type_of(run, "add"), "");
    }
  }
}

}  // namespace
}  // namespace octet::test
