// Every genuine OpenVINO IR under shared/models/openvino loads and runs on the reference executor, with
// finite outputs of the declared shapes. The 1080p super-resolution and 512x896 segmentation models run at a
// reduced input size (through LoadOptions, as `--shape` would) to keep the suite fast; they are fully
// convolutional, so the reduced run exercises every layer. shared/ is $OCTET_SHARED_DIR, or the folder beside
// the source tree; without it the tests are skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "frontends/openvino_ir/ir_reader.h"
#include "reference/reference_executor.h"
#include "tests/frontends/ir_test_files.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

fs::path openvino_models_dir() {
  if (const char* dir = std::getenv("OCTET_SHARED_DIR")) return fs::path(dir) / "models" / "openvino";
  return fs::path(OCTET_SOURCE_DIR) / ".." / "shared" / "models" / "openvino";
}

std::vector<fs::path> openvino_models() {
  std::vector<fs::path> models;
  std::error_code ec;
  const fs::path root = openvino_models_dir();
  if (!fs::is_directory(root, ec)) return {fs::path()};  // one placeholder case that skips
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".xml") models.push_back(it->path());
  }
  std::sort(models.begin(), models.end());
  return models;
}

// Pixel-like values 0..255 in a fixed pattern; the license plate model's sequence indicator is 0 then 1s.
Tensor input_for(const Value& input) {
  Tensor t(input.type(), input.shape().static_dims());
  if (input.type() != ElementType::kF32) return t;
  float* v = t.data<float>();
  if (input.name() == "seq_ind") {
    for (int64_t i = 0; i < t.element_count(); ++i) v[i] = i == 0 ? 0.0f : 1.0f;
    return t;
  }
  for (int64_t i = 0; i < t.element_count(); ++i) v[i] = static_cast<float>((i * 37 + i / 97) % 256);
  return t;
}

std::string param_name(const ::testing::TestParamInfo<fs::path>& info) {
  if (info.param.empty()) return "shared_folder_missing";
  std::string name = fs::relative(info.param, openvino_models_dir()).replace_extension().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class OpenVinoIrModelsTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(OpenVinoIrModelsTest, LoadsAndRuns) {
  if (GetParam().empty()) GTEST_SKIP() << "no shared/models/openvino folder";
  const Graph graph =
      read_openvino_ir(GetParam().string(), octet::testing::reduced_input_options(GetParam()));
  EXPECT_EQ(graph.metadata().at("format"), "openvino_ir");
  ASSERT_FALSE(graph.outputs().empty());
  TensorMap feed;
  for (const Value* input : graph.inputs()) feed[input->name()] = input_for(*input);
  const TensorMap outputs = ReferenceExecutor(graph).run(feed);
  for (const Value* output : graph.outputs()) {
    const Tensor& t = outputs.at(output->name());
    EXPECT_TRUE(output->shape().accepts(t.dims())) << output->name();
    int64_t non_finite = 0;
    for (int64_t i = 0; i < t.element_count(); ++i) non_finite += !std::isfinite(t.value_as_double(i));
    EXPECT_EQ(non_finite, 0) << output->name();
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, OpenVinoIrModelsTest, ::testing::ValuesIn(openvino_models()), param_name);

}  // namespace
}  // namespace octet
