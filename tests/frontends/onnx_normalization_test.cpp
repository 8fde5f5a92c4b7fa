// The per-opset rewrites of the ONNX frontend (frontends/onnx/normalize_*.cpp), checked on the imported graph
// structure before shape inference, so they do not depend on which ops are registered; plus one numeric check
// of the old Softmax coercion through the whole reader and the reference executor.
#include <gtest/gtest.h>

#include "frontends/onnx/graph_import.h"
#include "frontends/onnx/onnx_reader.h"
#include "octet/error.h"
#include "ops/op_registry.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_model_builder.h"

namespace octet {
namespace {

using onnx::TensorProto;
using testing::OnnxModelBuilder;
using testing::set_attribute;

Graph import_only(OnnxModelBuilder& builder, int64_t opset) {
  onnx_frontend::GraphImportSettings settings;
  settings.opsets = {{"", opset}};
  settings.skip_support_check = true;
  return onnx_frontend::import_graph(builder.model().graph(), settings);
}

Node* only_node(const Graph& graph, const std::string& op_type) {
  Node* found = nullptr;
  for (Node* node : graph.nodes()) {
    if (node->op_type() != op_type) continue;
    EXPECT_EQ(found, nullptr) << "more than one " << op_type;
    found = node;
  }
  EXPECT_NE(found, nullptr) << "no " << op_type << " node";
  return found;
}

std::vector<int64_t> constant_ints(const Node* node, size_t input) {
  EXPECT_TRUE(node->has_input(input));
  if (!node->has_input(input)) return {};
  EXPECT_TRUE(node->input(input)->is_constant());
  EXPECT_EQ(node->input(input)->type(), ElementType::kI64);
  return node->input(input)->constant().to_int64_vector();
}

float constant_scalar(const Node* node, size_t input) {
  EXPECT_TRUE(node->has_input(input) && node->input(input)->is_constant());
  EXPECT_EQ(node->input(input)->constant().element_count(), 1);
  return static_cast<float>(node->input(input)->constant().value_as_double(0));
}

TEST(OnnxNormalizationTest, SqueezeOpset11AxesAttributeBecomesInput) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {1, 3, 1}).output("y");
  set_attribute(b.node("Squeeze", {"x"}, {"y"}, "sq"), "axes", std::vector<int64_t>{0, 2});
  const Graph g = import_only(b, 11);
  const Node* sq = only_node(g, "Squeeze");
  EXPECT_EQ(sq->name(), "sq");
  EXPECT_FALSE(sq->has_attribute("axes"));
  EXPECT_EQ(constant_ints(sq, 1), (std::vector<int64_t>{0, 2}));
}

TEST(OnnxNormalizationTest, SqueezeOpset11WithoutAxesStaysWithoutAxes) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {1, 3, 1}).output("y");
  b.node("Squeeze", {"x"}, {"y"});
  const Graph g = import_only(b, 11);
  EXPECT_EQ(only_node(g, "Squeeze")->input_count(), 1u);
}

TEST(OnnxNormalizationTest, UnsqueezeOpset11AxesAttributeBecomesInput) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {3}).output("y");
  set_attribute(b.node("Unsqueeze", {"x"}, {"y"}), "axes", std::vector<int64_t>{-1});
  const Graph g = import_only(b, 11);
  EXPECT_EQ(constant_ints(only_node(g, "Unsqueeze"), 1), (std::vector<int64_t>{-1}));
}

TEST(OnnxNormalizationTest, ReduceMeanOpset13AxesAttributeBecomesInputButReduceSumAlreadyIsOne) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2, 3}).output("m").output("s");
  b.initializer("axes", Tensor::from_vector<int64_t>({1}, std::vector<int64_t>{0}));
  auto& mean = b.node("ReduceMean", {"x"}, {"m"});
  set_attribute(mean, "axes", std::vector<int64_t>{1});
  set_attribute(mean, "keepdims", int64_t{0});
  b.node("ReduceSum", {"x", "axes"}, {"s"});
  const Graph g = import_only(b, 13);
  const Node* m = only_node(g, "ReduceMean");
  EXPECT_EQ(constant_ints(m, 1), (std::vector<int64_t>{1}));
  EXPECT_EQ(m->attribute<int64_t>("keepdims"), 0);
  const Node* s = only_node(g, "ReduceSum");
  EXPECT_EQ(s->input(1)->name(), "axes");
}

