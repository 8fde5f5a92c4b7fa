// Reports of `octet benchmark`: the console layout of benchmark_app, the per-layer table (sorting,
// proportion, simple_sort, fused rows), the CSV files and the --json schema, on hand-made counters.
#include "tools/benchmark/benchmark_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "tools/benchmark/performance_counters.h"

namespace octet::tools::benchmark {
namespace {

using Status = ProfilingInfo::Status;

std::vector<LayerCounters> sample_rows() {
  return {{"conv1", Status::kExecuted, "Conv", "jit_avx2_FP32", "", 300.0, 290.0, 0, ""},
          {"relu1", Status::kOptimizedOut, "Relu", "undef", "conv1", 0.0, 0.0, 0, ""},
          {"a_very_long_layer_name_that_benchmark_app_would_cut", Status::kExecuted, "Gemm", "ref_FP32", "",
           100.0, 100.0, 0, ""},
          {"reshape", Status::kNotRun, "Reshape", "undef", "", 0.0, 0.0, 0, ""}};
}

size_t line_of(const std::string& text, const std::string& part) {
  const size_t at = text.find(part);
  return at == std::string::npos ? std::string::npos
                                 : static_cast<size_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

TEST(BenchmarkReport, AveragesCountersFromProfilingInfo) {
  ProfilingInfo conv;
  conv.node_name = "conv";
  conv.node_type = "Conv";
  conv.exec_type = "jit_avx2_FP32";
  conv.status = Status::kExecuted;
  conv.real_time_us = 99;  // the last inference: not what the table shows
  conv.average_real_time_us = 10;
  conv.average_cpu_time_us = 20;
  const std::vector<LayerCounters> rows = average_counters({conv});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].real_time_us, 10);
  EXPECT_EQ(rows[0].cpu_time_us, 20);

  // Two requests: conv (10 + 30) / 2 = 20; "extra" only in the second keeps its own value.
  std::vector<LayerCounters> second = rows;
  second[0].real_time_us = 30;
  second[0].cpu_time_us = 40;
  second.push_back({"extra", Status::kExecuted, "Add", "ref_FP32", "", 5, 6, 0, ""});
  const std::vector<LayerCounters> average = average_over_requests({rows, second});
  ASSERT_EQ(average.size(), 2u);
  EXPECT_EQ(average[0].real_time_us, 20);
  EXPECT_EQ(average[0].cpu_time_us, 30);
  EXPECT_EQ(average[1].name, "extra");
  EXPECT_EQ(average[1].real_time_us, 5);
}

TEST(BenchmarkReport, CountersTableInBenchmarkAppsFormat) {
  std::ostringstream out;
  print_counters_table(out, sample_rows(), "no_sort", "Test CPU");
  const std::string text = out.str();
  EXPECT_NE(text.find("conv1"), std::string::npos);
  EXPECT_NE(text.find("EXECUTED"), std::string::npos);
  EXPECT_NE(text.find("layerType: Conv"), std::string::npos);
  EXPECT_NE(text.find("execType: jit_avx2_FP32"), std::string::npos);
  EXPECT_NE(text.find("realTime (ms): 0.300"), std::string::npos);
  EXPECT_NE(text.find("cpuTime (ms): 0.290"), std::string::npos);
  EXPECT_NE(text.find("OPTIMIZED_OUT"), std::string::npos);
  EXPECT_NE(text.find("fusedInto: conv1"), std::string::npos);
  EXPECT_NE(text.find("a_very_long_layer_name_that_benchmark_app_would_cut"), std::string::npos);  // not cut
  EXPECT_NE(text.find("Total time:              0.400 milliseconds"), std::string::npos);
  EXPECT_NE(text.find("Total CPU time:          0.390 milliseconds"), std::string::npos);
  EXPECT_NE(text.find("Full device name: Test CPU"), std::string::npos);
  EXPECT_EQ(text.find("proportion"), std::string::npos);
  EXPECT_LT(line_of(text, "reshape"), line_of(text, "Total time"));
  EXPECT_LT(line_of(text, "conv1 "), line_of(text, "a_very_long"));  // given order
}

TEST(BenchmarkReport, SortedTablesShowTheProportion) {
  std::vector<LayerCounters> rows = sample_rows();
  std::swap(rows[0], rows[2]);  // Gemm (100 us) first, Conv (300 us) third
  std::ostringstream sorted;
  print_counters_table(sorted, rows, "sort", "cpu");
  const std::string text = sorted.str();
  EXPECT_LT(line_of(text, "conv1 "), line_of(text, "a_very_long"));
  EXPECT_NE(text.find("proportion: 75.00%"), std::string::npos) << text;  // 300 of 400 us
  EXPECT_NE(text.find("proportion: 25.00%"), std::string::npos) << text;
  EXPECT_NE(text.find("proportion: N/A"), std::string::npos) << text;  // 0 us rows
  EXPECT_NE(text.find("reshape"), std::string::npos);

  std::ostringstream simple;
  print_counters_table(simple, rows, "simple_sort", "cpu");
  EXPECT_EQ(simple.str().find("reshape"), std::string::npos);  // executed rows only
  EXPECT_EQ(simple.str().find("relu1"), std::string::npos);
  EXPECT_NE(simple.str().find("proportion: 75.00%"), std::string::npos);
}

TEST(BenchmarkReport, CountersCsv) {
  std::ostringstream out;
  write_counters_csv(out, sample_rows());
  const std::string text = out.str();
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "layerName;execStatus;layerType;execType;realTime (ms);cpuTime (ms);fusedInto");
  EXPECT_NE(text.find("\nconv1;EXECUTED;Conv;jit_avx2_FP32;0.300;0.290;\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nrelu1;OPTIMIZED_OUT;Relu;undef;0.000;0.000;conv1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nTotal;;;;0.400;0.390;\n"), std::string::npos) << text;
}

