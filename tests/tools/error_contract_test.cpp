// The command line's error contract, for every command: exit 0 on success; 1 on a user error (unknown flag,
// missing file, malformed model, absurd --shape) with one error line that names the flag / file; 2 only for
// internal errors; never a signal (run_cli reports a signal as exit code -1).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "io/binary_file.h"
#include "io/tensor_file.h"
#include "tests/support/cli_runner.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
using testing::cli_path;
using testing::CliResult;
using testing::run_cli;

// The lines of the output that report an error.
std::vector<std::string> error_lines(const std::string& output) {
  std::vector<std::string> lines;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line))
    if (line.find("error") != std::string::npos) lines.push_back(line);
  return lines;
}

void expect_error_naming(const std::vector<std::string>& args, const std::string& names) {
  const CliResult r = run_cli(args);
  std::string command;
  for (const std::string& a : args) command += a + " ";
  EXPECT_EQ(r.exit_code, 1) << command << "\n" << r.output;
  const std::vector<std::string> lines = error_lines(r.output);
  ASSERT_EQ(lines.size(), 1u) << command << ": expected one error line:\n" << r.output;
  EXPECT_EQ(lines[0].rfind("octet", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(names), std::string::npos) << command << ": the error should name " << names << "\n"
                                                     << r.output;
}

void expect_success(const std::vector<std::string>& args) {
  const CliResult r = run_cli(args);
  std::string command;
  for (const std::string& a : args) command += a + " ";
  EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.output;
}

class ErrorContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "octet binary not built at " << cli_path();
    dir_ = fs::temp_directory_path() / ("octet_error_contract_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    malformed_ = path("malformed.onnx");
    write_binary_file(malformed_, "garbage, not a protobuf \xff\xff\xff");
    missing_ = path("missing.onnx");
    // Inputs: one image, a calibration set and a labeled list of two images.
    Tensor images(ElementType::kF32, {4, 1, 28, 28});
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> dist(-0.5f, 2.0f);
    for (float& v : images.values<float>()) v = dist(rng);
    write_npy(path("calibration.npy"), images);
    Tensor one(ElementType::kF32, {1, 1, 28, 28});
    for (float& v : one.values<float>()) v = dist(rng);
    write_npy(path("image.npy"), one);
    write_npy(path("a.npy"), one);
    write_npy(path("b.npy"), one);
    std::ofstream(path("list.txt")) << "a.npy\t3\nb.npy\t5\n";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  std::string malformed_;
  std::string missing_;
};

TEST_F(ErrorContractTest, NoCommandOrUnknownCommand) {
  expect_error_naming({}, "error");
  expect_error_naming({"frobnicate"}, "subcommand");
}

TEST_F(ErrorContractTest, Info) {
  expect_success({"info", testing::kDefaultModel});
  expect_error_naming({"info", testing::kDefaultModel, "--bogus"}, "--bogus");
  expect_error_naming({"info", missing_}, missing_);
  expect_error_naming({"info", malformed_}, malformed_);
  expect_error_naming({"info", testing::kDefaultModel, "--shape", "image=[1,1,28]"},
                      "Conv");  // the node it breaks
  // 2^40 elements: caught by the load limits, not by the allocator.
  expect_error_naming({"info", testing::kDefaultModel, "--shape", "image=[1048576,1,1024,1024]"},
                      "OCTET_MAX_TENSOR_ELEMENTS");
}

TEST_F(ErrorContractTest, Run) {
  expect_success({"run", testing::kDefaultModel, "--input", path("image.npy"), "--output-dir", path("out")});
  expect_error_naming({"run", testing::kDefaultModel, "--input", path("image.npy"), "--bogus"}, "--bogus");
  expect_error_naming({"run", missing_, "--input", path("image.npy")}, missing_);
  expect_error_naming({"run", malformed_, "--input", path("image.npy")}, malformed_);
  expect_error_naming({"run", testing::kDefaultModel, "--input", path("nothere.npy")}, path("nothere.npy"));
  expect_error_naming({"run", testing::kDefaultModel, "--input", malformed_},
                      malformed_);  // not a tensor file
  expect_error_naming(
      {"run", testing::kDefaultModel, "--input", path("image.npy"), "--shape", "image=[1048576,1,1024,1024]"},
      "OCTET_MAX_TENSOR_ELEMENTS");
}

TEST_F(ErrorContractTest, Benchmark) {
  expect_success({"benchmark", "-m", testing::kDefaultModel, "-niter", "2", "-nthreads", "1"});
  expect_error_naming({"benchmark", "-m", testing::kDefaultModel, "--bogus", "1"}, "--bogus");
  expect_error_naming({"benchmark", "-m", missing_, "-niter", "1"}, missing_);
  expect_error_naming({"benchmark", "-m", malformed_, "-niter", "1"}, malformed_);
  expect_error_naming({"benchmark", "-m", testing::kDefaultModel, "-niter", "1", "-i", path("nothere.npy")},
                      "nothere.npy");
}

TEST_F(ErrorContractTest, Convert) {
  expect_success({"convert", testing::kDefaultModel, "--out", path("model.xml")});
  expect_error_naming({"convert", testing::kDefaultModel, "--out", path("x.xml"), "--bogus"}, "--bogus");
  expect_error_naming({"convert", missing_, "--out", path("x.xml")}, missing_);
  expect_error_naming({"convert", malformed_, "--out", path("x.xml")}, malformed_);
  expect_error_naming({"convert", testing::kDefaultModel, "--out", path("x.tflite")}, "x.tflite");
}

TEST_F(ErrorContractTest, Quantize) {
  const std::vector<std::string> common = {"--data", path("calibration.npy"), "--latency-rounds", "0"};
  std::vector<std::string> ok = {"quantize", testing::kDefaultModel, "--out", path("q.xml")};
  ok.insert(ok.end(), common.begin(), common.end());
  expect_success(ok);
  expect_error_naming({"quantize", testing::kDefaultModel, "--out", path("q.xml"), "--data",
                       path("calibration.npy"), "--bogus"},
                      "--bogus");
  expect_error_naming({"quantize", missing_, "--out", path("q.xml"), "--data", path("calibration.npy")},
                      missing_);
  expect_error_naming({"quantize", malformed_, "--out", path("q.xml"), "--data", path("calibration.npy")},
                      malformed_);
  expect_error_naming(
      {"quantize", testing::kDefaultModel, "--out", path("q.xml"), "--data", path("nothere.npy")},
      "nothere.npy");
}

TEST_F(ErrorContractTest, Accuracy) {
  expect_success({"accuracy", testing::kDefaultModel, "--data", path("list.txt")});
  expect_error_naming({"accuracy", testing::kDefaultModel, "--data", path("list.txt"), "--bogus"}, "--bogus");
  expect_error_naming({"accuracy", missing_, "--data", path("list.txt")}, missing_);
  expect_error_naming({"accuracy", malformed_, "--data", path("list.txt")}, malformed_);
  expect_error_naming({"accuracy", testing::kDefaultModel, "--data", path("nothere.txt")}, "nothere.txt");
}

TEST_F(ErrorContractTest, Demo) {
  expect_error_naming({"demo", "--bogus"}, "--bogus");
  expect_error_naming({"demo", "--model", missing_}, missing_);
  expect_error_naming({"demo", "--model", malformed_}, malformed_);
  expect_error_naming({"demo", "--data", path("no_dataset")}, "no_dataset");
  if (!fs::exists(testing::kFashionMnistDir)) GTEST_SKIP() << testing::kFashionMnistDir << " absent";
  expect_success({"demo", "--limit", "200", "--calibration", "20", "--reference-limit", "2"});
}

}  // namespace
}  // namespace octet
