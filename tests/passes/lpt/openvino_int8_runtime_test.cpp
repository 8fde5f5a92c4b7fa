// The low-precision passes through the runtime: an OpenVINO int8 IR compiled with the model's precision
// (int8 kernels where the passes made QOperator nodes) gives outputs close to the same model compiled with
// f32 precision (FakeQuantize simulated). Skipped when shared/ is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "octet/octet.h"
#include "tests/passes/pass_test_support.h"
#include "tests/support/shared_models.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

// The outputs, and how many executed nodes computed on 8-bit integers (exec type "..._I8").
std::vector<Tensor> run(const std::shared_ptr<Model>& model, InferencePrecision precision,
                        const Tensor& input, size_t& int8_nodes) {
  Core core;
  CompileConfig config;
  config.num_threads = 1;
  config.precision = precision;
  config.profiling = true;
  InferRequest request = core.compile_model(model, config).create_infer_request();
  request.set_input_tensor(input);
  request.infer();
  int8_nodes = 0;
  for (const ProfilingInfo& info : request.get_profiling_info())
    int8_nodes += info.exec_type.ends_with("_I8") && info.status == ProfilingInfo::Status::kExecuted;
  std::vector<Tensor> outputs;
  for (size_t i = 0; i < model->outputs().size(); ++i)
    outputs.push_back(request.get_output_tensor(i).clone());
  return outputs;
}

class OpenVinoInt8RuntimeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenVinoInt8RuntimeTest, ModelPrecisionMatchesSimulatedQuantization) {
  const fs::path path = testing::shared_models_dir() / "openvino" / GetParam();
  if (!fs::exists(path)) GTEST_SKIP() << "no " << path;
  Core core;
  const std::shared_ptr<Model> model = core.read_model(path.string());
  ASSERT_EQ(model->inputs().size(), 1u);
  const Tensor input = test::random_f32(model->inputs()[0].shape.static_dims(), 5, 0.0f, 255.0f);
  size_t int8_nodes = 0, f32_int8_nodes = 0;
  const std::vector<Tensor> int8 = run(model, InferencePrecision::kModel, input, int8_nodes);
  const std::vector<Tensor> f32 = run(model, InferencePrecision::kF32, input, f32_int8_nodes);
  EXPECT_GE(int8_nodes, 5u);
  EXPECT_EQ(f32_int8_nodes, 0u);
  ASSERT_EQ(int8.size(), f32.size());
  for (size_t o = 0; o < f32.size(); ++o) {
    double max_diff = 0.0, max_ref = 1.0;
    for (int64_t i = 0; i < f32[o].element_count(); ++i) {
      max_diff = std::max(max_diff, std::abs(int8[o].value_as_double(i) - f32[o].value_as_double(i)));
      max_ref = std::max(max_ref, std::abs(f32[o].value_as_double(i)));
    }
    EXPECT_LE(max_diff / max_ref, 0.05) << "output " << o;
  }
}

INSTANTIATE_TEST_SUITE_P(
    SharedModels, OpenVinoInt8RuntimeTest,
    ::testing::Values("vehicle-attributes-recognition-barrier-0039/FP16-INT8/"
                      "vehicle-attributes-recognition-barrier-0039.xml",
                      "head-pose-estimation-adas-0001/FP16-INT8-v11/head-pose-estimation-adas-0001.xml"),
    [](const ::testing::TestParamInfo<std::string>& model) {
      return model.param.substr(0, model.param.find('-')) + std::to_string(model.index);
    });

}  // namespace
}  // namespace octet
