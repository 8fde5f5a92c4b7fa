// Every ONNX model in shared/models, compiled for the CPU, gives the reference executor's outputs on its
// stored inputs within atol 1e-5 + rtol 1e-4 (the runtime issue's bar), and reports a counter row for every
// node.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "graph/graph.h"
#include "octet/core.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"
#include "tests/support/shared_models.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

class CpuSharedModelsTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(CpuSharedModelsTest, MatchesReferenceExecutor) {
  const fs::path& model_path = GetParam();
  const fs::path test_dir = fs::path(model_path).replace_extension(".testdata");
  const std::vector<fs::path> data_sets = testing::test_data_sets(test_dir);
  if (data_sets.empty()) GTEST_SKIP() << "no test data in " << test_dir;

  Core core;
  const std::shared_ptr<Model> model = core.read_model(model_path.string());
  CompileConfig config;
  config.profiling = true;
  InferRequest request;
  for (const fs::path& data_set : data_sets) {
    SCOPED_TRACE(data_set.string());
    // Input sizes differ between data sets (the OCR detector's): compile for each set's dims, as a user
    // would.
    const std::vector<Tensor> inputs = testing::read_numbered_tensors(data_set, "input");
    std::map<std::string, Dims> dims;
    TensorMap feed;
    for (size_t k = 0; k < inputs.size(); ++k) {
      dims[model->inputs()[k].name] = inputs[k].dims();
      feed[model->inputs()[k].name] = inputs[k];
    }
    model->reshape(dims);
    const CompiledModel compiled = core.compile_model(model, config);
    request = compiled.create_infer_request();
    for (size_t k = 0; k < inputs.size(); ++k) request.set_input_tensor(k, inputs[k]);
    request.infer();
    const TensorMap expected = ReferenceExecutor(model->graph()).run(feed);
    for (size_t k = 0; k < compiled.outputs().size(); ++k) {
      const std::string name = compiled.outputs()[k].name;
      const testing::Comparison c =
          testing::compare_tensors(request.get_output_tensor(k), expected.at(name), {1e-5, 1e-4});
      std::cout << model_path.filename().string() << " " << data_set.filename().string() << " output '"
                << name << "': max abs diff vs reference " << c.max_abs_diff << "\n";
      EXPECT_TRUE(c.match) << "output '" << name << "': " << c.reason;
    }
  }
  // Every node of the model has a counter row (executed, fused into another, or optimized out).
  std::set<std::string> rows;
  for (const ProfilingInfo& row : request.get_profiling_info()) rows.insert(row.node_name);
  for (const Node* node : model->graph().nodes())
    EXPECT_TRUE(rows.count(node->name())) << node->label() << " has no counter row";
}

INSTANTIATE_TEST_SUITE_P(Models, CpuSharedModelsTest, ::testing::ValuesIn(testing::shared_onnx_models()),
                         testing::shared_model_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CpuSharedModelsTest);

}  // namespace
}  // namespace octet
