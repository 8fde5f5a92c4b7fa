// End-to-end runs of `octet benchmark` (the binary from env OCTET_CLI, else OCTET_BINARY_DIR/octet) on the
// default Fashion-MNIST model: sync and async loops, the --json schema, -pc, -shape / -b, -i files, reports,
// the trace, and the exit code of bad flags. Runs are bounded by -niter so that each takes well under a
// second.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/binary_file.h"
#include "io/tensor_file.h"
#include "tests/support/cli_runner.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

using testing::cli_path;
using CliRun = testing::CliResult;

CliRun benchmark(std::vector<std::string> args) {
  args.insert(args.begin(), "benchmark");
  return testing::run_cli(args);
}

class BenchmarkCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "octet binary not built at " << cli_path();
    dir_ = fs::temp_directory_path() / ("octet_benchmark_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  nlohmann::json json(const std::string& name) const {
    return nlohmann::json::parse(read_binary_file(path(name)));
  }
  fs::path dir_;
};

void expect_consistent_latencies(const nlohmann::json& j) {
  const nlohmann::json& l = j["latency_ms"];
  EXPECT_GT(l["min"].get<double>(), 0.0);
  EXPECT_LE(l["min"].get<double>(), l["median"].get<double>());
  EXPECT_LE(l["median"].get<double>(), l["p90"].get<double>());
  EXPECT_LE(l["p90"].get<double>(), l["p99"].get<double>());
  EXPECT_LE(l["p99"].get<double>(), l["max"].get<double>());
  EXPECT_LE(l["min"].get<double>(), l["average"].get<double>());
  EXPECT_LE(l["average"].get<double>(), l["max"].get<double>());
}

