// IR reader translations, one small hand-written IR per op family, run on the reference executor against
// hand-computed values (each expectation says how it was computed).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/frontends/ir_test_files.h"

namespace octet {
namespace {

using testing::IrBuilder;
using testing::run_f32;

Tensor f32(const Dims& dims, std::vector<float> values) {
  return Tensor::from_vector<float>(dims, values);
}

void expect_values(const std::vector<float>& actual, const std::vector<float>& expected, float tol = 1e-5f) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], tol) << "element " << i;
}

size_t count_ops(const Graph& g, const std::string& type) {
  size_t n = 0;
  for (const Node* node : g.nodes()) n += node->op_type() == type;
  return n;
}

TEST(OpenVinoIrTranslateTest, ConvolutionAddRelu) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 3, 3});
  const int w = b.constant_f32("w", {1, 1, 2, 2}, {1, 1, 1, 1});
  const int conv = b.layer("Convolution", "conv", {{x}, {w}}, {{1, 1, 2, 2}},
                           {{"strides", "1,1"},
                            {"dilations", "1, 1"},
                            {"pads_begin", "0,0"},
                            {"pads_end", "0,0"},
                            {"auto_pad", "explicit"}});
  const int bias = b.constant_f32("bias", {1, 1, 1, 1}, {-20});
  const int add = b.layer("Add", "add", {{conv}, {bias}}, {{1, 1, 2, 2}}, {{"auto_broadcast", "numpy"}});
  const int relu = b.layer("ReLU", "relu", {{add}}, {{1, 1, 2, 2}});
  b.result("out", {relu});
  const Graph g = b.load();
  EXPECT_EQ(g.metadata().at("format"), "openvino_ir");
  EXPECT_EQ(g.metadata().at("ir_version"), "11");
  EXPECT_EQ(g.outputs()[0]->name(), "relu");
  // 2x2 window sums of 1..9 are 12, 16, 24, 28; minus 20 and Relu.
  expect_values(run_f32(g, f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})), {0, 0, 4, 8});
}

TEST(OpenVinoIrTranslateTest, GroupConvolutionReshapesWeights) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 2, 1, 2});
  const int w = b.constant_f32("w", {2, 1, 1, 1, 1}, {2, 3});
  const int conv =
      b.layer("GroupConvolution", "gconv", {{x}, {w}}, {{1, 2, 1, 2}},
              {{"strides", "1,1"}, {"dilations", "1,1"}, {"pads_begin", "0,0"}, {"pads_end", "0,0"}});
  b.result("out", {conv});
  // Depthwise: channel 0 times 2, channel 1 times 3.
  expect_values(run_f32(b.load(), f32({1, 2, 1, 2}, {1, 2, 3, 4})), {2, 4, 9, 12});
}

TEST(OpenVinoIrTranslateTest, ConvolutionBackpropDataIsConvTranspose) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 1, 2});
  const int w = b.constant_f32("w", {1, 1, 1, 2}, {1, 10});
  const int deconv = b.layer("ConvolutionBackpropData", "deconv", {{x}, {w}}, {{1, 1, 1, 4}},
                             {{"strides", "1,2"},
                              {"dilations", "1,1"},
                              {"pads_begin", "0,0"},
                              {"pads_end", "0,0"},
                              {"output_padding", "0,0"},
                              {"auto_pad", "explicit"}});
  b.result("out", {deconv});
  // Stride 2 along W, kernel [1, 10]: x0 -> positions 0,1; x1 -> positions 2,3.
  expect_values(run_f32(b.load(), f32({1, 1, 1, 2}, {2, 3})), {2, 20, 3, 30});
}

TEST(OpenVinoIrTranslateTest, MatMulTransposeB) {
  IrBuilder b;
  const int a = b.parameter("a", {1, 2});
  const int m = b.constant_f32("m", {3, 2}, {1, 0, 0, 1, 1, 1});
  const int mm =
      b.layer("MatMul", "mm", {{a}, {m}}, {{1, 3}}, {{"transpose_a", "false"}, {"transpose_b", "true"}});
  b.result("out", {mm});
  // [1,2] x [[1,0],[0,1],[1,1]]^T = [1, 2, 3].
  expect_values(run_f32(b.load(), f32({1, 2}, {1, 2})), {1, 2, 3});
}

