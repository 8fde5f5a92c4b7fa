// The exact fp32 fallback for QLinearMatMul and QGemm (onednn_qlinear_exact.h) against the reference
// executor's op on the same node, with full-range B (pairs that could saturate vpmaddubsw): integer outputs
// must be equal element for element, QGemm's f32 output within 1e-5 + 1e-4 * |expected|. Cases: M > 1, u8 and
// s8 A with zero points, N-d A, per-column B scales and zero points, u8 B, QGemm with C, transB and alpha.
#include <gtest/gtest.h>

#include <random>

#include "kernels/onednn/onednn_int8_exactness.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "kernels/onednn/onednn_qlinear_matmul.h"
#include "tests/cpu/int8/q8exact_test_support.h"

namespace octet::test {
namespace {

struct ExactMatMulCase {
  std::string name;
  bool gemm = false;
  ElementType a_type = kU8;
  Dims a;
  int64_t n = 16;
  int a_zero = 0;
  ElementType b_type = kI8;
  bool per_column = false;
  bool trans_b = false;
  bool bias = false;          // QGemm's C
  bool float_output = false;  // QGemm without y_scale
  ElementType y_type = kU8;
  float alpha = 1.0f;
};

std::ostream& operator<<(std::ostream& os, const ExactMatMulCase& c) {
  return os << c.name;
}

Graph exact_matmul_graph(const ExactMatMulCase& c, TensorMap& feeds,
                         std::optional<Tensor> weights = std::nullopt) {
  Graph g;
  const int64_t k = c.a.back(), n = c.n;
  Value* a = g.add_input("x", c.a_type, Shape(c.a));
  feeds["x"] = random_int8(c.a_type, c.a, 23);
  const Dims b_dims = c.trans_b ? Dims{n, k} : Dims{k, n};
  Tensor b = weights ? std::move(*weights) : random_int8(c.b_type, b_dims, 29, -127, 255);
  std::mt19937 rng(31);
  std::uniform_real_distribution<float> scale(0.005f, 0.015f);
  std::vector<float> b_scales;
  for (int64_t j = 0; j < (c.per_column ? n : 1); ++j) b_scales.push_back(scale(rng));
  Tensor b_scale = c.per_column ? Tensor::from_vector<float>({n}, b_scales) : scalar_f32(b_scales[0]);
  Tensor b_zero = zero_point(c.b_type, c.b_type == kU8 ? 128 : 0);
  if (c.per_column && c.b_type == kU8) {
    std::vector<uint8_t> zeros;
    for (int64_t j = 0; j < n; ++j) zeros.push_back(static_cast<uint8_t>(121 + j % 13));
    b_zero = Tensor::from_vector<uint8_t>({n}, zeros);
  }
  std::vector<Value*> inputs = {a,
                                g.add_constant("a_scale", scalar_f32(0.02f)),
                                g.add_constant("a_zero", zero_point(c.a_type, c.a_zero)),
                                g.add_constant("b", std::move(b)),
                                g.add_constant("b_scale", std::move(b_scale)),
                                g.add_constant("b_zero", std::move(b_zero))};
  Attributes attributes;
  if (c.gemm) {
    Value* bias = nullptr;
    if (c.bias) {
      std::vector<int32_t> values;
      std::uniform_int_distribution<int32_t> dist(-100000, 100000);
      for (int64_t j = 0; j < n; ++j) values.push_back(dist(rng));
      bias = g.add_constant("c", Tensor::from_vector<int32_t>({n}, values));
    }
    inputs.push_back(bias);
    attributes = Attributes({{"transB", int64_t{c.trans_b ? 1 : 0}}, {"alpha", c.alpha}});
  }
  if (!c.float_output) {
    inputs.push_back(g.add_constant("y_scale", scalar_f32(0.01f * static_cast<float>(k))));
    inputs.push_back(g.add_constant("y_zero", zero_point(c.y_type, c.y_type == kU8 ? 125 : 4)));
  }
  g.add_output(g.add_node(c.gemm ? "QGemm" : "QLinearMatMul", "node", inputs, {"y"}, attributes)->output(0));
  return g;
}

class ExactQLinearMatMulTest : public ::testing::TestWithParam<ExactMatMulCase> {};

TEST_P(ExactQLinearMatMulTest, EqualsReference) {
  TensorMap feeds;
  Graph g = exact_matmul_graph(GetParam(), feeds);
  const ExactCheck check =
      expect_factory_matches_reference(cpu::create_onednn_qlinear_matmul_exact, g, feeds);
  EXPECT_EQ(check.differing, 0) << "max diff " << check.max_diff;
  // A test whose outputs sit at the saturation bounds would prove little.
  if (!GetParam().float_output) {
    EXPECT_LT(check.saturated * 4, check.count) << check.saturated << " of " << check.count << " saturated";
  }
  EXPECT_NE(check.exec_type.find("_exact_FP32"), std::string::npos) << check.exec_type;
}

const ExactMatMulCase kExactMatMulCases[] = {
    {.name = "matmul_u8_zero_point", .a = {8, 64}, .n = 24, .a_zero = 131},
    {.name = "matmul_s8_a_s8_y", .a_type = kI8, .a = {5, 48}, .a_zero = -9, .y_type = kI8},
    {.name = "matmul_3d_a_per_column", .a = {2, 3, 40}, .n = 20, .a_zero = 7, .per_column = true},
    {.name = "matmul_u8_b_per_column_zero", .a = {4, 32}, .a_zero = 64, .b_type = kU8, .per_column = true},
    {.name = "matmul_batch1", .a = {1, 96}, .n = 8, .a_zero = 3},
    {.name = "qgemm_bias_transb",
     .gemm = true,
     .a = {6, 72},
     .n = 10,
     .a_zero = 100,
     .per_column = true,
     .trans_b = true,
     .bias = true},
    {.name = "qgemm_alpha_s8_y",
     .gemm = true,
     .a = {3, 50},
     .a_zero = 250,
     .bias = true,
     .y_type = kI8,
     .alpha = 0.5f},
    {.name = "qgemm_float_output",
     .gemm = true,
     .a_type = kI8,
     .a = {7, 33},
     .n = 9,
     .a_zero = 2,
     .per_column = true,
     .bias = true,
     .float_output = true},
};

INSTANTIATE_TEST_SUITE_P(Cases, ExactQLinearMatMulTest, ::testing::ValuesIn(kExactMatMulCases),
                         [](const ::testing::TestParamInfo<ExactMatMulCase>& p) { return p.param.name; });

// B with pairs (127, 127) and (-127, -127) along K against A in 250..255: vpmaddubsw's i16 pair sum (up to
// 64770) saturates, so the int8 matmul declines on a CPU without VNNI, and the fallback equals the reference.
TEST(ExactQLinearMatMul, SaturatingPairsEqualReference) {
  const ExactMatMulCase c{.name = "saturating", .a = {4, 64}, .n = 16};
  Tensor b(kI8, {64, 16});
  for (int64_t i = 0; i < b.element_count(); ++i) {
    const int64_t row = i / 16, column = i % 16;
    b.data<int8_t>()[i] = ((row / 2 + column) % 2 == 0) ? 127 : -127;
  }
  TensorMap feeds;
  Graph g = exact_matmul_graph(c, feeds, std::move(b));
  feeds["x"] = random_int8(kU8, c.a, 37, 250, 255);
  infer_shapes(g);
  if (!cpu::pair_sum_fits_i16(254)) {
    std::string why_not;
    const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    EXPECT_FALSE(choose(cpu::create_onednn_qlinear_matmul, g, engine, why_not).has_value());
    EXPECT_NE(why_not.find("saturate"), std::string::npos) << why_not;
  }
  const ExactCheck check =
      expect_factory_matches_reference(cpu::create_onednn_qlinear_matmul_exact, g, feeds);
  EXPECT_EQ(check.differing, 0) << "max diff " << check.max_diff;
  // A test whose outputs sit at the saturation bounds would prove little.
  EXPECT_LT(check.saturated * 4, check.count) << check.saturated << " of " << check.count << " saturated";
}

// Parameters given at runtime cannot be prepared once: the fallback declines (the reference takes the node).
TEST(ExactQLinearMatMul, DeclinesRuntimeB) {
  Graph g;
  Value* a = g.add_input("x", kU8, Shape({4, 8}));
  Value* b = g.add_input("b", kI8, Shape({8, 4}));
  g.add_output(
      g.add_node(
           "QLinearMatMul", "node",
           {a, g.add_constant("a_scale", scalar_f32(0.1f)), g.add_constant("a_zero", zero_point(kU8, 0)), b,
            g.add_constant("b_scale", scalar_f32(0.1f)), g.add_constant("b_zero", zero_point(kI8, 0)),
            g.add_constant("y_scale", scalar_f32(0.1f)), g.add_constant("y_zero", zero_point(kU8, 0))},
           {"y"})
          ->output(0));
  infer_shapes(g);
  std::string why_not;
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  EXPECT_FALSE(choose(cpu::create_onednn_qlinear_matmul_exact, g, engine, why_not).has_value());
  EXPECT_FALSE(why_not.empty());
}

// Through the plugin (compile + infer), once the lead has listed the fallback among QGemm's candidates
// (skipped until then).
TEST(ExactQLinearMatMul, InPluginEqualsReference) {
  bool listed = false;
  for (const cpu::KernelCandidate& candidate : cpu::kernel_candidates("QGemm"))
    listed |= std::string(candidate.name) == "onednn_qlinear_matmul_exact";
  if (!listed) GTEST_SKIP() << "onednn_qlinear_matmul_exact is not in kernel_candidates.cpp yet";
  const ExactMatMulCase c{
      .name = "plugin", .gemm = true, .a = {6, 72}, .n = 10, .a_zero = 100, .per_column = true, .bias = true};
  TensorMap feeds;
  Graph g = exact_matmul_graph(c, feeds);
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0) << "max diff " << check.max_diff;
  // With VNNI nothing saturates: oneDNN's int8 kernel is exact and keeps the layer.
  if (cpu::onednn_int8_has_vnni()) {
    EXPECT_NE(check.exec_type.find("_I8"), std::string::npos) << check.exec_type;
  } else {
    EXPECT_NE(check.exec_type.find("_exact_FP32"), std::string::npos) << check.exec_type;
  }
}

}  // namespace
}  // namespace octet::test