TEST(OnnxNormalizationTest, SplitOpset11SplitAttributeBecomesInput) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {3}).output("a").output("b");
  set_attribute(b.node("Split", {"x"}, {"a", "b"}), "split", std::vector<int64_t>{1, 2});
  const Graph g = import_only(b, 11);
  const Node* split = only_node(g, "Split");
  EXPECT_EQ(constant_ints(split, 1), (std::vector<int64_t>{1, 2}));
  EXPECT_FALSE(split->has_attribute("num_outputs"));
}

TEST(OnnxNormalizationTest, SplitOpset13WithoutSizesGetsNumOutputs) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {6}).output("a").output("b").output("c");
  b.node("Split", {"x"}, {"a", "b", "c"});
  const Graph g = import_only(b, 13);
  EXPECT_EQ(only_node(g, "Split")->attribute<int64_t>("num_outputs"), 3);
}

TEST(OnnxNormalizationTest, ClipOpset6BoundsBecomeScalarInputs) {
  OnnxModelBuilder b(7);
  b.input("x", TensorProto::FLOAT, {4}).output("y").output("z");
  auto& both = b.node("Clip", {"x"}, {"y"}, "both");
  set_attribute(both, "min", 0.0f);
  set_attribute(both, "max", 6.0f);
  set_attribute(b.node("Clip", {"x"}, {"z"}, "upper"), "max", 1.5f);
  const Graph g = import_only(b, 7);
  const Node* clip = g.find_node("both");
  ASSERT_NE(clip, nullptr);
  EXPECT_EQ(clip->input(1)->type(), ElementType::kF32);
  EXPECT_EQ(clip->input(1)->constant().rank(), 0u);
  EXPECT_EQ(constant_scalar(clip, 1), 0.0f);
  EXPECT_EQ(constant_scalar(clip, 2), 6.0f);
  EXPECT_TRUE(clip->attributes().empty());
  const Node* upper = g.find_node("upper");
  EXPECT_FALSE(upper->has_input(1));  // no lower bound: omitted, as Clip-11 spells "unbounded"
  EXPECT_EQ(constant_scalar(upper, 2), 1.5f);
}

TEST(OnnxNormalizationTest, ClipOpset6OnFloat16InputGetsFloat16Bounds) {
  OnnxModelBuilder b(7);
  b.input("x", TensorProto::FLOAT16, {4}).output("y", TensorProto::FLOAT16);
  set_attribute(b.node("Clip", {"x"}, {"y"}), "max", 6.0f);
  const Graph g = import_only(b, 7);
  EXPECT_EQ(only_node(g, "Clip")->input(2)->type(), ElementType::kF16);
}

