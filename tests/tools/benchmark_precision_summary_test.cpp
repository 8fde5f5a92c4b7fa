// The -pc int8 summary: shares of MACs by exec-type suffix, conversions counted, fp32 layers listed by MACs.
#include <gtest/gtest.h>

#include <sstream>

#include "tools/benchmark/precision_summary.h"

namespace octet::tools::benchmark {
namespace {

LayerCounters row(std::string name, std::string type, std::string exec_type, int64_t macs,
                  ProfilingInfo::Status status = ProfilingInfo::Status::kExecuted) {
  LayerCounters r;
  r.name = std::move(name);
  r.layer_type = std::move(type);
  r.exec_type = std::move(exec_type);
  r.multiply_accumulates = macs;
  r.status = status;
  return r;
}

TEST(PrecisionSummaryTest, SharesConversionsAndIslands) {
  const std::vector<LayerCounters> rows = {
      row("q", "QuantizeLinear", "reorder_I8", 0),
      row("conv1", "QLinearConv", "jit_avx2_I8", 600),
      row("conv2", "QLinearConv", "jit_avx2_dw_I8", 200),
      row("fc", "Gemm", "jit_gemm_FP32", 150),
      row("head", "Conv", "ref_FP32", 50),
      row("relu", "Relu", "undef", 0, ProfilingInfo::Status::kOptimizedOut),
      row("dq", "DequantizeLinear", "reorder_FP32", 0),
      row("fused", "Conv", "undef", 999, ProfilingInfo::Status::kOptimizedOut),  // not executed: not counted
  };
  const PrecisionSummary s = summarize_precision(rows);
  EXPECT_EQ(s.total_macs, 1000);
  EXPECT_EQ(s.int8_macs, 800);
  EXPECT_DOUBLE_EQ(s.int8_share(), 0.8);
  EXPECT_EQ(s.conversions, 2);
  ASSERT_EQ(s.fp32_layers.size(), 2u);
  EXPECT_EQ(s.fp32_layers[0].name, "fc");  // most MACs first
  EXPECT_EQ(s.fp32_layers[1].name, "head");

  std::ostringstream out;
  print_precision_summary(out, s);
  EXPECT_NE(out.str().find("80.0% of 1000 MAC"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("fp32: fc (Gemm, jit_gemm_FP32"), std::string::npos) << out.str();
}

TEST(PrecisionSummaryTest, NoArithmeticMeansZeroShare) {
  const PrecisionSummary s = summarize_precision({row("r", "Reshape", "copy_FP32", 0)});
  EXPECT_EQ(s.total_macs, 0);
  EXPECT_DOUBLE_EQ(s.int8_share(), 0.0);
  EXPECT_TRUE(s.fp32_layers.empty());
}

}  // namespace
}  // namespace octet::tools::benchmark
