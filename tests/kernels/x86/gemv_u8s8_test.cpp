// The batch-1 fully connected int8 kernel: every vector path against the plain reference path bit for bit
// (K and N off every block size, both B layouts, every output kind), the reference path against
// hand-computed values, the saturating case, and the plugin factory against the reference executor's
// QLinearMatMul and QGemm on the same data.
#include "kernels/x86/gemv_u8s8.h"

#include <gtest/gtest.h>

#include <cstring>

#include "kernels/x86/x86_int8_factories.h"
#include "tests/kernels/x86/x86_int8_test_support.h"
#include "tests/support/op_test_harness.h"

namespace octet::test {
namespace {

using x86::GemvU8S8;
using x86::Isa;
using x86::OutputKind;
using x86::OutputQuantization;

std::vector<uint8_t> run_gemv(int64_t k, int64_t n, const std::vector<int8_t>& b, bool transposed,
                              const std::vector<int32_t>& bias, int32_t a_zero, const OutputQuantization& out,
                              Isa isa, const std::vector<uint8_t>& a) {
  const GemvU8S8 gemv(k, n, b, transposed, bias, a_zero, out, isa);
  std::vector<uint8_t> scratch(gemv.scratch_bytes());
  std::vector<uint8_t> y(static_cast<size_t>(n) * (out.kind == OutputKind::kF32 ? 4 : 1), 0xAB);
  gemv.run(a.data(), y.data(), scratch.data());
  return y;
}

std::vector<float> as_floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> f(bytes.size() / 4);
  std::memcpy(f.data(), bytes.data(), bytes.size());
  return f;
}

// a - 1 = [0, 1, 2]; B = [[1, -1], [2, 0], [-3, 4]]: y = [0 + 2 - 6, 0 + 0 + 8] = [-4, 8]; bias [10, -3]
// gives [6, 5].
TEST(GemvU8S8Test, HandComputedEveryPath) {
  const std::vector<uint8_t> a = {1, 2, 3};
  const std::vector<int8_t> b = {1, -1, 2, 0, -3, 4};
  const std::vector<int8_t> b_transposed = {1, 2, -3, -1, 0, 4};
  for (Isa isa : x86::available_isas()) {
    SCOPED_TRACE(x86::isa_name(isa));
    EXPECT_EQ(as_floats(run_gemv(3, 2, b, false, {10, -3}, 1, {OutputKind::kF32, {1.0f, 0.5f}, 0}, isa, a)),
              (std::vector<float>{6.0f, 2.5f}));
    EXPECT_EQ(as_floats(run_gemv(3, 2, b_transposed, true, {10, -3}, 1, {OutputKind::kF32, {1.0f, 0.5f}, 0},
                                 isa, a)),
              (std::vector<float>{6.0f, 2.5f}));
    // u8, scale 0.5, zero point 2: 3 + 2 = 5 and round(2.5) = 2 (ties to even) + 2 = 4.
    EXPECT_EQ(run_gemv(3, 2, b, false, {10, -3}, 1, {OutputKind::kU8, {0.5f}, 2}, isa, a),
              (std::vector<uint8_t>{5, 4}));
    // i8, scale 30: 180 and 150 saturate to 127.
    EXPECT_EQ(run_gemv(3, 2, b, false, {10, -3}, 1, {OutputKind::kI8, {30.0f}, 0}, isa, a),
              (std::vector<uint8_t>{127, 127}));
  }
}

// Columns of 127 and -128 with inputs 255: pairs that vpmaddubsw would saturate; exact sums are
// 64 * 255 * 127 = 2072640 and 64 * 255 * -128 = -2088960 (exact in float).
TEST(GemvU8S8Test, WeightsThatWouldSaturateVpmaddubswAreExact) {
  const int64_t k = 64, n = 37;
  std::vector<int8_t> b(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < k * n; ++i) b[static_cast<size_t>(i)] = (i % n) % 2 == 0 ? 127 : -128;
  const std::vector<uint8_t> a(static_cast<size_t>(k), 255);
  for (Isa isa : x86::available_isas()) {
    SCOPED_TRACE(x86::isa_name(isa));
    const std::vector<float> y =
        as_floats(run_gemv(k, n, b, false, {}, 0, {OutputKind::kF32, {1.0f}, 0}, isa, a));
    for (int64_t j = 0; j < n; ++j)
      ASSERT_EQ(y[static_cast<size_t>(j)], j % 2 == 0 ? 2072640.0f : -2088960.0f);
  }
}

TEST(GemvU8S8Test, VectorPathsMatchReferenceBitForBit) {
  const std::vector<std::pair<int64_t, int64_t>> sizes = {{1, 1},    {2, 7},     {3, 8},       {17, 33},
                                                          {64, 100}, {1000, 10}, {1280, 1000}, {4096, 65}};
  uint32_t seed = 7;
  for (const auto& [k, n] : sizes) {
    for (bool transposed : {false, true}) {
      const auto a = random_ints<uint8_t>(static_cast<size_t>(k), 0, 255, seed++);
      const auto b = random_ints<int8_t>(static_cast<size_t>(k * n), -128, 127, seed++);
      const auto bias = random_ints<int32_t>(static_cast<size_t>(n), -100000, 100000, seed++);
      const int32_t a_zero = static_cast<int32_t>(seed * 53 % 256);
      std::vector<float> scales;
      for (int64_t j = 0; j < n; ++j) scales.push_back(1e-5f + 1e-6f * static_cast<float>(j % 11));
      for (const OutputQuantization& out :
           {OutputQuantization{OutputKind::kU8, scales, 100}, OutputQuantization{OutputKind::kI8, {2e-5f}, 3},
            OutputQuantization{OutputKind::kF32, scales, 0}}) {
        const std::vector<uint8_t> want =
            run_gemv(k, n, b, transposed, bias, a_zero, out, Isa::kReference, a);
        for (Isa isa : vector_isas()) {
          SCOPED_TRACE(str_cat(x86::isa_name(isa), " K=", k, " N=", n, transposed ? " transposed" : "",
                               " out ", static_cast<int>(out.kind)));
          EXPECT_EQ(run_gemv(k, n, b, transposed, bias, a_zero, out, isa, a), want);
        }
      }
    }
  }
}

// The factory on QLinearMatMul / QGemm nodes with one row of A vs the reference executor.
TEST(GemvU8S8Test, FactoryMatchesReferenceExecutor) {
  uint32_t seed = 300;
  for (const auto& [k, n] : std::vector<std::pair<int64_t, int64_t>>{{37, 21}, {256, 100}}) {
    const auto a = random_ints<uint8_t>(static_cast<size_t>(k), 0, 255, seed++);
    const auto b = random_ints<int8_t>(static_cast<size_t>(k * n), -128, 127, seed++);
    const auto c = random_ints<int32_t>(static_cast<size_t>(n), -3000, 3000, seed++);
    std::vector<float> b_scale;
    for (int64_t j = 0; j < n; ++j) b_scale.push_back(0.002f + 0.0003f * static_cast<float>(j % 3));
    std::vector<std::pair<std::string, std::unique_ptr<SingleOp>>> ops;
    std::vector<Tensor> wants;
    // QLinearMatMul: a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp.
    const std::vector<Tensor> matmul{
        make<uint8_t>({1, k}, a),  scalar<float>(0.02f), scalar<uint8_t>(121), make<int8_t>({k, n}, b),
        make<float>({n}, b_scale), scalar<int8_t>(0),    scalar<float>(0.03f), scalar<uint8_t>(128)};
    wants.push_back(run_single("QLinearMatMul", fed_then_constants(matmul)));
    ops.emplace_back("QLinearMatMul", build_op("QLinearMatMul", fed_then_constants(matmul)));
    // QGemm with transB, C, alpha and an i8 output: B given as [N, K].
    std::vector<int8_t> bt(b.size());
    for (int64_t r = 0; r < k; ++r)
      for (int64_t j = 0; j < n; ++j) bt[static_cast<size_t>(j * k + r)] = b[static_cast<size_t>(r * n + j)];
    const std::vector<Tensor> qgemm{make<uint8_t>({1, k}, a), scalar<float>(0.02f),      scalar<uint8_t>(121),
                                    make<int8_t>({n, k}, bt), make<float>({n}, b_scale), Tensor(),
                                    make<int32_t>({n}, c),    scalar<float>(0.03f),      scalar<int8_t>(-7)};
    const Attributes gemm_attributes = {{"transB", int64_t{1}}, {"alpha", 0.75f}};
    wants.push_back(run_single("QGemm", fed_then_constants(qgemm), gemm_attributes));
    ops.emplace_back("QGemm", build_op("QGemm", fed_then_constants(qgemm), gemm_attributes));
    // QGemm without y_scale: the f32 (dequantized) output.
    const std::vector<Tensor> qgemm_f32{make<uint8_t>({1, k}, a),  scalar<float>(0.02f),
                                        scalar<uint8_t>(121),      make<int8_t>({k, n}, b),
                                        make<float>({n}, b_scale), Tensor(),
                                        make<int32_t>({n}, c)};
    wants.push_back(run_single("QGemm", fed_then_constants(qgemm_f32)));
    ops.emplace_back("QGemm f32", build_op("QGemm", fed_then_constants(qgemm_f32)));

    for (size_t i = 0; i < ops.size(); ++i) {
      for (Isa isa : vector_isas()) {
        SCOPED_TRACE(str_cat(ops[i].first, " ", x86::isa_name(isa), " K=", k, " N=", n));
        const ForcedIsa forced(isa);
        std::vector<uint8_t> y(wants[i].byte_size(), 0);
        std::string why_not;
        const std::optional<std::string> exec =
            run_factory(cpu::create_x86_gemv_qlinear_matmul, *ops[i].second->node(), ElementType::kU8, {1, k},
                        a.data(), y.data(), why_not);
        ASSERT_TRUE(exec.has_value()) << why_not;
        EXPECT_EQ(*exec, str_cat("jit_", x86::isa_name(isa), "_gemv_I8"));
        EXPECT_EQ(std::memcmp(y.data(), wants[i].raw_data(), y.size()), 0);
      }
    }
  }
}

TEST(GemvU8S8Test, FactoryDeclinesBatchedA) {
  const std::vector<Tensor> matmul{make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}),
                                   scalar<float>(1.0f),
                                   scalar<uint8_t>(0),
                                   make<int8_t>({3, 2}, {1, 2, 3, 4, 5, 6}),
                                   scalar<float>(1.0f),
                                   scalar<int8_t>(0),
                                   scalar<float>(1.0f),
                                   scalar<uint8_t>(0)};
  const std::unique_ptr<SingleOp> op = build_op("QLinearMatMul", fed_then_constants(matmul));
  std::vector<uint8_t> a(6, 1), y(4, 0);
  std::string why_not;
  EXPECT_FALSE(run_factory(cpu::create_x86_gemv_qlinear_matmul, *op->node(), ElementType::kU8, {2, 3},
                           a.data(), y.data(), why_not));
  EXPECT_NE(why_not.find("not a single row"), std::string::npos) << why_not;
}

TEST(X86IsaTest, ReferenceAlwaysAvailableAndNamesRoundTrip) {
  const std::vector<Isa> isas = x86::available_isas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), Isa::kReference);
  for (Isa isa : {Isa::kReference, Isa::kAvx2, Isa::kAvx512Bw, Isa::kAvx512Vnni})
    EXPECT_EQ(x86::parse_isa(x86::isa_name(isa)), isa);
  EXPECT_FALSE(x86::parse_isa("sse9").has_value());
  setenv("OCTET_X86_ISA", "sse9", 1);
  expect_kernel_error([] { x86::default_isa(); }, ErrorCode::kInvalidArgument, "not one of");
  unsetenv("OCTET_X86_ISA");
  EXPECT_EQ(x86::default_isa(), isas.back());
}

}  // namespace
}  // namespace octet::test
