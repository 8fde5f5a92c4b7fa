// The whole quantizer on the repo's default model (Fashion-MNIST CNN) with real data: calibration on training
// images, evaluation on test images. Oracles: the fp32 model's accuracy on the same images, the reference
// executor running the quantized model with FakeQuantize simulated in f32, and a re-evaluation of the graph
// accuracy control hands back.
#include "quantization/quantizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "evaluation/evaluate_model.h"
#include "frontends/model_reader.h"
#include "frontends/onnx/onnx_writer.h"
#include "frontends/openvino_ir/ir_writer.h"
#include "graph/graph_clone.h"
#include "io/idx_dataset.h"
#include "io/tensor_file.h"
#include "ops/shape_inference.h"
#include "quantization/graph_runner.h"
#include "reference/reference_executor.h"
#include "tests/passes/pass_test_support.h"

namespace octet::quantization {
namespace {

namespace fs = std::filesystem;
const std::string kDataDir = "/usr/share/datasets/fashion-mnist";
const std::string kModel = std::string(OCTET_SOURCE_DIR) + "/models/fashion_mnist_cnn.onnx";

// Images normalized as the model was trained (tools/fashion_mnist_demo.h), [count,1,28,28] from `first`.
Tensor normalized_images(const LabeledImages& set, int64_t first, int64_t count) {
  Tensor batch(ElementType::kF32, {count, 1, 28, 28});
  const uint8_t* pixels = set.images.data<uint8_t>() + first * 28 * 28;
  for (int64_t i = 0; i < count * 28 * 28; ++i)
    batch.data<float>()[i] = (static_cast<float>(pixels[i]) / 255.0f - 0.2860f) / 0.3530f;
  return batch;
}

class QuantizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kDataDir)) GTEST_SKIP() << "dataset-fashion-mnist absent";
    dir_ = fs::temp_directory_path() / ("octet_quantizer_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const LabeledImages train = read_fashion_mnist_set(kDataDir, "train");
    write_npy(path("calibration.npy"), normalized_images(train, 0, 100));
    // Test images with labels: a list file of one .npy per image.
    const LabeledImages test = read_fashion_mnist_test_set(kDataDir);
    fs::create_directories(dir_ / "test");
    std::ofstream list(path("test.txt"));
    for (int64_t i = 0; i < 300; ++i) {
      const std::string file = "test/" + std::to_string(i) + ".npy";
      write_npy(path(file), normalized_images(test, i, 1));
      list << file << "\t" << int{test.labels.data<uint8_t>()[i]} << "\n";
    }
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(QuantizerTest, DefaultModelRunsInInt8WithinOnePointOfFp32) {
  const Graph model = read_model(kModel);
  const dataset::Dataset calibration = dataset::Dataset::open(path("calibration.npy"), {});
  const dataset::Dataset test = dataset::Dataset::open(path("test.txt"), {});
  const QuantizationResult result = quantize_model(model, calibration, calibration, {});
  EXPECT_EQ(result.report.calibration_samples, 100u);
  EXPECT_EQ(result.report.weights.size(), 4u);  // three convolutions and the classifier
  // The written model keeps the dynamic batch of the original.
  EXPECT_FALSE(result.graph.inputs()[0]->shape().is_static());

  evaluation::EvaluationOptions options;
  options.top_k = 1;
  options.compile.num_threads = 2;
  options.compile.profiling = true;
  options.compile.precision = InferencePrecision::kF32;
  const double fp32 = evaluation::evaluate_model(model_from_graph(model), test, options).value("top1");
  options.compile.precision = InferencePrecision::kModel;
  const evaluation::EvaluationResult int8 =
      evaluation::evaluate_model(model_from_graph(result.graph), test, options);
  EXPECT_GT(fp32, 0.85);
  EXPECT_NEAR(int8.value("top1"), fp32, 0.01);

  // Every multiply-accumulate runs in an int8 kernel.
  Graph static_graph = clone_graph(result.graph);
  static_graph.inputs()[0]->set_shape(Shape(Dims{1, 1, 28, 28}));
  infer_shapes(static_graph);
  CompileConfig config;
  config.num_threads = 2;
  config.profiling = true;
  InferRequest request = Core().compile_model(model_from_graph(static_graph), config).create_infer_request();
  request.set_input_tensor(test.load(0, *static_graph.inputs()[0]));
  request.infer();
  int convolutions = 0;
  for (const ProfilingInfo& row : request.get_profiling_info()) {
    if (row.status != ProfilingInfo::Status::kExecuted) continue;
    if (row.node_type == "QLinearConv" || row.node_type == "QGemm") {
      ++convolutions;
      EXPECT_TRUE(row.exec_type.ends_with("_I8")) << row.node_name << " " << row.exec_type;
    }
    EXPECT_NE(row.node_type, "Conv") << row.node_name << " stayed fp32";
  }
  EXPECT_EQ(convolutions, 4);

  // The int8 runtime agrees with the reference executor simulating the FakeQuantize graph in f32.
  const ReferenceExecutor reference(static_graph);
  const std::vector<std::vector<float>> runtime =
      first_outputs(static_graph, test, 100, 2, InferencePrecision::kModel);
  int agree = 0;
  for (size_t i = 0; i < runtime.size(); ++i) {
    const Tensor expected =
        reference.run({{static_graph.inputs()[0]->name(), test.load(i, *static_graph.inputs()[0])}})
            .at(static_graph.outputs()[0]->name());
    const auto argmax = [](const float* v, size_t n) { return std::max_element(v, v + n) - v; };
    agree += argmax(expected.data<float>(), 10) == argmax(runtime[i].data(), 10);
  }
  EXPECT_GE(agree, 99);
}

// A model with two inputs (an embedding index, i64, and features, f32), calibrated from NAME=SOURCE data:
// both inputs are fed from their own .npy file, the fully connected layer is quantized, and the int8 model
// stays close to fp32 on the calibration rows (the oracle: the fp32 model through the same runner).
TEST(QuantizerMultiInputTest, NamedSourcesCalibrateEveryInput) {
  Graph model;
  Value* index = model.add_input("index", ElementType::kI64, Shape({kDynamicDim}));
  Value* features = model.add_input("features", ElementType::kF32, Shape({kDynamicDim, 8}));
  Value* table = model.add_constant("table", test::random_f32({16, 8}, 1));
  Value* embedded = model.add_node("Gather", "embed", {table, index}, {"embedded"})->output(0);
  Value* sum = model.add_node("Add", "sum", {embedded, features}, {"sum"})->output(0);
  Value* fc = model
                  .add_node("Gemm", "fc",
                            {sum, model.add_constant("w", test::random_f32({8, 4}, 2)),
                             model.add_constant("b", test::random_f32({4}, 3))},
                            {"logits"})
                  ->output(0);
  model.add_output(fc);
  infer_shapes(model);

  const fs::path dir = fs::temp_directory_path() / ("octet_multi_input_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<int64_t> indices(40 * 3);
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<int64_t>((i * 7) % 16);
  write_npy((dir / "index.npy").string(), Tensor::from_vector<int64_t>({40, 3}, indices));
  write_npy((dir / "features.npy").string(), test::random_f32({40, 3, 8}, 4));
  const dataset::Dataset data = dataset::Dataset::open(
      "index=" + (dir / "index.npy").string() + ",features=" + (dir / "features.npy").string(), {});
  const QuantizationResult result = quantize_model(model, data, data, {});
  EXPECT_EQ(result.report.calibration_samples, 40u);
  ASSERT_EQ(result.report.weights.size(), 1u);
  EXPECT_EQ(result.report.weights[0].node, "fc");
  // The written model keeps the inputs' dynamic dims.
  EXPECT_FALSE(result.graph.inputs()[0]->shape().is_static());
  EXPECT_FALSE(result.graph.inputs()[1]->shape().is_static());

  Graph fp32 = clone_graph(model), int8 = clone_graph(result.graph);
  for (Graph* g : {&fp32, &int8}) {
    g->inputs()[0]->set_shape(Shape({3}));
    g->inputs()[1]->set_shape(Shape({3, 8}));
    infer_shapes(*g);
  }
  const auto expected = first_outputs(fp32, data, 40, 2, InferencePrecision::kF32);
  const auto actual = first_outputs(int8, data, 40, 2, InferencePrecision::kModel);
  EXPECT_LT(normalized_output_error(actual, expected), 1e-3);
  fs::remove_all(dir);
}

TEST_F(QuantizerTest, WrittenModelsReadBackAndAreBitIdenticalAcrossRuns) {
  const Graph model = read_model(kModel);
  const dataset::Dataset calibration = dataset::Dataset::open(path("calibration.npy"), {});
  // Same file names in two folders (the IR names the network after its file).
  const auto write_both = [&](const std::string& folder) {
    const QuantizationResult result = quantize_model(model, calibration, calibration, {});
    fs::create_directories(dir_ / folder);
    write_onnx(result.graph, path(folder + "/model.onnx"));
    write_openvino_ir(result.graph, path(folder + "/model.xml"));
    return clone_graph(result.graph);
  };
  const Graph first = write_both("a");
  write_both("b");
  const auto bytes = [&](const std::string& name) {
    std::ifstream in(path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (const std::string ext : {".onnx", ".xml", ".bin"}) {
    EXPECT_EQ(bytes("a/model" + ext), bytes("b/model" + ext))
        << ext << " differs between two runs on the same data";
  }
  // Both files give the in-memory model's simulated outputs.
  Graph in_memory = clone_graph(first);
  in_memory.inputs()[0]->set_shape(Shape(Dims{2, 1, 28, 28}));
  infer_shapes(in_memory);
  const LabeledImages test = read_fashion_mnist_test_set(kDataDir);
  const Tensor images = normalized_images(test, 0, 2);
  const std::string input = in_memory.inputs()[0]->name(), output = in_memory.outputs()[0]->name();
  const Tensor expected = ReferenceExecutor(in_memory).run({{input, images}}).at(output);
  for (const std::string name : {"a/model.onnx", "a/model.xml"}) {
    LoadOptions load;
    load.input_shapes[input] = {2, 1, 28, 28};
    const Graph read = read_model(path(name), load);
    const Tensor got = ReferenceExecutor(read).run({{input, images}}).at(output);
    ASSERT_EQ(got.element_count(), expected.element_count());
    for (int64_t i = 0; i < got.element_count(); ++i)
      EXPECT_NEAR(got.data<float>()[i], expected.data<float>()[i], 1e-5) << name << " element " << i;
  }
}

TEST_F(QuantizerTest, AccuracyControlRevertsLayersAndReportsTheMetricItReached) {
  const Graph model = read_model(kModel);
  const dataset::Dataset calibration = dataset::Dataset::open(path("calibration.npy"), {});
  // No labels: the metric is top-1 agreement with the fp32 model. Ranges at the 55th percentile clip most
  // activations, so the quantized model disagrees often and layers must go back to fp32.
  QuantizeOptions options;
  options.activation_estimator = RangeEstimator::kPercentile;
  options.percentile = 55;
  options.accuracy.max_drop = 0.02;
  options.accuracy.ranking_subset = 20;
  options.accuracy.max_reverted = 2;
  options.num_threads = 2;
  const QuantizationResult result = quantize_model(model, calibration, calibration, options);
  const AccuracyControlResult& control = result.report.accuracy;
  EXPECT_EQ(control.metric, "agreement");
  EXPECT_EQ(control.fp32, 1.0);
  EXPECT_EQ(control.count, 100u);
  ASSERT_LT(control.initial, 0.98) << "the clipped model should disagree with fp32";
  EXPECT_EQ(control.sensitivity.size(), result.report.layers.size());
  ASSERT_FALSE(control.reverted.empty());
  EXPECT_LE(control.reverted.size(), 2u);
  // Reverted layers read fp32 weights again.
  Graph graph = clone_graph(result.graph);
  for (const RevertedLayer& layer : control.reverted) {
    const Node* node = graph.find_node(layer.node);
    ASSERT_NE(node, nullptr) << layer.node;
    for (const Value* in : node->inputs()) {
      const bool quantized = in && in->producer() && in->producer()->op_type() == "FakeQuantize";
      EXPECT_FALSE(quantized) << layer.node;
    }
  }
  // The final metric is what an independent evaluation of the returned graph gives.
  evaluation::EvaluationOptions eval;
  eval.top_k = 1;
  eval.compile.num_threads = 2;
  eval.compile.precision = InferencePrecision::kF32;
  const auto fp32 = evaluation::evaluate_model(model_from_graph(model), calibration, eval).predictions;
  eval.compile.precision = InferencePrecision::kModel;
  const auto int8 = evaluation::evaluate_model(model_from_graph(graph), calibration, eval).predictions;
  ASSERT_EQ(fp32.size(), int8.size());
  size_t same = 0;
  for (size_t i = 0; i < fp32.size(); ++i) same += fp32[i] == int8[i];
  EXPECT_DOUBLE_EQ(control.final, static_cast<double>(same) / static_cast<double>(fp32.size()));
}

TEST(QuantizeOptionsTest, JsonRoundTripAndErrors) {
  QuantizeOptions options;
  options.preset = Preset::kMixed;
  options.activation_estimator = RangeEstimator::kKlDivergence;
  options.ignored.names = {"conv1"};
  options.accuracy.max_drop = 0.01;
  options.accuracy.relative = true;
  const QuantizeOptions back = options_from_json(options_to_json(options));
  EXPECT_EQ(back.preset, Preset::kMixed);
  EXPECT_EQ(back.activation_estimator, RangeEstimator::kKlDivergence);
  EXPECT_EQ(back.ignored.names, std::vector<std::string>{"conv1"});
  EXPECT_DOUBLE_EQ(back.accuracy.max_drop, 0.01);
  EXPECT_TRUE(back.accuracy.relative);
  EXPECT_THROW(options_from_json({{"presett", "mixed"}}), Error);
  EXPECT_THROW(options_from_json({{"preset", "fast"}}), Error);
  EXPECT_THROW(options_from_json({{"max_drop", "one"}}), Error);
  EXPECT_THROW(options_from_json({{"percentile", 120}}), Error);
}

}  // namespace
}  // namespace octet::quantization