TEST(OnnxNormalizationTest, PadOpset2AttributesBecomeInputs) {
  OnnxModelBuilder b(10);
  b.input("x", TensorProto::FLOAT, {2, 2}).output("y").output("r");
  auto& pad = b.node("Pad", {"x"}, {"y"}, "constant_pad");
  set_attribute(pad, "pads", std::vector<int64_t>{0, 1, 0, 1});
  set_attribute(pad, "value", 2.5f);
  auto& reflect = b.node("Pad", {"x"}, {"r"}, "reflect_pad");
  set_attribute(reflect, "pads", std::vector<int64_t>{1, 0, 1, 0});
  set_attribute(reflect, "mode", std::string("reflect"));
  const Graph g = import_only(b, 10);
  const Node* c = g.find_node("constant_pad");
  EXPECT_EQ(constant_ints(c, 1), (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(constant_scalar(c, 2), 2.5f);
  const Node* r = g.find_node("reflect_pad");
  EXPECT_EQ(constant_ints(r, 1), (std::vector<int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(r->input_count(), 2u);
  EXPECT_EQ(r->attribute<std::string>("mode"), "reflect");
}

TEST(OnnxNormalizationTest, SliceOpset1AttributesBecomeInputs) {
  OnnxModelBuilder b(9);
  b.input("x", TensorProto::FLOAT, {4, 4}).output("y");
  auto& slice = b.node("Slice", {"x"}, {"y"});
  set_attribute(slice, "starts", std::vector<int64_t>{1});
  set_attribute(slice, "ends", std::vector<int64_t>{3});
  set_attribute(slice, "axes", std::vector<int64_t>{1});
  const Graph g = import_only(b, 9);
  const Node* s = only_node(g, "Slice");
  EXPECT_EQ(constant_ints(s, 1), (std::vector<int64_t>{1}));
  EXPECT_EQ(constant_ints(s, 2), (std::vector<int64_t>{3}));
  EXPECT_EQ(constant_ints(s, 3), (std::vector<int64_t>{1}));
  EXPECT_EQ(s->input_count(), 4u);
}

TEST(OnnxNormalizationTest, UpsampleOpset7BecomesAsymmetricFloorResize) {
  OnnxModelBuilder b(7);
  b.input("x", TensorProto::FLOAT, {1, 1, 2, 2}).output("y");
  set_attribute(b.node("Upsample", {"x"}, {"y"}, "up"), "scales", std::vector<float>{1, 1, 2, 3});
  const Graph g = import_only(b, 7);
  const Node* r = only_node(g, "Resize");
  EXPECT_EQ(r->name(), "up");
  EXPECT_FALSE(r->has_input(1));  // roi
  ASSERT_TRUE(r->has_input(2) && r->input(2)->is_constant());
  EXPECT_EQ(r->input(2)->type(), ElementType::kF32);
  EXPECT_EQ(r->input(2)->constant().value_as_double(3), 3.0);
  EXPECT_EQ(r->attribute<std::string>("mode"), "nearest");
  EXPECT_EQ(r->attribute<std::string>("coordinate_transformation_mode"), "asymmetric");
  EXPECT_EQ(r->attribute<std::string>("nearest_mode"), "floor");
  EXPECT_FALSE(r->has_attribute("scales"));
}

TEST(OnnxNormalizationTest, UpsampleOpset9LinearKeepsScalesInput) {
  OnnxModelBuilder b(9);
  b.input("x", TensorProto::FLOAT, {1, 1, 2, 2}).input("s", TensorProto::FLOAT, {4}).output("y");
  set_attribute(b.node("Upsample", {"x", "s"}, {"y"}), "mode", std::string("linear"));
  const Graph g = import_only(b, 9);
  const Node* r = only_node(g, "Resize");
  EXPECT_EQ(r->input(2)->name(), "s");
  EXPECT_EQ(r->attribute<std::string>("mode"), "linear");
  EXPECT_FALSE(r->has_attribute("nearest_mode"));
}

TEST(OnnxNormalizationTest, ResizeOpset10DownsamplingNearestRoundsUp) {
  OnnxModelBuilder b(10);
  b.input("x", TensorProto::FLOAT, {1, 1, 2, 4}).output("y");
  b.initializer("scales", Tensor::from_vector<float>({4}, std::vector<float>{1, 1, 0.6f, 0.6f}));
  b.node("Resize", {"x", "scales"}, {"y"});
  const Graph g = import_only(b, 10);
  const Node* r = only_node(g, "Resize");
  EXPECT_EQ(r->input(2)->name(), "scales");
  EXPECT_EQ(r->attribute<std::string>("coordinate_transformation_mode"), "asymmetric");
  EXPECT_EQ(r->attribute<std::string>("nearest_mode"), "ceil");
}

TEST(OnnxNormalizationTest, ResizeOpset11EmptyRoiAndScalesAreOmittedAndTfHalfPixelIsRewritten) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {1, 1, 4, 4}).output("y");
  b.initializer("roi", Tensor(ElementType::kF32, {0}));
  b.initializer("scales", Tensor(ElementType::kF32, {0}));
  b.initializer("sizes", Tensor::from_vector<int64_t>({4}, std::vector<int64_t>{1, 1, 3, 2}));
  set_attribute(b.node("Resize", {"x", "roi", "scales", "sizes"}, {"y"}), "coordinate_transformation_mode",
                std::string("tf_half_pixel_for_nn"));
  const Graph g = import_only(b, 11);
  const Node* r = only_node(g, "Resize");
  EXPECT_FALSE(r->has_input(1));
  EXPECT_FALSE(r->has_input(2));
  EXPECT_EQ(r->input(3)->name(), "sizes");
  EXPECT_EQ(r->attribute<std::string>("coordinate_transformation_mode"), "half_pixel");
  EXPECT_EQ(r->attribute<std::string>("nearest_mode"), "ceil");
}

TEST(OnnxNormalizationTest, SoftmaxOpset11OnUnknownRankIsCoercedThroughFlattenAndReshape) {
  OnnxModelBuilder b(11);
  b.input_without_shape("x", TensorProto::FLOAT).output("y");
  set_attribute(b.node("Softmax", {"x"}, {"y"}, "sm"), "axis", int64_t{1});
  const Graph g = import_only(b, 11);
  ASSERT_EQ(g.node_count(), 4u);
  const Node* flatten = only_node(g, "Flatten");
  const Node* softmax = only_node(g, "Softmax");
  const Node* shape = only_node(g, "Shape");
  const Node* reshape = only_node(g, "Reshape");
  EXPECT_EQ(flatten->input(0)->name(), "x");
  EXPECT_EQ(flatten->attribute<int64_t>("axis"), 1);
  EXPECT_EQ(softmax->name(), "sm");
  EXPECT_EQ(softmax->input(0), flatten->output(0));
  EXPECT_EQ(softmax->attribute<int64_t>("axis"), -1);
  EXPECT_EQ(shape->input(0)->name(), "x");
  EXPECT_EQ(reshape->input(0), softmax->output(0));
  EXPECT_EQ(reshape->input(1), shape->output(0));
  EXPECT_EQ(reshape->output(0)->name(), "y");
  ASSERT_EQ(g.outputs().size(), 1u);
  EXPECT_EQ(g.outputs()[0], reshape->output(0));
}

TEST(OnnxNormalizationTest, SoftmaxOpset11OverTheLastAxisNeedsNoCoercion) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {2, 5}).output("y");
  b.node("LogSoftmax", {"x"}, {"y"});  // default axis 1 = the last axis of a 2-D input
  const Graph g = import_only(b, 11);
  ASSERT_EQ(g.node_count(), 1u);
  EXPECT_EQ(only_node(g, "LogSoftmax")->attribute<int64_t>("axis"), -1);
}

