// The OpenVINO IR writer: hand-built graphs of the translated ops round-trip through the IR reader with the
// same outputs (reference executor); equal constants share one blob; unsupported ops name the node; every
// shared ONNX model converts to IR and runs with the ONNX model's outputs; genuine IRs survive read -> write
// -> read. Outputs of a round trip are compared with max |a - b| <= 1e-5 (the translations reorder a few
// float operations: BatchNormalization as Multiply + Add, Gemm's beta folded into C).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "frontends/onnx/onnx_reader.h"
#include "frontends/openvino_ir/ir_reader.h"
#include "frontends/openvino_ir/ir_writer.h"
#include "ops/op_helpers.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"
#include "tests/frontends/ir_test_files.h"
#include "tests/frontends/onnx_test_data.h"
#include "tests/support/shared_models.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

constexpr double kRoundTripTolerance = 1e-5;

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("octet_ir_writer_" + std::to_string(::getpid())) / name;
  fs::create_directories(dir);
  return dir;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Tensor random_tensor(ElementType type, const Dims& dims, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t(ElementType::kF32, dims);
  for (float& v : t.values<float>()) v = dist(rng);
  OCTET_ASSERT(type == ElementType::kF32);
  return t;
}

Tensor constant_f32(const Dims& dims, uint32_t seed) {
  return random_tensor(ElementType::kF32, dims, seed);
}

TensorMap random_inputs(const Graph& graph, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  TensorMap feed;
  for (const Value* input : graph.inputs()) {
    EXPECT_EQ(input->type(), ElementType::kF32) << input->name();
    feed[input->name()] = random_tensor(ElementType::kF32, input->shape().static_dims(), seed++, lo, hi);
  }
  return feed;
}

// Runs both graphs on the same inputs (fed by position) and compares outputs by position.
void expect_same_outputs(const Graph& expected_graph, const Graph& actual_graph,
                         const TensorMap& feed_expected, double tolerance) {
  ASSERT_EQ(expected_graph.inputs().size(), actual_graph.inputs().size());
  ASSERT_EQ(expected_graph.outputs().size(), actual_graph.outputs().size());
  TensorMap feed_actual;
  for (size_t i = 0; i < expected_graph.inputs().size(); ++i) {
    Tensor t = feed_expected.at(expected_graph.inputs()[i]->name());
    const Value* in = actual_graph.inputs()[i];
    if (in->type() != t.type()) t = convert_tensor(t, in->type());
    feed_actual[in->name()] = t;
  }
  const TensorMap expected = ReferenceExecutor(expected_graph).run(feed_expected);
  const TensorMap actual = ReferenceExecutor(actual_graph).run(feed_actual);
  for (size_t k = 0; k < expected_graph.outputs().size(); ++k) {
    const Tensor& e = expected.at(expected_graph.outputs()[k]->name());
    const Tensor& a = actual.at(actual_graph.outputs()[k]->name());
    const testing::Comparison c = testing::compare_tensors(a, e, {tolerance, 0.0});
    EXPECT_TRUE(c.match) << "output " << k << ": " << c.reason << " (max abs diff " << c.max_abs_diff << ")";
  }
}

Graph round_trip(const Graph& graph, const std::string& name, IrVersion version = IrVersion::k11) {
  const fs::path xml = temp_dir(name) / "model.xml";
  write_openvino_ir(graph, xml.string(), version);
  return read_openvino_ir(xml.string());
}

