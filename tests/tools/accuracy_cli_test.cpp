// `octet accuracy` end to end (env OCTET_CLI, else OCTET_BINARY_DIR/octet) on the shared CIFAR-10 ResNet-20,
// against an independent oracle, plus --compare, --json and the user errors (exit 1).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/io/test_paths.h"
#include "tests/support/cli_runner.h"

namespace octet {
namespace {

using testing::CliResult;
using testing::run_cli;
using testing::scratch_path;
using testing::shared_file;

// resnet20's preprocessing (shared/README.md 1.2) as flags on 0..255 values, over a seeded subset.
std::vector<std::string> cifar_args(const std::string& model, const std::string& list, int subset) {
  return {"accuracy",   model,
          "--data",     list,
          "--subset",   std::to_string(subset),
          "--seed",     "7",
          "--mean",     "123.675,116.28,103.53",
          "--std",      "58.395,57.12,57.375",
          "--nthreads", "1"};
}

TEST(AccuracyCliTest, ResNet20Subset200MatchesAnIndependentOracle) {
  const std::string model = shared_file("models/cifar10/resnet20_cifar10.onnx");
  const std::string list = shared_file("data/cifar10/labels.txt");
  if (model.empty() || list.empty()) GTEST_SKIP() << "shared CIFAR-10 model or data missing";
  const std::string json = scratch_path("accuracy.json");
  std::vector<std::string> args = cifar_args(model, list, 200);
  args.insert(args.end(), {"--json", json});
  const CliResult r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Oracle: tests/evaluation/data/resnet20_cifar10_oracle.py 7 200 — ResNet-20 rebuilt in torch from the ONNX
  // weights, images decoded by PIL, the same seeded sample order (a Python mt19937_64): top1 163/200, top5
  // 198/200.
  EXPECT_NE(r.output.find("81.50%"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("99.00%"), std::string::npos) << r.output;
  std::ifstream in(json);
  const nlohmann::json root = nlohmann::json::parse(in);
  ASSERT_EQ(root["results"].size(), 1u);
  const nlohmann::json& result = root["results"][0];
  EXPECT_EQ(result["model"], model);
  EXPECT_EQ(result["count"], 200);
  EXPECT_DOUBLE_EQ(result["top1"].get<double>(), 163.0 / 200);
  EXPECT_DOUBLE_EQ(result["top5"].get<double>(), 198.0 / 200);
}

TEST(AccuracyCliTest, CompareReportsDifferenceAndAgreement) {
  const std::string model = shared_file("models/cifar10/resnet20_cifar10.onnx");
  const std::string list = shared_file("data/cifar10/labels.txt");
  if (model.empty() || list.empty()) GTEST_SKIP() << "shared CIFAR-10 model or data missing";
  const std::string json = scratch_path("compare.json");
  std::vector<std::string> args = cifar_args(model, list, 40);
  // The same model twice, the second with its (absent) quantization simulated in f32: identical classes.
  args.insert(args.end(), {"--compare", model, "--top-k", "3", "--json", json});
  const CliResult r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("difference"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("top-1 agreement: 100.00% (40/40"), std::string::npos) << r.output;
  std::ifstream in(json);
  const nlohmann::json root = nlohmann::json::parse(in);
  ASSERT_EQ(root["results"].size(), 2u);
  EXPECT_TRUE(root["results"][1].contains("top3"));
  EXPECT_EQ(root["top1_agreement"], 1.0);
}

TEST(AccuracyCliTest, UserErrorsExitWithOne) {
  const std::string model = shared_file("models/cifar10/resnet20_cifar10.onnx");
  const std::string list = shared_file("data/cifar10/labels.txt");
  const std::string folder = shared_file("data/images");
  if (model.empty() || list.empty() || folder.empty()) GTEST_SKIP() << "shared data missing";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"accuracy", model, "--data", "/nonexistent/list.txt"}, "does not exist"},
      {{"accuracy", model, "--data", folder, "--resize", "32x32"}, "have no labels"},
      {{"accuracy", model, "--data", list, "--subset", "2", "--label-offset", "5", "--seed", "3"},
       "check --label-offset"},
      {{"accuracy", model, "--data", list, "--metric", "bleu"}, "--metric"},
      {{"accuracy", model, "--data", list, "--resize", "abc"}, "--resize 'abc'"},
      {{"accuracy", "/nonexistent/model.onnx", "--data", list}, "model.onnx"},
  };
  for (const Case& c : cases) {
    const CliResult r = run_cli(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args[3] << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace octet