TEST(OnnxNormalizationTest, SoftmaxOpset13IsKeptAsItIs) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2, 3, 4}).output("y");
  b.node("Softmax", {"x"}, {"y"});
  const Graph g = import_only(b, 13);
  ASSERT_EQ(g.node_count(), 1u);
  EXPECT_FALSE(only_node(g, "Softmax")->has_attribute("axis"));  // opset 13 default: -1
}

// Values from numpy: x = ((arange(24) % 7) - 3) * 0.5 reshaped to [2,3,4]; softmax of x.reshape(2, 12) along
// axis 1, reshaped back to [2,3,4] (what Softmax-11 with axis=1 means).
TEST(OnnxNormalizationTest, SoftmaxOpset11CoercionGivesTheOldNumbers) {
  for (const char* op : {"Flatten", "Softmax", "Shape", "Reshape"})
    if (!OpRegistry::instance().find(op)) GTEST_SKIP() << op << " is not registered yet";
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {2, 3, 4}).output("y");
  set_attribute(b.node("Softmax", {"x"}, {"y"}), "axis", int64_t{1});
  const Graph g = read_onnx_model_from_bytes(b.bytes(), "");
  const std::vector<float> x = {-1.5f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f,  1.5f,  -1.5f,
                                -1.0f, -0.5f, 0.0f,  0.5f, 1.0f, 1.5f,  -1.5f, -1.0f,
                                -0.5f, 0.0f,  0.5f,  1.0f, 1.5f, -1.5f, -1.0f, -0.5f};
  const std::vector<float> expected = {
      0.01498273f, 0.02470234f, 0.04072728f, 0.06714793f, 0.1107082f, 0.182527f,   0.3009361f,  0.01498273f,
      0.02470234f, 0.04072728f, 0.06714793f, 0.1107082f,  0.1398024f, 0.2304952f,  0.01147568f, 0.0189202f,
      0.03119413f, 0.05143042f, 0.08479443f, 0.1398024f,  0.2304952f, 0.01147568f, 0.0189202f,  0.03119413f};
  const TensorMap out = ReferenceExecutor(g).run({{"x", Tensor::from_vector<float>({2, 3, 4}, x)}});
  const Tensor& y = out.at("y");
  ASSERT_EQ(y.dims(), (Dims{2, 3, 4}));
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y.values<float>()[i], expected[i], 1e-6) << i;
}

