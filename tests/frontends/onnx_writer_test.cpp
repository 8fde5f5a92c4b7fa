// The ONNX writer: shared ONNX models read -> write -> read give bit-identical outputs; FakeQuantize becomes
// QuantizeLinear + DequantizeLinear where exact (same outputs up to 1e-6: the two formulas round the final
// product differently in the last bit), and is refused where not; OpenVINO-only ops are refused by name.
#include "frontends/onnx/onnx_writer.h"

#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "frontends/model_reader.h"
#include "frontends/onnx/onnx_reader.h"
#include "onnx/onnx.pb.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"
#include "tests/support/shared_models.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

Tensor random_f32(const Dims& dims, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t(ElementType::kF32, dims);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

Graph reread(const Graph& graph) {
  return read_onnx_model_from_bytes(write_onnx_to_bytes(graph), "");
}

std::vector<std::string> op_types(const Graph& graph) {
  std::vector<std::string> types;
  for (const Node* n : graph.topological_order()) types.push_back(n->op_type());
  return types;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.dims(), b.dims());
  double m = 0;
  for (int64_t i = 0; i < a.element_count() && i < b.element_count(); ++i)
    m = std::max(m, std::abs(a.value_as_double(i) - b.value_as_double(i)));
  return m;
}

class SharedOnnxRewriteTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(SharedOnnxRewriteTest, WrittenModelHasIdenticalOutputs) {
  const fs::path& model = GetParam();
  const Graph original = read_onnx_model(model.string());
  const Graph back = reread(original);
  ASSERT_EQ(back.inputs().size(), original.inputs().size());
  ASSERT_EQ(back.outputs().size(), original.outputs().size());
  const auto sets = testing::test_data_sets(fs::path(model).replace_extension(".testdata"));
  if (sets.empty()) GTEST_SKIP() << "no test data";
  const std::vector<Tensor> inputs = testing::read_numbered_tensors(sets[0], "input");
  TensorMap feed;
  for (size_t k = 0; k < inputs.size(); ++k) feed[original.inputs()[k]->name()] = inputs[k];
  const TensorMap expected = ReferenceExecutor(original).run(feed);
  const TensorMap actual = ReferenceExecutor(back).run(feed);
  for (const Value* out : original.outputs())
    EXPECT_EQ(max_abs_diff(actual.at(out->name()), expected.at(out->name())), 0.0) << out->name();
}

INSTANTIATE_TEST_SUITE_P(SharedModels, SharedOnnxRewriteTest,
                         ::testing::ValuesIn(testing::shared_onnx_models()), testing::shared_model_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SharedOnnxRewriteTest);

TEST(OnnxWriterTest, WritesOpset18TypesShapesAndCastTargets) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({kDynamicDim, 3}));
  Node* cast = g.add_node("Cast", "cast", {x}, {"xi"}, {{"to", std::string("i32")}});
  g.add_output(cast->output(0));
  infer_shapes(g);
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(write_onnx_to_bytes(g)));
  ASSERT_EQ(model.opset_import_size(), 1);
  EXPECT_EQ(model.opset_import(0).version(), 18);
  EXPECT_EQ(model.graph().node(0).attribute(0).i(), onnx::TensorProto::INT32);
  EXPECT_EQ(model.graph().input(0).type().tensor_type().shape().dim(1).dim_value(), 3);
  EXPECT_FALSE(model.graph().input(0).type().tensor_type().shape().dim(0).has_dim_value());
  EXPECT_EQ(model.graph().output(0).type().tensor_type().elem_type(), onnx::TensorProto::INT32);
  const Graph back = reread(g);
  EXPECT_EQ(back.outputs()[0]->type(), ElementType::kI32);
}

// x [1,3,4,4] -> FakeQuantize(levels 256, per-channel limits whose zero points are integral) -> y;
// weights (constant) -> FakeQuantize(levels 255, symmetric) -> Mul.
Graph fake_quantize_graph(const std::vector<float>& out_high) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({1, 3, 4, 4}));
  // scale = (ih - il) / 255 with il = -z * scale: z = 128, 0, 51.
  const std::vector<float> lo{-128.0f / 64, 0.0f, -51.0f / 32}, hi{127.0f / 64, 255.0f / 16, 204.0f / 32};
  Value* il = g.add_constant("il", Tensor::from_vector<float>({1, 3, 1, 1}, lo));
  Value* ih = g.add_constant("ih", Tensor::from_vector<float>({1, 3, 1, 1}, hi));
  Value* oh = g.add_constant("oh", Tensor::from_vector<float>({1, 3, 1, 1}, out_high));
  Node* fq = g.add_node("FakeQuantize", "fq_act", {x, il, ih, il, oh}, {"xq"}, {{"levels", int64_t{256}}});
  Value* wl = g.add_constant("wl", Tensor::scalar<float>(-127.0f / 100));
  Value* wh = g.add_constant("wh", Tensor::scalar<float>(127.0f / 100));
  Node* wq = g.add_node("FakeQuantize", "fq_w",
                        {g.add_constant("w", random_f32({3, 4, 4}, 3, -1.5f, 1.5f)), wl, wh, wl, wh}, {"wq"},
                        {{"levels", int64_t{255}}});
  Node* mul = g.add_node("Mul", "mul", {fq->output(0), wq->output(0)}, {"y"});
  g.add_output(mul->output(0));
  infer_shapes(g);
  return g;
}

