// The oneDNN pooling kernel (MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool) against the reference
// executor on random inputs: plain and channel-blocked inputs (a Conv with 8 or 12 outputs in front makes
// nChw8c), odd channel counts, every attribute form it takes, and the forms it must leave to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/compute_kernel_test_support.h"

namespace octet::test {
namespace {

struct PoolCase {
  std::string name;
  std::string op;
  Dims x;
  Attributes attributes;
  bool on_onednn = true;  // false: the kernel must reject it (the reference runs it)
};

std::ostream& operator<<(std::ostream& os, const PoolCase& c) {
  return os << c.name;
}

// x -> [Conv with `conv_channels` outputs ->] pool -> y.
Graph pool_graph(const PoolCase& c, int64_t conv_channels) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape(c.x));
  if (conv_channels > 0) x = add_pointwise_conv(g, "conv", x, c.x[1], conv_channels, c.x.size() - 2, 7);
  g.add_output(g.add_node(c.op, "pool", {x}, {"y"}, c.attributes)->output(0));
  return g;
}

class PoolingKernelTest : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolingKernelTest, PlainInputMatchesReference) {
  const PoolCase& c = GetParam();
  Graph g = pool_graph(c, 0);
  const CompiledRun run = expect_matches_reference(g);
  if (c.on_onednn) {
    EXPECT_TRUE(ran_on_onednn(run, "pool")) << exec_type_of(run, "pool");
  } else {
    EXPECT_TRUE(ran_on_reference(run, "pool")) << exec_type_of(run, "pool");
  }
}

TEST_P(PoolingKernelTest, BlockedInputMatchesReferenceWithoutReorder) {
  const PoolCase& c = GetParam();
  for (const int64_t channels : {8, 12}) {
    SCOPED_TRACE(channels);
    Graph g = pool_graph(c, channels);
    const CompiledRun run = expect_matches_reference(g);
    if (!c.on_onednn) continue;
    EXPECT_TRUE(ran_on_onednn(run, "pool")) << exec_type_of(run, "pool");
    // The conv writes nChw8c and the pool reads it as it is: the only reorders are the graph input's (into
    // the conv's layout) and the output's (back to plain), none between conv and pool.
    EXPECT_LE(run.reorders, 2);
  }
}

Attributes attrs(std::initializer_list<std::pair<const std::string, AttributeValue>> list) {
  return Attributes(list);
}