TEST(OnnxNormalizationTest, ConstantNodesBecomeConstantValues) {
  OnnxModelBuilder b(13);
  b.output("t").output("f").output("fs").output("i", TensorProto::INT64).output("is", TensorProto::INT64);
  set_attribute(b.node("Constant", {}, {"t"}), "value",
                Tensor::from_vector<float>({2}, std::vector<float>{1, 2}));
  set_attribute(b.node("Constant", {}, {"f"}), "value_float", 0.5f);
  set_attribute(b.node("Constant", {}, {"fs"}), "value_floats", std::vector<float>{3, 4, 5});
  set_attribute(b.node("Constant", {}, {"i"}), "value_int", int64_t{7});
  set_attribute(b.node("Constant", {}, {"is"}), "value_ints", std::vector<int64_t>{8, 9});
  const Graph g = import_only(b, 13);
  EXPECT_EQ(g.node_count(), 0u);
  ASSERT_EQ(g.outputs().size(), 5u);
  for (const Value* v : g.outputs()) EXPECT_TRUE(v->is_constant()) << v->name();
  EXPECT_EQ(g.find_value("t")->constant().description(), "f32[2]");
  EXPECT_EQ(g.find_value("f")->constant().description(), "f32[]");
  EXPECT_EQ(g.find_value("f")->constant().value_as_double(0), 0.5);
  EXPECT_EQ(g.find_value("fs")->constant().value_as_double(2), 5.0);
  EXPECT_EQ(g.find_value("i")->constant().description(), "i64[]");
  EXPECT_EQ(g.find_value("is")->constant().to_int64_vector(), (std::vector<int64_t>{8, 9}));
}

TEST(OnnxNormalizationTest, CastTargetBecomesElementTypeName) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("y", TensorProto::FLOAT16);
  set_attribute(b.node("Cast", {"x"}, {"y"}), "to", int64_t{TensorProto::FLOAT16});
  const Graph g = import_only(b, 13);
  EXPECT_EQ(only_node(g, "Cast")->attribute<std::string>("to"), "f16");
}

TEST(OnnxNormalizationTest, CastToDoubleIsUnsupported) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("y", TensorProto::DOUBLE);
  set_attribute(b.node("Cast", {"x"}, {"y"}, "to_double"), "to", int64_t{TensorProto::DOUBLE});
  try {
    import_only(b, 13);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("to_double"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("DOUBLE"), std::string::npos) << e.what();
  }
}

