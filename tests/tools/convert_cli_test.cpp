// `octet convert` end to end (env OCTET_CLI, else OCTET_BINARY_DIR/octet): ONNX -> IR -> ONNX keeps the
// outputs (reference executor, max |diff| <= 1e-5); a bad output extension and an unreadable input are user
// errors (exit 1) with a message that says what is wrong.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "frontends/model_reader.h"
#include "reference/reference_executor.h"
#include "tests/support/cli_runner.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

using testing::cli_path;
using testing::CliResult;
using testing::run_cli;

fs::path temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("octet_convert_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

TensorMap random_feed(const Graph& graph) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  TensorMap feed;
  for (const Value* input : graph.inputs()) {
    Dims dims = input->shape().dims();
    for (int64_t& d : dims) d = d == kDynamicDim ? 2 : d;  // a batch of 2 where the batch is dynamic
    Tensor t(ElementType::kF32, dims);
    for (float& v : t.values<float>()) v = dist(rng);
    feed[input->name()] = t;
  }
  return feed;
}

TEST(ConvertCliTest, OnnxToIrAndBackKeepsOutputs) {
  if (!fs::exists(testing::kDefaultModel)) GTEST_SKIP() << testing::kDefaultModel << " is missing";
  const fs::path dir = temp_dir();
  const fs::path xml = dir / "model.xml";
  const fs::path onnx = dir / "model_again.onnx";
  CliResult r = run_cli({"convert", testing::kDefaultModel, "--out", xml.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir / "model.bin"));
  r = run_cli({"convert", xml.string(), "--out", onnx.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_cli(
      {"convert", testing::kDefaultModel, "--out", (dir / "model_v10.xml").string(), "--ir-version", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.output;

  const Graph original = read_model(testing::kDefaultModel);
  const TensorMap feed = random_feed(original);
  const TensorMap expected = ReferenceExecutor(original).run(feed);
  for (const fs::path& path : {xml, onnx, dir / "model_v10.xml"}) {
    SCOPED_TRACE(path.string());
    const Graph converted = read_model(path.string());
    ASSERT_EQ(converted.inputs().size(), 1u);
    ASSERT_EQ(converted.outputs().size(), original.outputs().size());
    TensorMap converted_feed{{converted.inputs()[0]->name(), feed.begin()->second}};
    const TensorMap actual = ReferenceExecutor(converted).run(converted_feed);
    const Tensor& a = actual.at(converted.outputs()[0]->name());
    const Tensor& e = expected.at(original.outputs()[0]->name());
    ASSERT_EQ(a.dims(), e.dims());
    for (int64_t i = 0; i < a.element_count(); ++i)
      EXPECT_NEAR(a.value_as_double(i), e.value_as_double(i), 1e-5) << i;
  }
}

TEST(ConvertCliTest, BadOutputExtensionIsAUserError) {
  const CliResult r =
      run_cli({"convert", testing::kDefaultModel, "--out", (temp_dir() / "model.txt").string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("must end in .xml (OpenVINO IR) or .onnx"), std::string::npos) << r.output;
}

TEST(ConvertCliTest, UnreadableInputIsAUserError) {
  const std::string missing = (temp_dir() / "no_such_model.onnx").string();
  const CliResult r = run_cli({"convert", missing, "--out", (temp_dir() / "out.xml").string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no_such_model.onnx"), std::string::npos) << r.output;
}

TEST(ConvertCliTest, BadIrVersionIsAUserError) {
  const CliResult r = run_cli(
      {"convert", testing::kDefaultModel, "--out", (temp_dir() / "m.xml").string(), "--ir-version", "9"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--ir-version must be 10 or 11"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace octet