BenchmarkResult sample_result() {
  BenchmarkResult r;
  r.model = "m.onnx";
  r.api = "sync";
  r.precision = "f32";
  r.nthreads = 2;
  r.nstreams = 1;
  r.nireq = 1;
  r.batch = 1;
  r.iterations = 123;
  r.duration_ms = 10000;
  r.load_ms = 12.3;
  r.compile_ms = 45.6;
  r.first_inference_ms = 7.8;
  r.throughput_fps = 98.7;
  r.latency = {50, 10.1, 10.1, 10.2, 9.9, 12.0, 10.5, 11.8};
  r.per_layer = {sample_rows()[0]};
  return r;
}

TEST(BenchmarkReport, ConsoleResultsInBenchmarkAppsLayout) {
  std::ostringstream out;
  BenchmarkResult r = sample_result();
  print_results(out, r);
  EXPECT_EQ(out.str(),
            "[ INFO ] Count:               123 iterations\n"
            "[ INFO ] Duration:            10000.00 ms\n"
            "[ INFO ] Latency:\n"
            "[ INFO ]    Median:           10.10 ms\n"
            "[ INFO ]    Average:          10.20 ms\n"
            "[ INFO ]    Min:              9.90 ms\n"
            "[ INFO ]    Max:              12.00 ms\n"
            "[ INFO ] Throughput:          98.70 FPS\n");
  r.latency.reported_percentile = 90;
  r.latency.reported = 10.5;
  std::ostringstream p90;
  print_results(p90, r);
  EXPECT_NE(p90.str().find("[ INFO ]    90 percentile:     10.50 ms\n"), std::string::npos) << p90.str();
}

TEST(BenchmarkReport, JsonSchema) {
  const nlohmann::json j = to_json(sample_result());
  EXPECT_EQ(j["model"], "m.onnx");
  EXPECT_EQ(j["api"], "sync");
  EXPECT_EQ(j["precision"], "f32");
  EXPECT_EQ(j["nthreads"], 2);
  EXPECT_EQ(j["nstreams"], 1);
  EXPECT_EQ(j["nireq"], 1);
  EXPECT_EQ(j["batch"], 1);
  EXPECT_EQ(j["iterations"], 123);
  EXPECT_DOUBLE_EQ(j["duration_s"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(j["load_ms"].get<double>(), 12.3);
  EXPECT_DOUBLE_EQ(j["compile_ms"].get<double>(), 45.6);
  EXPECT_DOUBLE_EQ(j["first_inference_ms"].get<double>(), 7.8);
  EXPECT_DOUBLE_EQ(j["throughput_fps"].get<double>(), 98.7);
  EXPECT_EQ(
      j["latency_ms"],
      nlohmann::json(
          {{"median", 10.1}, {"average", 10.2}, {"min", 9.9}, {"max", 12.0}, {"p90", 10.5}, {"p99", 11.8}}));
  ASSERT_EQ(j["per_layer"].size(), 1u);
  EXPECT_EQ(j["per_layer"][0], nlohmann::json({{"name", "conv1"},
                                               {"status", "EXECUTED"},
                                               {"layer_type", "Conv"},
                                               {"exec_type", "jit_avx2_FP32"},
                                               {"real_time_us", 300.0},
                                               {"cpu_time_us", 290.0},
                                               {"fused_into", ""},
                                               {"macs", 0}}));
  EXPECT_EQ(j["precision_summary"]["total_macs"], 0);
  EXPECT_EQ(j["precision_summary"]["quantize_dequantize_steps"], 0);
  EXPECT_EQ(j.size(), 16u);  // nothing beyond the schema
}

TEST(BenchmarkReport, StatisticsCsv) {
  std::ostringstream out;
  write_statistics_csv(out, {{"-m", "m.onnx"}, {"-niter", "5"}}, sample_result());
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("Command line parameters\n-m;m.onnx\n-niter;5\n\nConfiguration setup\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("\nExecution results\n"), std::string::npos);
  EXPECT_NE(text.find("\ntotal number of iterations;123\n"), std::string::npos);
  EXPECT_NE(text.find("\nMedian latency (ms);10.10\n"), std::string::npos);
  EXPECT_NE(text.find("\nthroughput;98.70\n"), std::string::npos);
}

}  // namespace
}  // namespace octet::tools::benchmark