TEST(OnnxNormalizationTest, DropoutWithUnusedMaskKeepsOneOutputAndRatioBecomesInput) {
  OnnxModelBuilder b(7);
  b.input("x", TensorProto::FLOAT, {2}).output("y");
  set_attribute(b.node("Dropout", {"x"}, {"y", "mask"}), "ratio", 0.25f);
  const Graph g = import_only(b, 7);
  const Node* d = only_node(g, "Dropout");
  EXPECT_EQ(d->output_count(), 1u);
  EXPECT_EQ(constant_scalar(d, 1), 0.25f);
  EXPECT_FALSE(d->has_attribute("ratio"));
}

TEST(OnnxNormalizationTest, DropoutWithUsedMaskIsUnsupported) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("y").output("mask", TensorProto::BOOL);
  b.node("Dropout", {"x"}, {"y", "mask"});
  EXPECT_THROW(
      {
        try {
          import_only(b, 13);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
          EXPECT_NE(std::string(e.what()).find("mask"), std::string::npos) << e.what();
          throw;
        }
      },
      Error);
}

TEST(OnnxNormalizationTest, BatchNormalizationDropsUnusedTrainingOutputsAndRejectsUsedOnes) {
  OnnxModelBuilder b(7);
  b.input("x", TensorProto::FLOAT, {1, 2, 2}).output("y");
  for (const char* name : {"s", "bias", "mean", "var"})
    b.initializer(name, Tensor::from_vector<float>({2}, std::vector<float>{1, 1}));
  set_attribute(b.node("BatchNormalization", {"x", "s", "bias", "mean", "var"}, {"y", "m", "v"}), "spatial",
                int64_t{1});
  const Graph g = import_only(b, 7);
  const Node* bn = only_node(g, "BatchNormalization");
  EXPECT_EQ(bn->output_count(), 1u);
  EXPECT_FALSE(bn->has_attribute("spatial"));

  b.output("m");
  EXPECT_THROW(import_only(b, 7), Error);
}

TEST(OnnxNormalizationTest, UnnamedNodesGetOpTypeAndIndexAndDuplicatesGetSuffixes) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("d");
  b.node("Relu", {"x"}, {"a"});
  b.node("Relu", {"a"}, {"b"}, "dup");
  b.node("Relu", {"b"}, {"c"}, "dup");
  b.node("Sigmoid", {"c"}, {"d"});
  const Graph g = import_only(b, 13);
  EXPECT_NE(g.find_node("Relu_0"), nullptr);
  EXPECT_NE(g.find_node("Sigmoid_3"), nullptr);
  EXPECT_NE(g.find_node("dup"), nullptr);
  std::set<std::string> names;
  for (const Node* n : g.nodes()) names.insert(n->name());
  EXPECT_EQ(names.size(), 4u);  // the second "dup" got a suffix
  EXPECT_EQ(g.find_node("dup")->input(0)->name(), "a");
}

TEST(OnnxNormalizationTest, EmptyInputNameIsAnOmittedOptionalInput) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("y");
  b.initializer("hi", Tensor::scalar(1.0f));
  b.node("Clip", {"x", "", "hi"}, {"y"});
  const Graph g = import_only(b, 13);
  const Node* clip = only_node(g, "Clip");
  EXPECT_EQ(clip->input_count(), 3u);
  EXPECT_FALSE(clip->has_input(1));
  EXPECT_EQ(clip->input(2)->name(), "hi");
}

TEST(OnnxNormalizationTest, NodesOutOfOrderAreImportedInDependencyOrder) {
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("z");
  b.node("Sigmoid", {"y"}, {"z"}, "second");
  b.node("Relu", {"x"}, {"y"}, "first");
  const Graph g = import_only(b, 13);
  EXPECT_EQ(g.find_node("second")->input(0), g.find_node("first")->output(0));
}

}  // namespace
}  // namespace octet