TEST_F(BenchmarkCli, SyncRunWithCountersWritesTheJsonSchema) {
  const CliRun r = benchmark(
      {"-m", testing::kDefaultModel, "-api", "sync", "-niter", "20", "-pc", "--json", path("out.json")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* part :
       {"[Step 1/11] Parsing and validating input arguments", "Read model took", "Compile model took",
        "First inference took", "[Step 11/11] Dumping statistics report",
        "Performance counts for 0-th infer request", "layerType: Conv", "realTime (ms)",
        "[ INFO ] Count:               20 iterations", "[ INFO ]    Median:", "Throughput:"})
    EXPECT_NE(r.output.find(part), std::string::npos) << part << "\n" << r.output;

  const nlohmann::json j = json("out.json");
  for (const char* key :
       {"model", "api", "precision", "nthreads", "nstreams", "nireq", "batch", "iterations", "duration_s",
        "load_ms", "compile_ms", "first_inference_ms", "throughput_fps", "latency_ms", "per_layer"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["model"], testing::kDefaultModel);
  EXPECT_EQ(j["api"], "sync");
  EXPECT_EQ(j["nireq"], 1);
  EXPECT_EQ(j["batch"], 1);  // the dynamic batch dim is compiled as 1
  EXPECT_EQ(j["iterations"], 20);
  EXPECT_GT(j["nthreads"].get<int>(), 0);
  EXPECT_GT(j["load_ms"].get<double>(), 0.0);
  EXPECT_GT(j["compile_ms"].get<double>(), 0.0);
  EXPECT_GT(j["first_inference_ms"].get<double>(), 0.0);
  expect_consistent_latencies(j);
  // The sum of 20 latencies cannot exceed the wall time of the loop around them.
  EXPECT_LE(20 * j["latency_ms"]["min"].get<double>(), 1000.0 * j["duration_s"].get<double>());
  // Sync throughput is batch / median latency, as benchmark_app computes it.
  EXPECT_NEAR(j["throughput_fps"].get<double>(), 1000.0 / j["latency_ms"]["median"].get<double>(), 1e-6);

  ASSERT_FALSE(j["per_layer"].empty());
  bool conv_executed = false;
  for (const nlohmann::json& row : j["per_layer"]) {
    for (const char* key :
         {"name", "status", "layer_type", "exec_type", "real_time_us", "cpu_time_us", "fused_into"})
      EXPECT_TRUE(row.contains(key)) << key << " in " << row.dump();
    const std::string status = row["status"];
    EXPECT_TRUE(status == "EXECUTED" || status == "NOT_RUN" || status == "OPTIMIZED_OUT") << status;
    if (status == "OPTIMIZED_OUT") {
      EXPECT_FALSE(row["fused_into"].get<std::string>().empty()) << row.dump();
    }
    if (row["layer_type"] == "Conv" && status == "EXECUTED") conv_executed = true;
  }
  EXPECT_TRUE(conv_executed) << j["per_layer"].dump();
}

TEST_F(BenchmarkCli, AsyncRunKeepsEveryRequestBusyForWholeRounds) {
  // 21 iterations on 2 requests finish the last round: 22 inferences, 11 per request.
  const CliRun r = benchmark({"-m", testing::kDefaultModel, "-api", "async", "-nireq", "2", "-niter", "21",
                              "-nthreads", "2", "--json", path("out.json")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Start inference asynchronously, 2 inference requests, limits: 21 iterations"),
            std::string::npos)
      << r.output;
  const nlohmann::json j = json("out.json");
  EXPECT_EQ(j["api"], "async");
  EXPECT_EQ(j["nireq"], 2);
  EXPECT_EQ(j["nthreads"], 2);
  EXPECT_EQ(j["iterations"], 22);
  EXPECT_TRUE(j["per_layer"].empty());  // no profiling asked for
  expect_consistent_latencies(j);
  // Async throughput is batch * iterations / duration.
  EXPECT_NEAR(j["throughput_fps"].get<double>(), 22 / j["duration_s"].get<double>(),
              1e-6 * 22 / j["duration_s"].get<double>());
}

TEST_F(BenchmarkCli, BatchAndShapeSetTheInputDims) {
  CliRun r = benchmark(
      {"-m", testing::kDefaultModel, "-api", "sync", "-niter", "2", "-b", "3", "--json", path("b.json")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Input 'image' f32[3,1,28,28]"), std::string::npos) << r.output;
  EXPECT_EQ(json("b.json")["batch"], 3);

  r = benchmark({"-m", testing::kDefaultModel, "-api", "sync", "-niter", "2", "-shape", "image[2,1,28,28]",
                 "--json", path("s.json")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Input 'image' f32[2,1,28,28]"), std::string::npos) << r.output;
  EXPECT_EQ(json("s.json")["batch"], 2);

  r = benchmark({"-m", testing::kDefaultModel, "-niter", "2", "-shape", "pixels[1,1,28,28]"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("-shape"), std::string::npos) << r.output;
}

TEST_F(BenchmarkCli, FileInputs) {
  write_npy(path("image.npy"), Tensor(ElementType::kF32, {1, 1, 28, 28}));
  CliRun r = benchmark(
      {"-m", testing::kDefaultModel, "-api", "sync", "-niter", "2", "-i", "image=" + path("image.npy")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Input 'image' f32[1,1,28,28]: " + path("image.npy")), std::string::npos)
      << r.output;

  write_npy(path("wrong.npy"), Tensor(ElementType::kF32, {1, 1, 14, 14}));
  r = benchmark({"-m", testing::kDefaultModel, "-niter", "2", "-i", path("wrong.npy")});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("-i " + path("wrong.npy")), std::string::npos) << r.output;
}

TEST_F(BenchmarkCli, ReportsAndTrace) {
  const CliRun r = benchmark({"-m", testing::kDefaultModel, "-api", "sync", "-niter", "3", "-report_type",
                              "average_counters", "-report_folder", path("reports"), "--trace",
                              path("trace.json"), "-pcsort", "simple_sort"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("proportion: "), std::string::npos) << r.output;
  const std::string statistics = read_binary_file(path("reports/benchmark_report.csv"));
  EXPECT_NE(statistics.find("total number of iterations;3\n"), std::string::npos) << statistics;
  const std::string counters = read_binary_file(path("reports/benchmark_average_counters_report.csv"));
  EXPECT_EQ(counters.rfind("layerName;execStatus;layerType;execType;realTime (ms);cpuTime (ms)", 0), 0u);
  EXPECT_NE(counters.find("\nTotal;"), std::string::npos);

  const nlohmann::json trace = json("trace.json");
  ASSERT_TRUE(trace.contains("traceEvents"));
  const size_t events = trace["traceEvents"].size();
  EXPECT_GT(events, 0u);
  EXPECT_EQ(events % 3, 0u) << "3 measured inferences give the same events each";
}

TEST_F(BenchmarkCli, BadFlagsAndModelsAreUserErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-m", testing::kDefaultModel, "-api", "sometimes"},
        std::vector<std::string>{"-m", testing::kDefaultModel, "-latency_percentile", "101"},
        std::vector<std::string>{"-m", testing::kDefaultModel, "-no_such_flag"},
        std::vector<std::string>{"-niter", "1"}}) {
    const CliRun r = benchmark(args);
    EXPECT_EQ(r.exit_code, 1) << r.output;
  }
  CliRun r = benchmark({"-m", testing::kDefaultModel, "-d", "GPU", "-niter", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("-d GPU"), std::string::npos) << r.output;
  r = benchmark({"-m", testing::kDefaultModel, "-api", "bogus"});
  EXPECT_NE(r.output.find("--api"), std::string::npos) << r.output;
  r = benchmark({"-m", path("missing.onnx"), "-niter", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("missing.onnx"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace octet