TEST(OpenVinoIrTranslateTest, PReluSlopeAppliesAlongChannels) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 2, 1, 2});
  const int slope = b.constant_f32("slope", {2}, {0.5f, 0.25f});
  const int prelu = b.layer("PReLU", "prelu", {{x}, {slope}}, {{1, 2, 1, 2}});
  b.result("out", {prelu});
  // Channel 0 negatives times 0.5, channel 1 negatives times 0.25 (numpy would have used the last axis).
  expect_values(run_f32(b.load(), f32({1, 2, 1, 2}, {-2, 2, -4, 4})), {-1, 2, -1, 4});
}

TEST(OpenVinoIrTranslateTest, ClampHSigmoidSwishHSwish) {
  IrBuilder b;
  const int x = b.parameter("x", {4});
  const int clamp = b.layer("Clamp", "clamp", {{x}}, {{4}}, {{"min", "0"}, {"max", "1"}});
  const int hsig = b.layer("HSigmoid", "hsig", {{x}}, {{4}}, {}, "opset5");
  const int swish = b.layer("Swish", "swish", {{x}}, {{4}}, {}, "opset4");
  const int hswish = b.layer("HSwish", "hswish", {{x}}, {{4}}, {}, "opset4");
  b.result("r0", {clamp});
  b.result("r1", {hsig});
  b.result("r2", {swish});
  b.result("r3", {hswish});
  const Graph g = b.load();
  const Tensor in = f32({4}, {-3, 0.5f, 1, 3});
  expect_values(run_f32(g, in, 0), {0, 0.5f, 1, 1});
  // HSigmoid = min(max(x + 3, 0), 6) / 6.
  expect_values(run_f32(g, in, 1), {0, 3.5f / 6, 4.0f / 6, 1});
  // Swish = x * sigmoid(x); sigmoid(-3) = 0.0474259, sigmoid(0.5) = 0.6224593, sigmoid(1) = 0.7310586,
  // sigmoid(3) = 0.9525741 (math.exp in Python).
  expect_values(run_f32(g, in, 2), {-3 * 0.0474259f, 0.5f * 0.6224593f, 0.7310586f, 3 * 0.9525741f});
  // HSwish = x * HSigmoid(x).
  expect_values(run_f32(g, in, 3), {0, 0.5f * 3.5f / 6, 4.0f / 6, 3});
}

TEST(OpenVinoIrTranslateTest, MaxPoolCeilAndAvgPoolExcludePad) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 3, 3});
  const int mp = b.layer("MaxPool", "mp", {{x}}, {{1, 1, 2, 2}},
                         {{"kernel", "2,2"},
                          {"strides", "2,2"},
                          {"pads_begin", "0,0"},
                          {"pads_end", "0,0"},
                          {"rounding_type", "ceil"}});
  b.result("r0", {mp});
  // Windows rows {0,1},{2} x cols {0,1},{2}: max 5, 6, 8, 9.
  expect_values(run_f32(b.load(), f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})), {5, 6, 8, 9});

  for (const bool exclude : {true, false}) {
    IrBuilder a;
    const int y = a.parameter("y", {1, 1, 2, 2});
    const int ap = a.layer("AvgPool", "ap", {{y}}, {{1, 1, 2, 2}},
                           {{"kernel", "2,2"},
                            {"strides", "2,2"},
                            {"pads_begin", "1,1"},
                            {"pads_end", "1,1"},
                            {"rounding_type", "floor"},
                            {"exclude-pad", exclude ? "true" : "false"}});
    a.result("r", {ap});
    // Each 2x2 window holds one real element: itself when padding is excluded, a quarter of it otherwise.
    const std::vector<float> expected =
        exclude ? std::vector<float>{1, 2, 3, 4} : std::vector<float>{0.25f, 0.5f, 0.75f, 1};
    expect_values(run_f32(a.load(), f32({1, 1, 2, 2}, {1, 2, 3, 4})), expected);
  }
}

Tensor iota_f32(const Dims& dims) {
  Tensor t(ElementType::kF32, dims);
  for (int64_t i = 0; i < t.element_count(); ++i) t.data<float>()[i] = static_cast<float>(i);
  return t;
}

