// The whole CPU pass pipeline on every ONNX model under shared/models: the optimized graph gives the same
// outputs as the graph as read (rtol 1e-4, on the model's first stored test input), and no
// BatchNormalization is left. shared/ is found as in tests/e2e/shared_models_test.cpp; skipped without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "frontends/model_reader.h"
#include "passes/pipeline.h"
#include "tests/frontends/onnx_test_data.h"
#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

fs::path shared_models_dir() {
  if (const char* dir = std::getenv("OCTET_SHARED_DIR")) return fs::path(dir) / "models";
  return fs::path(OCTET_SOURCE_DIR) / ".." / "shared" / "models";
}

std::vector<fs::path> shared_onnx_models() {
  std::vector<fs::path> models;
  std::error_code ec;
  const fs::path root = shared_models_dir();
  if (!fs::is_directory(root, ec)) return models;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".onnx") models.push_back(it->path());
  }
  std::sort(models.begin(), models.end());
  return models;
}

std::string param_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = fs::relative(info.param, shared_models_dir()).replace_extension().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class PipelineSharedModelsTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(PipelineSharedModelsTest, OptimizedGraphMatchesTheGraphAsRead) {
  const fs::path& model = GetParam();
  const std::vector<fs::path> data_sets =
      testing::test_data_sets(fs::path(model).replace_extension(".testdata"));
  if (data_sets.empty()) GTEST_SKIP() << "no test data beside " << model;
  const std::vector<Tensor> inputs = testing::read_numbered_tensors(data_sets[0], "input");

  // The stored inputs fix the dynamic dims (the runtime compiles static shapes).
  LoadOptions options;
  Graph original = read_model(model.string());
  ASSERT_EQ(inputs.size(), original.inputs().size());
  TensorMap feed;
  for (size_t i = 0; i < inputs.size(); ++i) {
    options.input_shapes[original.inputs()[i]->name()] = inputs[i].dims();
    feed[original.inputs()[i]->name()] = inputs[i];
  }
  original = read_model(model.string(), options);
  Graph optimized = read_model(model.string(), options);
  PassContext context;
  context.dump_folder.clear();
  run_cpu_graph_passes(optimized, context);

  std::cout << model.filename().string() << ": " << original.node_count() << " -> " << optimized.node_count()
            << " nodes;";
  for (const auto& [pass, count] : context.pass_counts) std::cout << " " << pass << "=" << count;
  std::cout << "\n";
  EXPECT_EQ(test::count_op(optimized, "BatchNormalization"), 0u);
  EXPECT_EQ(test::count_op(optimized, "Identity"), 0u);
  EXPECT_LE(optimized.node_count(), original.node_count());
  for (const Node* node : optimized.nodes()) EXPECT_FALSE(context.was_removed(node->name())) << node->label();
  test::expect_same_outputs(original, optimized, feed, {1e-5, 1e-4});
}

INSTANTIATE_TEST_SUITE_P(Models, PipelineSharedModelsTest, ::testing::ValuesIn(shared_onnx_models()),
                         param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PipelineSharedModelsTest);

}  // namespace
}  // namespace octet