// x [1,4,6,6] -> grouped Conv + bias -> BatchNormalization -> Clip(0, 0.5) -> MaxPool (ceil, with overhang)
// -> AveragePool (pads) -> GlobalAveragePool -> Flatten -> Gemm (transB, alpha, beta) -> Softmax.
Graph cnn_graph() {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({1, 4, 6, 6}));
  Node* conv = g.add_node(
      "Conv", "conv",
      {x, g.add_constant("w", constant_f32({6, 2, 3, 3}, 1)), g.add_constant("b", constant_f32({6}, 2))},
      {"c"}, {{"group", int64_t{2}}, {"pads", std::vector<int64_t>{1, 0, 1, 2}}});
  Tensor var = random_tensor(ElementType::kF32, {6}, 3, 0.5f, 2.0f);
  Node* bn = g.add_node("BatchNormalization", "bn",
                        {conv->output(0), g.add_constant("scale", constant_f32({6}, 4)),
                         g.add_constant("shift", constant_f32({6}, 5)),
                         g.add_constant("mean", constant_f32({6}, 6)), g.add_constant("var", var)},
                        {"n"});
  Node* clip = g.add_node("Clip", "clip",
                          {bn->output(0), g.add_constant("lo", Tensor::scalar<float>(0.0f)),
                           g.add_constant("hi", Tensor::scalar<float>(0.5f))},
                          {"r"});
  Node* pool = g.add_node("MaxPool", "pool", {clip->output(0)}, {"p"},
                          {{"kernel_shape", std::vector<int64_t>{3, 3}},
                           {"strides", std::vector<int64_t>{2, 2}},
                           {"ceil_mode", int64_t{1}}});
  Node* avg = g.add_node("AveragePool", "avg", {pool->output(0)}, {"a"},
                         {{"kernel_shape", std::vector<int64_t>{2, 2}},
                          {"pads", std::vector<int64_t>{1, 1, 0, 0}},
                          {"count_include_pad", int64_t{0}}});
  Node* gap = g.add_node("GlobalAveragePool", "gap", {avg->output(0)}, {"gp"});
  Node* flat = g.add_node("Flatten", "flat", {gap->output(0)}, {"f"});
  Node* gemm = g.add_node("Gemm", "gemm",
                          {flat->output(0), g.add_constant("fc_w", constant_f32({5, 6}, 7)),
                           g.add_constant("fc_b", constant_f32({5}, 8))},
                          {"logits"}, {{"transB", int64_t{1}}, {"alpha", 0.5f}, {"beta", 2.0f}});
  Node* softmax = g.add_node("Softmax", "softmax", {gemm->output(0)}, {"prob"}, {{"axis", int64_t{-1}}});
  g.add_output(softmax->output(0));
  g.add_output(clip->output(0));
  infer_shapes(g);
  return g;
}

TEST(OpenVinoIrWriterTest, CnnOpsRoundTripThroughTheReader) {
  const Graph graph = cnn_graph();
  const Graph back = round_trip(graph, "cnn");
  expect_same_outputs(graph, back, random_inputs(graph, 11), kRoundTripTolerance);
  EXPECT_EQ(back.outputs()[0]->name(), "prob");
}

TEST(OpenVinoIrWriterTest, WritesOpenVinoSpellings) {
  const fs::path xml = temp_dir("spellings") / "model.xml";
  write_openvino_ir(cnn_graph(), xml.string());
  const std::string text = read_text(xml);
  for (const char* expected :
       {"<net name=\"model\" version=\"11\"", "type=\"GroupConvolution\"", "type=\"Clamp\"",
        "type=\"MatMul\"", "type=\"SoftMax\"", "type=\"Parameter\"", "type=\"Result\"", "names=\"prob\"",
        "auto_pad=\"explicit\"", "min=\"0\" max=\"0.5\""})
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  // Ops with other IR spellings do not leak through.
  for (const char* absent :
       {"type=\"Conv\"", "type=\"Gemm\"", "type=\"BatchNormalization\"", "type=\"Clip\""})
    EXPECT_EQ(text.find(absent), std::string::npos) << absent;
}

TEST(OpenVinoIrWriterTest, WritesVersion10WithoutTensorNames) {
  const fs::path xml = temp_dir("v10") / "model.xml";
  const Graph graph = cnn_graph();
  write_openvino_ir(graph, xml.string(), IrVersion::k10);
  const std::string text = read_text(xml);
  EXPECT_NE(text.find("version=\"10\""), std::string::npos);
  EXPECT_EQ(text.find("names="), std::string::npos);
  expect_same_outputs(graph, read_openvino_ir(xml.string()), random_inputs(graph, 5), kRoundTripTolerance);
}