TEST(OpenVinoIrTranslateTest, StridedSliceMasks) {
  IrBuilder b;
  const int x = b.parameter("x", {2, 3, 4});
  const int begin = b.constant_i64("begin", {1, 0, 0, 1});
  const int end = b.constant_i64("end", {2, 0, 0, 4});
  const int strides = b.constant_i64("strides", {1, 1, 1, 2});
  const int ss = b.layer("StridedSlice", "ss", {{x}, {begin}, {end}, {strides}}, {{1, 3, 2}},
                         {{"begin_mask", "0,0,1,0"},
                          {"end_mask", "0,0,1,0"},
                          {"new_axis_mask", "0,1,0,0"},
                          {"shrink_axis_mask", "1,0,0,0"},
                          {"ellipsis_mask", "0,0,0,0"}});
  const int begin2 = b.constant_i64("begin2", {0, -1});
  const int end2 = b.constant_i64("end2", {0, 0});
  const int ss2 = b.layer(
      "StridedSlice", "ss2", {{x}, {begin2}, {end2}}, {{2, 3}},
      {{"begin_mask", "0,0"}, {"end_mask", "0,0"}, {"shrink_axis_mask", "0,1"}, {"ellipsis_mask", "1,0"}});
  b.result("r0", {ss});
  b.result("r1", {ss2});
  const Graph g = b.load();
  // x[1, newaxis, :, 1:4:2] = 12 + 4j + k for j in 0..2, k in {1, 3}.
  expect_values(run_f32(g, iota_f32({2, 3, 4}), 0), {13, 15, 17, 19, 21, 23});
  EXPECT_EQ(g.outputs()[0]->shape(), Shape({1, 3, 2}));
  // x[..., -1]: the last element of every row.
  expect_values(run_f32(g, iota_f32({2, 3, 4}), 1), {3, 7, 11, 15, 19, 23});
}

TEST(OpenVinoIrTranslateTest, ReshapeSqueezeUnsqueezeConcat) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 2, 3});
  const int shape = b.constant_i64("shape", {0, -1});
  const int reshape = b.layer("Reshape", "reshape", {{x}, {shape}}, {{1, 6}}, {{"special_zero", "True"}});
  const int axes0 = b.constant_i64("axes0", {0});
  const int unsq = b.layer("Unsqueeze", "unsq", {{reshape}, {axes0}}, {{1, 1, 6}});
  const int axes1 = b.constant_i64("axes1", {1});
  const int sq = b.layer("Squeeze", "sq", {{unsq}, {axes1}}, {{1, 6}});
  const int tail = b.constant_f32("tail", {1, 2}, {7, 8});
  const int cat = b.layer("Concat", "cat", {{sq}, {tail}}, {{1, 8}}, {{"axis", "1"}});
  b.result("out", {cat});
  expect_values(run_f32(b.load(), f32({1, 2, 3}, {1, 2, 3, 4, 5, 6})), {1, 2, 3, 4, 5, 6, 7, 8});
}

TEST(OpenVinoIrTranslateTest, ShapeSubgraphFoldsToConstants) {
  IrBuilder b;
  const int x = b.parameter("x", {2, 3, 4});
  const int shape = b.layer("ShapeOf", "shape", {{x}}, {{3}}, {{"output_type", "i64"}}, "opset3");
  const int index = b.constant_i64("index", {0});
  const int axis = b.constant("axis", Tensor::scalar<int64_t>(0));
  const int first =
      b.layer("Gather", "first", {{shape}, {index}, {axis}}, {{1}}, {{"batch_dims", "0"}}, "opset8");
  const int rest = b.constant_i64("rest", {-1});
  const int target = b.layer("Concat", "target", {{first}, {rest}}, {{2}}, {{"axis", "0"}});
  const int reshape = b.layer("Reshape", "reshape", {{x}, {target}}, {{2, 12}}, {{"special_zero", "false"}});
  b.result("out", {reshape});
  const Graph g = b.load();
  EXPECT_EQ(g.outputs()[0]->shape(), Shape({2, 12}));
  EXPECT_EQ(g.node_count(), 1u);
  EXPECT_EQ(count_ops(g, "Reshape"), 1u);
}

