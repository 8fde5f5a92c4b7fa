// `octet quantize` end to end on the shared CIFAR-10 ResNet-20: the written IR and QDQ models load back and
// run in int8, the report and the config file say what was done, the config reproduces the model bit for
// bit, and bad input is a user error (exit 1) with a message naming the problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tests/io/test_paths.h"
#include "tests/support/cli_runner.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::run_cli;
using testing::scratch_path;
using testing::shared_file;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

class QuantizeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = shared_file("models/cifar10/resnet20_cifar10.onnx");
    list_ = shared_file("data/cifar10/labels.txt");
    if (model_.empty() || list_.empty()) GTEST_SKIP() << "shared CIFAR-10 model or data missing";
  }
  // Calibration on 16 seeded samples with resnet20's preprocessing (shared/README.md 1.2).
  std::vector<std::string> quantize_args(const std::string& out) const {
    return {"quantize",
            model_,
            "--data",
            list_,
            "--subset",
            "16",
            "--seed",
            "5",
            "--mean",
            "123.675,116.28,103.53",
            "--std",
            "58.395,57.12,57.375",
            "--out",
            out,
            "--nthreads",
            "1",
            "--latency-rounds",
            "0"};
  }
  std::string model_, list_;
};

TEST_F(QuantizeCliTest, WritesIrAndQdqModelsThatRunInInt8AndAReproducibleConfig) {
  const std::string xml = scratch_path("q_resnet20.xml"), report = scratch_path("q_resnet20.report.json"),
                    config = scratch_path("q_resnet20.config.json");
  std::vector<std::string> args = quantize_args(xml);
  args.insert(args.end(), {"--report", report, "--write-config", config});
  const CliResult first = run_cli(args);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("calibrated on 16 samples"), std::string::npos) << first.output;

  // Report: every convolution and the classifier quantized, ranges with positive scales.
  const nlohmann::json r = read_json(report);
  ASSERT_FALSE(r["layers"].empty());
  size_t convolutions = 0;
  for (const auto& layer : r["layers"]) {
    EXPECT_TRUE(layer["quantized"].get<bool>()) << layer["node"];
    convolutions += layer["type"] == "Conv";
  }
  EXPECT_EQ(convolutions, 19u);  // resnet20: 1 stem + 9 blocks x 2 convolutions
  for (const auto& activation : r["activations"]) EXPECT_GT(activation["scale"].get<double>(), 0.0);
  EXPECT_EQ(r["calibration"]["samples"], 16);

  // The same settings from the config file (and another output path) give the same bytes.
  const std::string again = scratch_path("q_resnet20_again.xml");
  const CliResult second = run_cli({"quantize", model_, "--config", config, "--out", again});
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(read_bytes(fs::path(xml).replace_extension(".bin")),
            read_bytes(fs::path(again).replace_extension(".bin")));

  // Both output formats load back and run in int8 on the CPU runtime.
  const std::string onnx = scratch_path("q_resnet20.onnx");
  args = quantize_args(onnx);
  ASSERT_EQ(run_cli(args).exit_code, 0);
  for (const std::string& model : {xml, onnx}) {
    const CliResult bench = run_cli({"benchmark", "-m", model, "-niter", "2", "-nthreads", "1", "-pc"});
    ASSERT_EQ(bench.exit_code, 0) << bench.output;
    // oneDNN's int8 convolutions: jit_uni_int8 (AVX2) or jit_int8_avx512_core_vnni (AVX-512 VNNI).
    EXPECT_TRUE(bench.output.find("jit_uni_int8") != std::string::npos ||
                bench.output.find("jit_int8_avx512") != std::string::npos)
        << bench.output;
    EXPECT_NE(bench.output.find("Int8: 100.0% of"), std::string::npos) << bench.output;
  }
}

// Depthwise convolutions go out as GroupConvolution in the IR (4-D weights quantized, then reshaped to
// [G, 1, 1, k, k]) and must come back as int8 depthwise layers, as they do from the QDQ model.
TEST(QuantizeCliDepthwiseTest, MobileNetIrAndQdqRunEveryLayerInInt8) {
  const std::string model = shared_file("models/imagenet/mobilenet_v1_0.25_128.fp32.onnx");
  const std::string list = shared_file("data/imagenet-sample/labels.txt");
  if (model.empty() || list.empty()) GTEST_SKIP() << "shared ImageNet model or data missing";
  for (const std::string& out : {scratch_path("q_mobilenet_v1.xml"), scratch_path("q_mobilenet_v1.onnx")}) {
    const CliResult quantize =
        run_cli({"quantize", model,    "--data",     list,     "--subset",         "4",     "--resize",
                 "146",      "--crop", "128",        "--mean", "128,128,128",      "--std", "128,128,128",
                 "--out",    out,      "--nthreads", "1",      "--latency-rounds", "0"});
    ASSERT_EQ(quantize.exit_code, 0) << quantize.output;
    const CliResult bench = run_cli({"benchmark", "-m", out, "-niter", "2", "-nthreads", "1", "-pc"});
    ASSERT_EQ(bench.exit_code, 0) << bench.output;
    EXPECT_NE(bench.output.find("Int8: 100.0% of"), std::string::npos) << out << "\n" << bench.output;
    EXPECT_EQ(bench.output.find("ref_FP32             realTime"), std::string::npos) << out << "\n"
                                                                                     << bench.output;
  }
}

TEST_F(QuantizeCliTest, UserErrorsExitWithOne) {
  const fs::path dir = scratch_path("quantize_cli_errors");
  fs::create_directories(dir / "empty");
  std::ofstream(dir / "missing.txt") << "nothere.jpg\t0\n";
  std::ofstream(dir / "bad.jpg") << "this is not an image";
  std::ofstream(dir / "bad.txt") << "bad.jpg\t0\n";
  std::ofstream(dir / "unknown_key.json") << R"({"presett": "mixed"})";
  const std::string out = (dir / "out.onnx").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"quantize", model_, "--data", (dir / "empty").string(), "--out", out}, "holds no"},
      {{"quantize", model_, "--data", (dir / "missing.txt").string(), "--out", out},
       "nothere.jpg does not exist"},
      {{"quantize", model_, "--data", (dir / "bad.txt").string(), "--out", out, "--latency-rounds", "0"},
       "bad.jpg: not a JPEG or PNG"},
      {{"quantize", model_, "--data", list_, "--out", (dir / "out.txt").string()}, "must end in .xml"},
      {{"quantize", model_, "--data", list_, "--out", out, "--config", (dir / "unknown_key.json").string()},
       "presett"},
      {{"quantize", model_, "--data", list_, "--out", out, "--estimator", "percentile", "--percentile", "40"},
       "(50, 100]"},
      {{"quantize", model_, "--data", list_, "--subset", "2", "--out", out, "--ignore-pattern", ".*"},
       "no layer to quantize"},
      {{"quantize", "/nonexistent/model.onnx", "--data", list_, "--out", out}, "model.onnx"},
  };
  for (const Case& c : cases) {
    const CliResult r = run_cli(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.message << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace octet