// x -> FakeQuantize (per-channel limits, levels 256) -> Conv with FakeQuantize'd weights (levels 255).
TEST(OpenVinoIrWriterTest, FakeQuantizeStaysFakeQuantize) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({1, 3, 5, 5}));
  const std::vector<float> lo{-1.0f, -0.5f, -0.25f}, hi{1.0f, 0.5f, 0.75f};
  Value* il = g.add_constant("il", Tensor::from_vector<float>({1, 3, 1, 1}, lo));
  Value* ih = g.add_constant("ih", Tensor::from_vector<float>({1, 3, 1, 1}, hi));
  Node* fq = g.add_node("FakeQuantize", "fq", {x, il, ih, il, ih}, {"xq"}, {{"levels", int64_t{256}}});
  Value* wl = g.add_constant("wl", Tensor::scalar<float>(-0.5f));
  Value* wh = g.add_constant("wh", Tensor::scalar<float>(0.5f));
  Node* wq =
      g.add_node("FakeQuantize", "wq", {g.add_constant("w", constant_f32({2, 3, 3, 3}, 9)), wl, wh, wl, wh},
                 {"w_q"}, {{"levels", int64_t{255}}});
  Node* conv = g.add_node("Conv", "conv", {fq->output(0), wq->output(0)}, {"y"});
  g.add_output(conv->output(0));
  infer_shapes(g);
  const fs::path xml = temp_dir("fq") / "model.xml";
  write_openvino_ir(g, xml.string());
  const std::string text = read_text(xml);
  EXPECT_NE(text.find("type=\"FakeQuantize\""), std::string::npos);
  EXPECT_NE(text.find("levels=\"255\""), std::string::npos);
  const Graph back = read_openvino_ir(xml.string());
  expect_same_outputs(g, back, random_inputs(g, 21, -1.5f, 1.5f), 0.0);
}

// Two weights with the same bytes are one blob in the .bin; different bytes are two.
TEST(OpenVinoIrWriterTest, EqualConstantsShareOneBlob) {
  for (bool equal : {true, false}) {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape({1, 4}));
    const Tensor a = constant_f32({4}, 1);
    const Tensor b = equal ? a.clone() : constant_f32({4}, 2);
    Node* add = g.add_node("Add", "add", {x, g.add_constant("a", a)}, {"s"});
    Node* mul = g.add_node("Mul", "mul", {add->output(0), g.add_constant("b", b)}, {"y"});
    g.add_output(mul->output(0));
    infer_shapes(g);
    const fs::path dir = temp_dir(equal ? "dedup_equal" : "dedup_different");
    write_openvino_ir(g, (dir / "m.xml").string());
    EXPECT_EQ(fs::file_size(dir / "m.bin"), equal ? 16u : 32u);
    expect_same_outputs(g, read_openvino_ir((dir / "m.xml").string()), random_inputs(g, 3), 0.0);
  }
}

TEST(OpenVinoIrWriterTest, UnsupportedOpNamesTheNode) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({4}));
  Node* q =
      g.add_node("QuantizeLinear", "quant_me", {x, g.add_constant("s", Tensor::scalar<float>(0.1f))}, {"q"});
  g.add_output(q->output(0));
  infer_shapes(g);
  try {
    write_openvino_ir(g, (temp_dir("unsupported") / "m.xml").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("quant_me"), std::string::npos) << e.what();
  }
}