TEST(OpenVinoIrTranslateTest, SplitOutputsAreNamedWithPortIndex) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 6});
  const int axis = b.constant("axis", Tensor::scalar<int64_t>(1));
  const int split = b.layer("Split", "split", {{x}, {axis}}, {{1, 2}, {1, 2}, {1, 2}}, {{"num_splits", "3"}});
  const int lengths = b.constant_i64("lengths", {1, -1});
  const int vsplit = b.layer("VariadicSplit", "vsplit", {{x}, {axis}, {lengths}}, {{1, 1}, {1, 5}});
  b.result("r0", {split, 0});
  b.result("r1", {split, 2});
  b.result("r2", {vsplit, 1});
  const Graph g = b.load();
  ASSERT_EQ(g.outputs().size(), 3u);
  EXPECT_EQ(g.outputs()[0]->name(), "split.0");
  EXPECT_EQ(g.outputs()[1]->name(), "split.2");
  EXPECT_EQ(g.outputs()[2]->name(), "vsplit.1");
  const Tensor in = f32({1, 6}, {1, 2, 3, 4, 5, 6});
  expect_values(run_f32(g, in, 1), {5, 6});
  expect_values(run_f32(g, in, 2), {2, 3, 4, 5, 6});
}

TEST(OpenVinoIrTranslateTest, GatherWithNegativeIndex) {
  IrBuilder b;
  const int x = b.parameter("x", {3});
  const int indices = b.constant_i64("indices", {-1, 0});
  const int axis = b.constant("axis", Tensor::scalar<int64_t>(0));
  const int gather =
      b.layer("Gather", "gather", {{x}, {indices}, {axis}}, {{2}}, {{"batch_dims", "0"}}, "opset8");
  b.result("out", {gather});
  expect_values(run_f32(b.load(), f32({3}, {10, 20, 30})), {30, 10});
}

TEST(OpenVinoIrTranslateTest, IntegerDivideFloorsLikePython) {
  IrBuilder b;
  const int x = b.parameter("x", {3}, "i64");
  const int y = b.constant_i64("y", {2, 2, -4});
  const int div =
      b.layer("Divide", "div", {{x}, {y}}, {{3}}, {{"auto_broadcast", "numpy"}, {"m_pythondiv", "true"}});
  b.result("out", {div});
  const Graph g = b.load();
  const TensorMap out =
      ReferenceExecutor(g).run({{"x", Tensor::from_vector<int64_t>({3}, std::vector<int64_t>{-7, 7, -6})}});
  // Python: -7 // 2 = -4, 7 // 2 = 3, -6 // -4 = 1.
  EXPECT_EQ(out.at("div").to_int64_vector(), (std::vector<int64_t>{-4, 3, 1}));
}

TEST(OpenVinoIrTranslateTest, InterpolateV4NearestAndV1AlignCorners) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 1, 2});
  const int sizes = b.constant_i64("sizes", {2, 4});
  const int scales = b.constant_f32("scales", {2}, {2, 2});
  const int axes = b.constant_i64("axes", {2, 3});
  const int v4 = b.layer("Interpolate", "v4", {{x}, {sizes}, {scales}, {axes}}, {{1, 1, 2, 4}},
                         {{"mode", "nearest"},
                          {"shape_calculation_mode", "sizes"},
                          {"coordinate_transformation_mode", "asymmetric"},
                          {"nearest_mode", "floor"},
                          {"antialias", "false"},
                          {"pads_begin", "0,0,0,0"},
                          {"pads_end", "0,0,0,0"},
                          {"cube_coeff", "-0.75"}},
                         "opset4");
  const int target = b.constant_i64("target", {1, 3});
  const int v1 = b.layer("Interpolate", "v1", {{x}, {target}}, {{1, 1, 1, 3}},
                         {{"axes", "2,3"},
                          {"mode", "linear"},
                          {"align_corners", "1"},
                          {"antialias", "0"},
                          {"pads_begin", "0"},
                          {"pads_end", "0"}});
  b.result("r0", {v4});
  b.result("r1", {v1});
  const Graph g = b.load();
  const Tensor in = f32({1, 1, 1, 2}, {1, 2});
  // Asymmetric floor: output column j reads input floor(j / 2).
  expect_values(run_f32(g, in, 0), {1, 1, 2, 2, 1, 1, 2, 2});
  // Align corners: columns at 0, 0.5, 1 of the input.
  expect_values(run_f32(g, in, 1), {1, 1.5f, 2});
}