TEST(OnnxWriterTest, FakeQuantizeBecomesExactQdq) {
  const Graph g = fake_quantize_graph({127.0f / 64, 255.0f / 16, 204.0f / 32});
  const Graph back = reread(g);
  const std::vector<std::string> expected{"DequantizeLinear", "QuantizeLinear", "DequantizeLinear", "Mul"};
  std::vector<std::string> types = op_types(back);
  std::sort(types.begin(), types.end());
  std::vector<std::string> sorted = expected;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(types, sorted);
  TensorMap feed{{"x", random_f32({1, 3, 4, 4}, 7, -8.0f, 8.0f)}};  // beyond every channel's range too
  const Tensor expected_y = ReferenceExecutor(g).run(feed).at("y");
  const Tensor actual_y = ReferenceExecutor(back).run(feed).at("y");
  EXPECT_LE(max_abs_diff(actual_y, expected_y), 1e-6);
  const Tensor expected_xq = ReferenceExecutor(g).run_all(feed).at("xq");
  const Tensor actual_xq = ReferenceExecutor(back).run_all(feed).at("xq");
  EXPECT_LE(max_abs_diff(actual_xq, expected_xq), 1e-6);
}

TEST(OnnxWriterTest, InexactFakeQuantizeIsRefusedByName) {
  const Graph g = fake_quantize_graph({1.0f, 2.0f, 3.0f});  // output range != input range
  try {
    write_onnx_to_bytes(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("fq_act"), std::string::npos) << e.what();
  }
}

TEST(OnnxWriterTest, OpenVinoOnlyOpIsRefusedByName) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({1, 4, 2, 2}));
  Node* n =
      g.add_node("NormalizeL2", "l2",
                 {x, g.add_constant("axes", Tensor::from_vector<int64_t>({1}, std::vector<int64_t>{1}))},
                 {"y"}, {{"eps", 1e-6f}, {"eps_mode", std::string("add")}});
  g.add_output(n->output(0));
  infer_shapes(g);
  try {
    write_onnx_to_bytes(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("NormalizeL2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("l2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace octet

namespace octet {
namespace {

// OpenVINO's u8 weight encoding (u8 Const -> Convert -> FakeQuantize levels 255 onto another range) and its
// 256-level activation FakeQuantizes, exported as DequantizeLinear weights and Q/DQ pairs: same outputs as
// the IR on random pixels (max |diff| <= 1e-6; measured 0 for age and 3e-8 for prob: the two formulas only
// differ in the last bit of the dequantized product, and no level flips on this seeded input).
TEST(OnnxWriterTest, GenuineInt8IrExportsAsQdq) {
  const fs::path xml =
      testing::shared_models_dir() /
      "openvino/age-gender-recognition-retail-0013/FP16-INT8/age-gender-recognition-retail-0013.xml";
  if (!fs::exists(xml)) GTEST_SKIP() << xml << " is missing";
  const Graph ir = read_model(xml.string());
  const Graph qdq = reread(ir);
  size_t quantize = 0;
  for (const std::string& type : op_types(qdq)) quantize += type == "QuantizeLinear";
  EXPECT_GT(quantize, 0u);
  TensorMap feed;
  for (const Value* input : ir.inputs())
    feed[input->name()] = random_f32(input->shape().static_dims(), 17, 0.0f, 255.0f);
  const TensorMap expected = ReferenceExecutor(ir).run(feed);
  const TensorMap actual = ReferenceExecutor(qdq).run(feed);
  for (const Value* out : ir.outputs()) {
    const double diff = max_abs_diff(actual.at(out->name()), expected.at(out->name()));
    std::cout << out->name() << ": max abs diff " << diff << "\n";
    EXPECT_LE(diff, 1e-6) << out->name();
  }
}

}  // namespace
}  // namespace octet