TEST(OpenVinoIrWriterTest, RejectsAnOutputNameWithoutXmlExtension) {
  const Graph graph = cnn_graph();
  try {
    write_openvino_ir(graph, (temp_dir("ext") / "m.onnx").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
}

// --- shared models ---

class SharedOnnxToIrTest : public ::testing::TestWithParam<fs::path> {};

// The ONNX model and its IR agree on the first stored test input (max abs diff <= 1e-5).
TEST_P(SharedOnnxToIrTest, IrHasTheOnnxOutputs) {
  const fs::path& model = GetParam();
  const Graph onnx = read_onnx_model(model.string());
  const Graph ir = round_trip(onnx, model.stem().string());
  const fs::path test_dir = fs::path(model).replace_extension(".testdata");
  const auto sets = testing::test_data_sets(test_dir);
  if (sets.empty()) GTEST_SKIP() << "no test data in " << test_dir;
  const std::vector<Tensor> inputs = testing::read_numbered_tensors(sets[0], "input");
  ASSERT_EQ(inputs.size(), onnx.inputs().size());
  TensorMap feed;
  for (size_t k = 0; k < inputs.size(); ++k) feed[onnx.inputs()[k]->name()] = inputs[k];
  expect_same_outputs(onnx, ir, feed, kRoundTripTolerance);
}

INSTANTIATE_TEST_SUITE_P(SharedModels, SharedOnnxToIrTest, ::testing::ValuesIn(testing::shared_onnx_models()),
                         testing::shared_model_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SharedOnnxToIrTest);

std::vector<fs::path> genuine_irs() {
  std::vector<fs::path> irs;
  std::error_code ec;
  const fs::path root = testing::shared_models_dir() / "openvino";
  if (!fs::is_directory(root, ec)) return irs;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".xml") irs.push_back(it->path());
  std::sort(irs.begin(), irs.end());
  return irs;
}

// read -> write -> read: identical outputs on random 0..255 inputs (the models take raw pixel values).
void expect_ir_round_trip(const fs::path& xml) {
  SCOPED_TRACE(xml.string());
  const Graph original = read_openvino_ir(xml.string(), octet::testing::reduced_input_options(xml));
  const Graph back = round_trip(original, xml.parent_path().filename().string() + "_" + xml.stem().string());
  TensorMap feed;
  uint32_t seed = 1;
  for (const Value* input : original.inputs()) {
    Tensor t = random_tensor(ElementType::kF32, input->shape().static_dims(), seed++, 0.0f, 255.0f);
    feed[input->name()] = input->type() == ElementType::kF32 ? t : convert_tensor(t, input->type());
  }
  expect_same_outputs(original, back, feed, 0.0);
}

TEST(OpenVinoIrWriterTest, GenuineIrsRoundTripSmall) {
  const fs::path root = testing::shared_models_dir() / "openvino";
  const fs::path models[] = {
      root / "landmarks-regression-retail-0009/FP16-INT8/landmarks-regression-retail-0009.xml",
      root / "age-gender-recognition-retail-0013/FP16-INT8/age-gender-recognition-retail-0013.xml"};
  for (const fs::path& xml : models) {
    if (!fs::exists(xml)) GTEST_SKIP() << xml << " is missing";
    expect_ir_round_trip(xml);
  }
}

// Every genuine IR (the super-resolution and segmentation models at the reduced input size the models test
// uses). Slow on purpose (under a minute in Release: every IR runs twice on the reference executor, including
// the SSD detectors for PriorBoxClustered / DetectionOutput); under ASan only the small classifiers run.
#if defined(__SANITIZE_ADDRESS__)
constexpr int64_t kMaxRoundTripInputElements = 20'000;
#else
constexpr int64_t kMaxRoundTripInputElements = 1'000'000;
#endif

TEST(OpenVinoIrWriterTest, GenuineIrsRoundTripAll) {
  const auto irs = genuine_irs();
  if (irs.empty()) GTEST_SKIP() << "no shared OpenVINO IRs";
  for (const fs::path& xml : irs) {
    const Graph probe = read_openvino_ir(xml.string(), octet::testing::reduced_input_options(xml));
    int64_t elements = 0;
    for (const Value* input : probe.inputs()) elements += element_count(input->shape().static_dims());
    if (elements > kMaxRoundTripInputElements) continue;
    expect_ir_round_trip(xml);
  }
}

}  // namespace
}  // namespace octet