TEST(OpenVinoIrTranslateTest, WeightEncodingsAAndB) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 1, 1});
  // A: u8 weights -> Convert -> FakeQuantize(levels 255) over [0, 254] -> [-1.27, 1.27].
  const int wa = b.constant("wa", Tensor::from_vector<uint8_t>({1, 1, 1, 1}, std::vector<uint8_t>{200}));
  const int wa_f = b.layer("Convert", "wa_f", {{wa}}, {{1, 1, 1, 1}}, {{"destination_type", "f16"}});
  const int il = b.constant_f32("il", {}, {0});
  const int ih = b.constant_f32("ih", {}, {254});
  const int ol = b.constant_f32("ol", {}, {-1.27f});
  const int oh = b.constant_f32("oh", {}, {1.27f});
  const int fq = b.layer("FakeQuantize", "fq", {{wa_f}, {il}, {ih}, {ol}, {oh}}, {{1, 1, 1, 1}},
                         {{"levels", "255"}, {"auto_broadcast", "numpy"}});
  const std::map<std::string, std::string> conv_attrs = {
      {"strides", "1,1"}, {"dilations", "1,1"}, {"pads_begin", "0,0"}, {"pads_end", "0,0"}};
  const int ca = b.layer("Convolution", "ca", {{x}, {fq}}, {{1, 1, 1, 1}}, conv_attrs);
  // B: i8 weights -> Convert -> Subtract(zero point) -> Multiply(scale).
  const int wb = b.constant("wb", Tensor::from_vector<int8_t>({1, 1, 1, 1}, std::vector<int8_t>{-50}));
  const int wb_f = b.layer("Convert", "wb_f", {{wb}}, {{1, 1, 1, 1}}, {{"destination_type", "f32"}});
  const int zp = b.constant_f32("zp", {1, 1, 1, 1}, {-10});
  const int sub = b.layer("Subtract", "sub", {{wb_f}, {zp}}, {{1, 1, 1, 1}});
  const int scale = b.constant_f32("scale", {1, 1, 1, 1}, {0.1f});
  const int mul = b.layer("Multiply", "mul", {{sub}, {scale}}, {{1, 1, 1, 1}});
  const int cb = b.layer("Convolution", "cb", {{x}, {mul}}, {{1, 1, 1, 1}}, conv_attrs);
  b.result("ra", {ca});
  b.result("rb", {cb});
  const Graph g = b.load();
  EXPECT_EQ(count_ops(g, "FakeQuantize"), 1u);  // quantization stays explicit
  const Tensor in = f32({1, 1, 1, 1}, {2});
  // A: 200 is on the grid of 254 steps over [0, 254]: -1.27 + 200 * 2.54 / 254 = 0.73; times x = 2.
  expect_values(run_f32(g, in, 0), {1.46f}, 1e-5f);
  // B: (-50 - -10) * 0.1 = -4; times x = 2.
  expect_values(run_f32(g, in, 1), {-8}, 1e-5f);
}

TEST(OpenVinoIrTranslateTest, ActivationFakeQuantizeRoundsHalfToEven) {
  IrBuilder b;
  const int x = b.parameter("x", {4});
  const int lo = b.constant_f32("lo", {}, {0});
  const int hi = b.constant_f32("hi", {}, {3});
  const int fq = b.layer("FakeQuantize", "fq", {{x}, {lo}, {hi}, {lo}, {hi}}, {{4}}, {{"levels", "4"}});
  b.result("out", {fq});
  // Grid 0,1,2,3: 0.5 -> 0 and 2.5 -> 2 (half to even), 1.5 -> 2, 5 clamps to 3.
  expect_values(run_f32(b.load(), f32({4}, {0.5f, 1.5f, 2.5f, 5})), {0, 2, 2, 3});
}