// Output sizes in the comments are ONNX's: floor((in + pads - extent) / stride) + 1, or ceil with ceil_mode.
const PoolCase kPoolCases[] = {
    {"max_k3_s2",
     "MaxPool",
     {1, 5, 9, 11},
     attrs({{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}})},
    {"max_k3_pads1",
     "MaxPool",
     {2, 3, 8, 8},
     attrs({{"kernel_shape", ints({3, 3})}, {"pads", ints({1, 1, 1, 1})}})},
    {"max_asymmetric_pads",
     "MaxPool",
     {1, 5, 7, 9},
     attrs({{"kernel_shape", ints({2, 3})}, {"pads", ints({0, 1, 1, 2})}, {"strides", ints({1, 2})}})},
    {"max_same_upper",
     "MaxPool",
     {1, 3, 10, 9},
     attrs({{"kernel_shape", ints({3, 2})},
            {"strides", ints({2, 2})},
            {"auto_pad", std::string("SAME_UPPER")}})},
    {"max_same_lower",
     "MaxPool",
     {1, 3, 10, 9},
     attrs({{"kernel_shape", ints({3, 2})},
            {"strides", ints({2, 2})},
            {"auto_pad", std::string("SAME_LOWER")}})},
    {"max_valid",
     "MaxPool",
     {1, 3, 10, 9},
     attrs({{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"auto_pad", std::string("VALID")}})},
    {"max_dilations",
     "MaxPool",
     {1, 3, 11, 10},
     attrs({{"kernel_shape", ints({3, 2})}, {"dilations", ints({2, 3})}, {"pads", ints({1, 1, 1, 1})}})},
    // 10 wide, kernel 3, stride 2: 4 windows, 5 with ceil_mode (the last one half outside).
    {"max_ceil_mode",
     "MaxPool",
     {1, 3, 10, 10},
     attrs({{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"ceil_mode", int64_t{1}}})},
    // 5 wide, pads 1+1, kernel 2, stride 3: ceil gives 3 windows, the third would start in the end padding
    // and is dropped (2), which oneDNN's floor formula with the same pads computes as 2 as well.
    {"max_ceil_mode_dropped_window",
     "MaxPool",
     {1, 3, 5, 5},
     attrs({{"kernel_shape", ints({2, 2})},
            {"strides", ints({3, 3})},
            {"pads", ints({1, 1, 1, 1})},
            {"ceil_mode", int64_t{1}}})},
    {"max_1d", "MaxPool", {2, 3, 17}, attrs({{"kernel_shape", ints({4})}, {"strides", ints({3})}})},
    {"max_3d",
     "MaxPool",
     {1, 3, 5, 6, 7},
     attrs({{"kernel_shape", ints({2, 3, 3})},
            {"strides", ints({2, 2, 2})},
            {"pads", ints({0, 1, 1, 1, 1, 0})}})},
    {"avg_exclude_pad",
     "AveragePool",
     {1, 5, 9, 9},
     attrs({{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}})},
    {"avg_include_pad",
     "AveragePool",
     {1, 5, 9, 9},
     attrs({{"kernel_shape", ints({3, 3})},
            {"strides", ints({2, 2})},
            {"pads", ints({1, 2, 1, 0})},
            {"count_include_pad", int64_t{1}}})},
    {"avg_same_upper",
     "AveragePool",
     {1, 3, 8, 7},
     attrs({{"kernel_shape", ints({3, 3})},
            {"strides", ints({2, 2})},
            {"auto_pad", std::string("SAME_UPPER")}})},
    {"avg_ceil_mode_exclude_pad",
     "AveragePool",
     {1, 3, 10, 10},
     attrs({{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"ceil_mode", int64_t{1}}})},
    // ceil_mode's last windows reach past the input (no pads): ONNX divides them by their taps inside the
    // input (6, or 4 in the corner), oneDNN by the kernel size (9): rejected.
    {"avg_ceil_mode_include_pad_overhang",
     "AveragePool",
     {1, 3, 10, 10},
     attrs({{"kernel_shape", ints({3, 3})},
            {"strides", ints({2, 2})},
            {"ceil_mode", int64_t{1}},
            {"count_include_pad", int64_t{1}}}),
     false},
    // ceil_mode that changes nothing (9 + 2 pads - 3 is a multiple of the stride): no overhang, runs on
    // oneDNN.
    {"avg_ceil_mode_include_pad_exact",
     "AveragePool",
     {1, 3, 9, 9},
     attrs({{"kernel_shape", ints({3, 3})},
            {"strides", ints({2, 2})},
            {"pads", ints({1, 1, 1, 1})},
            {"ceil_mode", int64_t{1}},
            {"count_include_pad", int64_t{1}}})},
    {"avg_1d", "AveragePool", {1, 3, 20}, attrs({{"kernel_shape", ints({5})}, {"pads", ints({2, 2})}})},
    {"avg_3d",
     "AveragePool",
     {1, 2, 6, 5, 7},
     attrs({{"kernel_shape", ints({2, 2, 3})},
            {"strides", ints({2, 1, 2})},
            {"pads", ints({1, 0, 1, 0, 1, 1})}})},
    {"global_avg", "GlobalAveragePool", {2, 5, 7, 6}, {}},
    {"global_avg_1d", "GlobalAveragePool", {1, 3, 13}, {}},
    {"global_avg_3d", "GlobalAveragePool", {1, 3, 3, 4, 5}, {}},
    {"global_max", "GlobalMaxPool", {2, 5, 7, 6}, {}},
    {"global_max_3d", "GlobalMaxPool", {1, 3, 3, 4, 5}, {}},
};

INSTANTIATE_TEST_SUITE_P(Forms, PoolingKernelTest, ::testing::ValuesIn(kPoolCases),
                         [](const ::testing::TestParamInfo<PoolCase>& case_info) {
                           return case_info.param.name;
                         });

TEST(PoolingKernelRejectTest, MaxPoolWithIndicesRunsOnTheReference) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 8, 8});
  Node* pool = g.add_node("MaxPool", "pool", {x}, {"y", "indices"},
                          {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}});
  g.add_output(pool->output(0));
  g.add_output(pool->output(1));
  const CompiledRun run = expect_matches_reference(g);
  EXPECT_TRUE(ran_on_reference(run, "pool")) << exec_type_of(run, "pool");
}

}  // namespace
}  // namespace octet::test
