// QLinearMatMul (and QGemm once the op is registered) on oneDNN's int8 matmul against the reference executor
// on the same node: u8 and s8 A with zero points, per-tensor and per-column B scales and zero points, batched
// A folded into M, u8 and s8 outputs. Integer outputs may differ by one step (oneDNN adds the output zero
// point before rounding and saturates in float).
#include <gtest/gtest.h>

#include <random>

#include "ops/op_registry.h"
#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {
namespace {

struct QMatMulCase {
  std::string name;
  ElementType a_type;
  Dims a, b;
  int a_zero = 0;
  bool per_column = false;
  ElementType y_type = kU8;
  ElementType b_type = kI8;
};

std::ostream& operator<<(std::ostream& os, const QMatMulCase& c) {
  return os << c.name;
}

Tensor b_scales(int64_t n, bool per_column) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> scale(0.005f, 0.015f);
  std::vector<float> values;
  for (int64_t i = 0; i < (per_column ? n : 1); ++i) values.push_back(scale(rng));
  return per_column ? Tensor::from_vector<float>({n}, values) : scalar_f32(values[0]);
}

class QLinearMatMulKernelTest : public ::testing::TestWithParam<QMatMulCase> {};

TEST_P(QLinearMatMulKernelTest, MatchesReferenceWithinOneStep) {
  const QMatMulCase& c = GetParam();
  Graph g;
  TensorMap feeds;
  Value* a = g.add_input("a", c.a_type, Shape(c.a));
  feeds["a"] = random_int8(c.a_type, c.a, 11);
  const int64_t n = c.b.back();
  const int b_zero = c.b_type == kU8 ? 128 : 0;
  Tensor b_zero_tensor = zero_point(c.b_type, b_zero);
  if (c.per_column && c.b_type == kU8) {
    std::vector<uint8_t> zeros;
    for (int64_t j = 0; j < n; ++j) zeros.push_back(static_cast<uint8_t>(120 + j % 16));
    b_zero_tensor = Tensor::from_vector<uint8_t>({n}, zeros);
  }
  std::vector<Value*> inputs = {
      a,
      g.add_constant("a_scale", scalar_f32(0.02f)),
      g.add_constant("a_zero", zero_point(c.a_type, c.a_zero)),
      g.add_constant("b", random_int8(c.b_type, c.b, 3, b_zero - 56, b_zero + 56)),
      g.add_constant("b_scale", b_scales(n, c.per_column)),
      g.add_constant("b_zero", std::move(b_zero_tensor)),
      g.add_constant("y_scale", scalar_f32(0.03f)),
      g.add_constant("y_zero", zero_point(c.y_type, c.y_type == kU8 ? 100 : 3)),
  };
  g.add_output(g.add_node("QLinearMatMul", "node", inputs, {"y"})->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << check.exec_type;
}

const QMatMulCase kQMatMulCases[] = {
    {"fc_u8", kU8, {1, 64}, {64, 32}, 128},
    {"fc_s8_per_column_s8_output", kI8, {1, 48}, {48, 20}, -4, true, kI8},
    {"rows_u8_per_column", kU8, {7, 32}, {32, 16}, 30, true},
    {"batched_a", kU8, {2, 3, 24}, {24, 8}, 0},
    {"u8_b_per_column_zero_points", kU8, {4, 40}, {40, 16}, 12, true, kU8, kU8},
};

INSTANTIATE_TEST_SUITE_P(Cases, QLinearMatMulKernelTest, ::testing::ValuesIn(kQMatMulCases),
                         [](const ::testing::TestParamInfo<QMatMulCase>& p) { return p.param.name; });

// com.microsoft QGemm: A, a_scale, a_zp, B, b_scale, b_zp, C (i32), y_scale, y_zp; alpha and transB. Without
// y_scale the output is f32 (float(acc) * alpha * a_scale * b_scale[n]).
void check_qgemm(bool trans_b, bool float_output) {
  const int64_t m = 3, k = 40, n = 24;
  Graph g;
  TensorMap feeds;
  Value* a = g.add_input("a", kU8, Shape({m, k}));
  feeds["a"] = random_int8(kU8, {m, k}, 11);
  std::vector<int32_t> bias;
  for (int64_t j = 0; j < n; ++j) bias.push_back(static_cast<int32_t>(j * 97 % 2001) - 1000);
  std::vector<Value*> inputs = {
      a,
      g.add_constant("a_scale", scalar_f32(0.02f)),
      g.add_constant("a_zero", zero_point(kU8, 117)),
      g.add_constant("b", random_int8(kI8, trans_b ? Dims{n, k} : Dims{k, n}, 3, -60, 60)),
      g.add_constant("b_scale", b_scales(n, true)),
      g.add_constant("b_zero",
                     Tensor::from_vector<int8_t>({n}, std::vector<int8_t>(static_cast<size_t>(n), 0))),
      g.add_constant("c", Tensor::from_vector<int32_t>({n}, bias)),
  };
  if (!float_output) {
    inputs.push_back(g.add_constant("y_scale", scalar_f32(0.04f)));
    inputs.push_back(g.add_constant("y_zero", zero_point(kU8, 90)));
  }
  Attributes attributes{{"transB", int64_t{trans_b ? 1 : 0}}, {"alpha", 0.75f}};
  g.add_output(g.add_node("QGemm", "node", inputs, {"y"}, attributes)->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << check.exec_type;
}

TEST(QGemmKernel, QuantizedOutput) {
  if (!OpRegistry::instance().find("QGemm")) GTEST_SKIP() << "QGemm is not registered yet";
  check_qgemm(false, false);
  check_qgemm(true, false);
}

TEST(QGemmKernel, FloatOutput) {
  if (!OpRegistry::instance().find("QGemm")) GTEST_SKIP() << "QGemm is not registered yet";
  check_qgemm(true, true);
}

}  // namespace
}  // namespace octet::test
