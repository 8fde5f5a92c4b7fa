// End-to-end tests of the `octet` binary (env OCTET_CLI, set by tests/CMakeLists.txt, else
// OCTET_BINARY_DIR/octet): exit codes (0 ok, 1 user error) and messages, `info --json`, `run` writing .npy
// outputs, `demo`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "io/binary_file.h"
#include "io/idx_dataset.h"
#include "io/tensor_file.h"
#include "octet/error.h"
#include "tests/io/test_paths.h"
#include "tests/support/cli_runner.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

using testing::cli_path;
using testing::CliResult;
using testing::run_cli;

void expect_user_error(const CliResult& r, const std::string& message_part) {
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(message_part), std::string::npos) << r.output;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "octet binary not built at " << cli_path();
    dir_ = fs::temp_directory_path() / ("octet_cli_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string file(const std::string& name, const std::string& bytes) const {
    write_binary_file(path(name), bytes);
    return path(name);
  }
  fs::path dir_;
};

// The first `n` Fashion-MNIST test images, normalized as the model was trained: (x / 255 - 0.2860) / 0.3530.
Tensor fashion_mnist_input(int64_t n) {
  const LabeledImages set = read_fashion_mnist_test_set(testing::kFashionMnistDir);
  Tensor t(ElementType::kF32, {n, 1, 28, 28});
  for (int64_t i = 0; i < n * 784; ++i)
    t.data<float>()[i] = (static_cast<float>(set.images.data<uint8_t>()[i]) / 255.0f - 0.2860f) / 0.3530f;
  return t;
}

TEST_F(CliTest, HelpAndUsageErrors) {
  EXPECT_EQ(run_cli({"--help"}).exit_code, 0);
  const CliResult none = run_cli({});
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_EQ(run_cli({"info"}).exit_code, 1);
  EXPECT_EQ(run_cli({"info", testing::kDefaultModel, "--no-such-flag"}).exit_code, 1);
  EXPECT_EQ(run_cli({"frobnicate"}).exit_code, 1);
}

// Parameters of the default model, counted by hand from scripts/train_default_model.py: conv weights
// 16*1*9 + 32*16*9 + 64*32*9 = 23184, 4 BatchNorm vectors each 4*(16+32+64) = 448, Linear 10*576 + 10 = 5770.
TEST_F(CliTest, InfoJsonDescribesTheDefaultModel) {
  const CliResult r = run_cli({"info", testing::kDefaultModel, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["format"], "onnx");
  EXPECT_EQ(j["opset"], 13);
  EXPECT_EQ(j["producer"], "pytorch");
  ASSERT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["name"], "image");
  EXPECT_EQ(j["inputs"][0]["type"], "f32");
  EXPECT_EQ(j["inputs"][0]["shape"], nlohmann::json({-1, 1, 28, 28}));
  ASSERT_EQ(j["outputs"].size(), 1u);
  EXPECT_EQ(j["outputs"][0]["name"], "logits");
  EXPECT_EQ(j["outputs"][0]["shape"], nlohmann::json({-1, 10}));
  EXPECT_EQ(j["op_counts"]["Conv"], 3);
  EXPECT_EQ(j["op_counts"]["BatchNormalization"], 3);
  EXPECT_EQ(j["op_counts"]["Gemm"], 1);
  EXPECT_EQ(j["parameter_count"], 23184 + 448 + 5770);
  EXPECT_EQ(j["quantized"], false);
}

