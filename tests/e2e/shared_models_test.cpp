// Every ONNX model under shared/models loads, and for each <stem>.testdata/test_data_set_* the reference
// executor reproduces the stored outputs (ONNX Runtime's, see shared/README.md section 2) within
// atol 1e-5 + rtol 1e-3. One test per model. shared/ is $OCTET_SHARED_DIR, or the folder beside the source
// tree.
#include "tests/support/shared_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "frontends/onnx/onnx_reader.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
using testing::shared_model_test_name;
using testing::shared_onnx_models;

class SharedModelsTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(SharedModelsTest, MatchesReferenceOutputs) {
  const fs::path& model_path = GetParam();
  const Graph graph = read_onnx_model(model_path.string());
  const ReferenceExecutor executor(graph);
  const fs::path test_dir = fs::path(model_path).replace_extension(".testdata");
  const std::vector<fs::path> data_sets = testing::test_data_sets(test_dir);
  if (data_sets.empty()) GTEST_SKIP() << "loads; no test data in " << test_dir;

  for (const fs::path& data_set : data_sets) {
    SCOPED_TRACE(data_set.string());
    const std::vector<Tensor> inputs = testing::read_numbered_tensors(data_set, "input");
    const std::vector<Tensor> expected = testing::read_numbered_tensors(data_set, "output");
    ASSERT_EQ(inputs.size(), graph.inputs().size());
    ASSERT_EQ(expected.size(), graph.outputs().size());
    TensorMap feed;
    for (size_t k = 0; k < inputs.size(); ++k) feed[graph.inputs()[k]->name()] = inputs[k];
    const TensorMap outputs = executor.run(feed);
    for (size_t k = 0; k < expected.size(); ++k) {
      const std::string& name = graph.outputs()[k]->name();
      const testing::Comparison c = testing::compare_tensors(outputs.at(name), expected[k], {1e-5, 1e-3});
      std::cout << model_path.filename().string() << " " << data_set.filename().string() << " output '"
                << name << "': max abs diff " << c.max_abs_diff << "\n";
      EXPECT_TRUE(c.match) << "output " << k << " '" << name << "': " << c.reason << " (max abs diff "
                           << c.max_abs_diff << ")";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, SharedModelsTest, ::testing::ValuesIn(shared_onnx_models()),
                         shared_model_test_name);
// Without shared/ there is nothing to instantiate; that is not an error.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SharedModelsTest);

}  // namespace
}  // namespace octet