TEST(OpenVinoIrTranslateTest, F16ParameterAndConstBecomeF32) {
  IrBuilder b(10);
  const int x = b.parameter("x", {2}, "f16");
  // f16 bits: 0x3E00 = 1.5, 0xC000 = -2.
  const int c = b.constant_raw("c", "f16", {2}, std::string("\x00\x3E\x00\xC0", 4));
  const int add = b.layer("Add", "add", {{x}, {c}}, {{2}});
  b.result("out", {add});
  const Graph g = b.load();
  EXPECT_EQ(g.inputs()[0]->type(), ElementType::kF32);
  expect_values(run_f32(g, f32({2}, {1, 1})), {2.5f, -1});
}

TEST(OpenVinoIrTranslateTest, PreProcessMeanIsSubtracted) {
  IrBuilder b(10);
  const int x = b.parameter("data", {1, 2, 1, 1});
  const int relu = b.layer("ReLU", "relu", {{x}}, {{1, 2, 1, 1}});
  b.result("out", {relu});
  b.add_raw_xml(
      "<pre-process mean-precision=\"FP32\" reference-layer-name=\"data\"><channel id=\"0\"><mean "
      "value=\"1\"/></channel><channel id=\"1\"><mean value=\"2\"/></channel></pre-process>\n");
  expect_values(run_f32(b.load(), f32({1, 2, 1, 1}, {5, 5})), {4, 3});
}

TEST(OpenVinoIrTranslateTest, MvnV1BecomesMvnWithAxes) {
  IrBuilder b(10);
  const int x = b.parameter("x", {1, 1, 1, 4});
  const int mvn =
      b.layer("MVN", "mvn", {{x}}, {{1, 1, 1, 4}},
              {{"across_channels", "false"}, {"normalize_variance", "true"}, {"eps", "0"}}, "opset2");
  b.result("out", {mvn});
  const Graph g = b.load();
  const Node* node = g.find_node("mvn");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->op_type(), "MVN");
  EXPECT_EQ(node->attribute<std::string>("eps_mode"), "inside_sqrt");
  EXPECT_EQ(node->input(1)->constant().to_int64_vector(), (std::vector<int64_t>{2, 3}));
  // Mean 2.5, variance 1.25: (x - 2.5) / sqrt(1.25).
  const float s = std::sqrt(1.25f);
  expect_values(run_f32(g, f32({1, 1, 1, 4}, {1, 2, 3, 4})), {-1.5f / s, -0.5f / s, 0.5f / s, 1.5f / s});
}

TEST(OpenVinoIrTranslateTest, DetectionOutputAttributesAreTyped) {
  IrBuilder b(10);
  const int loc = b.parameter("loc", {1, 8});
  const int conf = b.parameter("conf", {1, 4});
  const int priors = b.parameter("priors", {1, 2, 8});
  const int det = b.layer("DetectionOutput", "det", {{loc}, {conf}, {priors}}, {{1, 1, 3, 7}},
                          {{"num_classes", "2"},
                           {"background_label_id", "0"},
                           {"top_k", "3"},
                           {"keep_top_k", "3"},
                           {"code_type", "caffe.PriorBoxParameter.CENTER_SIZE"},
                           {"share_location", "1"},
                           {"nms_threshold", "0.45"},
                           {"confidence_threshold", "0.01"},
                           {"normalized", "true"},
                           {"variance_encoded_in_target", "0"},
                           {"visualize", "False"}});
  b.result("out", {det});
  const Graph g = b.load();
  const Node* node = g.find_node("det");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->attribute<int64_t>("num_classes"), 2);
  EXPECT_EQ(node->attribute<std::vector<int64_t>>("keep_top_k"), std::vector<int64_t>{3});
  EXPECT_EQ(node->attribute<int64_t>("share_location"), 1);
  EXPECT_EQ(node->attribute<int64_t>("normalized"), 1);
  EXPECT_FLOAT_EQ(node->attribute<float>("nms_threshold"), 0.45f);
  EXPECT_EQ(node->attribute<std::string>("code_type"), "caffe.PriorBoxParameter.CENTER_SIZE");
  EXPECT_FALSE(node->has_attribute("visualize"));
}

}  // namespace
}  // namespace octet