TEST_F(CliTest, InfoTextShapeOverrideAndDump) {
  const CliResult r = run_cli({"info", testing::kDefaultModel, "--shape", "image=[8,1,28,28]", "--dump"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("image: f32[8,1,28,28]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("logits: f32[8,10]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("= Conv"), std::string::npos) << r.output;
  const CliResult bad = run_cli({"info", testing::kDefaultModel, "--shape", "nope=[1,2]"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_EQ(run_cli({"info", testing::kDefaultModel, "--shape", "image=[1,x]"}).exit_code, 1);
}

// Expected logits of the first four test images: the PyTorch FashionCnn of scripts/train_default_model.py
// with the ONNX file's initializers loaded into it (torch 1.13, CPU), printed with 6 decimals.
TEST_F(CliTest, RunWritesTheOutputsAndMatchesPyTorch) {
  if (!fs::exists(testing::kFashionMnistDir)) GTEST_SKIP() << "dataset-fashion-mnist absent";
  const std::vector<std::vector<float>> expected = {
      {-5.407495f, -9.820374f, -5.616169f, -6.198593f, -6.804970f, 0.694425f, -4.590226f, 1.255677f,
       -2.963517f, 9.984678f},
      {0.470290f, -4.292341f, 8.136678f, -3.622201f, -0.063042f, -8.376854f, -1.198950f, -10.550530f,
       -5.769665f, -8.122926f},
      {-0.699949f, 13.575480f, -2.576268f, -2.214081f, -1.041033f, -4.562876f, -4.541866f, -10.021951f,
       -2.913125f, -6.915886f},
      {-2.358367f, 13.626268f, -4.052859f, -0.204411f, -1.995247f, -4.248100f, -3.706182f, -8.110868f,
       -4.144343f, -5.914591f}};
  const std::string input = path("images.npy");
  write_npy(input, fashion_mnist_input(4));
  for (const std::string& flag : {input, "image=" + input}) {
    SCOPED_TRACE(flag);
    const std::string out_dir = path("out_" + std::to_string(flag.size()));
    const CliResult r = run_cli({"run", testing::kDefaultModel, "--input", flag, "--output-dir", out_dir});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Tensor logits = read_npy(out_dir + "/logits.npy");
    ASSERT_EQ(logits.dims(), Dims({4, 10}));
    for (int i = 0; i < 4; ++i)
      for (int k = 0; k < 10; ++k) EXPECT_NEAR(logits.data<float>()[i * 10 + k], expected[i][k], 2e-4);
  }
  // One image with a batch-1 .pb input also works, and a [1,10] output gets a top-5 listing.
  const std::string pb = path("one.pb");
  write_tensor_file(pb, fashion_mnist_input(1).reshaped({1, 1, 28, 28}), "image");
  const CliResult r = run_cli({"run", testing::kDefaultModel, "--input", pb});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("top-5"), std::string::npos) << r.output;
}

// The ImageNet preprocessing of /work/shared/README.md section 1.1 through the CLI, on MobileNet V2: the
// stored reference output (onnxruntime) of test_data_set_0 ranks 668 mortarboard (0.3566) first.
TEST_F(CliTest, RunPreprocessesAnImageForMobileNet) {
  const std::string shared = testing::shared_dir();
  const std::string model = shared + "/models/imagenet/mobilenet_v2_1.0_224.fp32.onnx";
  const std::string image = shared + "/data/images/grace_hopper.png";
  const std::string expected =
      shared + "/models/imagenet/mobilenet_v2_1.0_224.fp32.testdata/test_data_set_0/output_0.pb";
  if (!fs::exists(model) || !fs::exists(image) || !fs::exists(expected)) GTEST_SKIP() << "no shared models";
  const CliResult r = run_cli({"run", model, "--image", image, "--resize", "256", "--crop", "224", "--mean",
                               "128,128,128", "--std", "128,128,128", "--labels",
                               shared + "/models/imagenet/imagenet_labels.txt", "--output-dir", path("out")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("668  score"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mortarboard"), std::string::npos) << r.output;
  const Tensor actual = read_npy(path("out/x173.npy"));
  const Tensor reference = read_tensor_file(expected).tensor;
  ASSERT_EQ(actual.dims(), reference.dims());
  for (int64_t i = 0; i < actual.element_count(); ++i)
    EXPECT_NEAR(actual.data<float>()[i], reference.data<float>()[i], 1e-4) << "class " << i;
}

// Eight .pb inputs bound by position, a quantized model (QLinearConv), compared with the ONNX backend test's
// stored output (libonnx-testdata).
TEST_F(CliTest, RunBindsPbInputsByPositionOnAQuantizedModel) {
  const std::string dir = "/usr/share/libonnx-testdata/data/node/test_qlinearconv";
  if (!fs::exists(dir + "/model.onnx")) GTEST_SKIP() << "libonnx-testdata absent";
  const CliResult info = run_cli({"info", dir + "/model.onnx", "--json"});
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_EQ(nlohmann::json::parse(info.output)["quantized"], true);

  std::vector<std::string> args = {"run", dir + "/model.onnx", "--output-dir", path("out")};
  for (int i = 0; i < 8; ++i) {
    args.push_back("--input");
    args.push_back(dir + "/test_data_set_0/input_" + std::to_string(i) + ".pb");
  }
  const CliResult r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Tensor actual = read_npy(path("out/y.npy"));
  const Tensor expected = read_tensor_file(dir + "/test_data_set_0/output_0.pb").tensor;
  ASSERT_EQ(actual.type(), ElementType::kU8);
  ASSERT_EQ(actual.dims(), expected.dims());
  EXPECT_EQ(actual.to_int64_vector(), expected.to_int64_vector());
  // Seven inputs for eight: the message names the one left over.
  args.resize(args.size() - 2);
  expect_user_error(run_cli(args), "has no value");
}

TEST_F(CliTest, BadModelFilesAreUserErrors) {
  const std::string model_bytes = read_binary_file(testing::kDefaultModel);
  expect_user_error(run_cli({"info", path("missing.onnx")}), "missing.onnx");
  expect_user_error(run_cli({"info", file("empty.onnx", "")}), "empty.onnx");
  expect_user_error(run_cli({"info", file("half.onnx", model_bytes.substr(0, model_bytes.size() / 2))}),
                    "half.onnx");
  std::mt19937 rng(1);
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise += static_cast<char>(rng() & 0xFF);
  expect_user_error(run_cli({"info", file("noise.onnx", noise)}), "noise.onnx");
  expect_user_error(run_cli({"run", file("noise2.onnx", noise), "--input", testing::kDefaultModel}),
                    "noise2.onnx");
  expect_user_error(run_cli({"info", file("model.txt", "hello")}), "model.txt");
}

TEST_F(CliTest, BadInputsAreUserErrors) {
  const std::string good = path("good.npy");
  write_npy(good, Tensor(ElementType::kF32, {2, 1, 28, 28}));
  const std::string wrong_shape = path("wrong_shape.npy");
  write_npy(wrong_shape, Tensor(ElementType::kF32, {1, 3, 28, 28}));
  const std::string wrong_type = path("wrong_type.npy");
  write_npy(wrong_type, Tensor(ElementType::kI32, {1, 1, 28, 28}));

  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", wrong_shape}), "[1,3,28,28]");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", wrong_type}), "i32");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", "nope=" + good}), "nope");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", good, "--input", good}),
                    "unnamed inputs");
  expect_user_error(run_cli({"run", testing::kDefaultModel}), "--input");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", path("absent.npy")}), "absent.npy");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", file("empty.npy", "")}), "empty.npy");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", file("junk.npy", "\x93NUMPY junk")}),
                    "junk.npy");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input", file("values.txt", "1 2 3")}),
                    "values.txt");
  // An image for a 1-channel model: the preprocessed [1,3,28,28] tensor does not fit.
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--image",
                             std::string(OCTET_SOURCE_DIR) + "/tests/io/data/rgb.jpg"}),
                    "[1,3,28,28]");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--image", path("absent.png")}), "absent.png");
  // An image passed as a tensor (by its name, in any case; it is not opened): the error points to --image.
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--input",
                             std::string(OCTET_SOURCE_DIR) + "/tests/io/data/rgb.JPG"}),
                    "--image");
  expect_user_error(run_cli({"run", testing::kDefaultModel, "--image", good, "--color", "xyz"}), "--color");
}

TEST_F(CliTest, DemoClassifiesTheTestSet) {
  if (!fs::exists(testing::kFashionMnistDir)) GTEST_SKIP() << "dataset-fashion-mnist absent";
  const CliResult r = run_cli({"demo", "--limit", "100", "--batch", "50"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("accuracy"), std::string::npos) << r.output;
  // PyTorch (the FashionCnn with this file's weights) gets 91 of the first 100 test images right.
  EXPECT_NE(r.output.find("(91/100)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Ankle boot"), std::string::npos) << r.output;  // image 0 is an ankle boot
  expect_user_error(run_cli({"demo", "--data", path("nowhere")}), "nowhere");
  expect_user_error(run_cli({"demo", "--model", path("nowhere.onnx"), "--limit", "1"}), "nowhere.onnx");
}

}  // namespace
}  // namespace octet
