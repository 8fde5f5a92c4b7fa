// The exact fp32 fallback for QLinearConv (onednn_qlinear_exact.h) against the reference executor's
// QLinearConv on the same node (integer arithmetic, the oracle), with full-range weights that could saturate
// vpmaddubsw: the outputs must be equal, element for element (the kernel's only allowed difference, one step
// at an exact rounding tie, does not occur with these seeds). Cases: u8 / s8 sources with zero points and
// padding (padding must read as the zero point), groups, depthwise, strides, dilations, 1-d / 3-d,
// per-channel scales and zero points, u8 weights, u8 / s8 outputs, no bias.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

#include "kernels/onednn/onednn_convolution.h"
#include "kernels/onednn/onednn_int8_exactness.h"
#include "kernels/onednn/onednn_qlinear_conv.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "tests/cpu/int8/q8exact_test_support.h"

namespace octet::test {
namespace {

struct ExactConvCase {
  std::string name;
  ElementType x_type;
  Dims x, w;
  Attributes attributes;
  int x_zero = 0;
  bool per_channel = false;
  bool bias = true;
  ElementType y_type = kU8;
  ElementType w_type = kI8;
  bool per_channel_w_zero = false;  // u8 weights only: zero points 120 + oc % 16
  bool float_output = false;        // QLinearConv's f32 form: no y_scale / y_zero_point (y_type unused)
};

std::ostream& operator<<(std::ostream& os, const ExactConvCase& c) {
  return os << c.name;
}

// Full-range weights (s8 in [-127, 127], u8 in [0, 255]); the output scale keeps most outputs off the
// saturation bounds for accumulators in the millions.
Graph exact_conv_graph(const ExactConvCase& c, TensorMap& feeds,
                       std::optional<Tensor> weights = std::nullopt) {
  Graph g;
  Value* x = g.add_input("x", c.x_type, Shape(c.x));
  feeds["x"] = random_int8(c.x_type, c.x, 11);
  const int64_t oc = c.w[0];
  Tensor w = weights ? std::move(*weights) : random_int8(c.w_type, c.w, 13, -127, 255);
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> scale(0.005f, 0.015f);
  std::vector<float> w_scales;
  for (int64_t i = 0; i < (c.per_channel ? oc : 1); ++i) w_scales.push_back(scale(rng));
  Tensor w_scale = c.per_channel ? Tensor::from_vector<float>({oc}, w_scales) : scalar_f32(w_scales[0]);
  Tensor w_zero = zero_point(c.w_type, c.w_type == kU8 ? 128 : 0);
  if (c.per_channel_w_zero) {
    std::vector<uint8_t> zeros;
    for (int64_t i = 0; i < oc; ++i) zeros.push_back(static_cast<uint8_t>(120 + i % 16));
    w_zero = Tensor::from_vector<uint8_t>({oc}, zeros);
  }
  const int64_t window = c.w[1] * element_count(Dims(c.w.begin() + 2, c.w.end()));
  std::vector<Value*> inputs = {x,
                                g.add_constant("x_scale", scalar_f32(0.02f)),
                                g.add_constant("x_zero", zero_point(c.x_type, c.x_zero)),
                                g.add_constant("w", std::move(w)),
                                g.add_constant("w_scale", std::move(w_scale)),
                                g.add_constant("w_zero", std::move(w_zero)),
                                g.add_constant("y_scale", scalar_f32(0.01f * static_cast<float>(window))),
                                g.add_constant("y_zero", zero_point(c.y_type, c.y_type == kU8 ? 131 : -3))};
  if (c.float_output) inputs[6] = inputs[7] = nullptr;
  if (c.bias) {
    std::vector<int32_t> bias;
    // About +-40 output steps, whatever the window.
    std::uniform_int_distribution<int32_t> b(static_cast<int32_t>(-2000 * window),
                                             static_cast<int32_t>(2000 * window));
    for (int64_t i = 0; i < oc; ++i) bias.push_back(b(rng));
    inputs.push_back(g.add_constant("bias", Tensor::from_vector<int32_t>({oc}, bias)));
  }
  g.add_output(g.add_node("QLinearConv", "node", inputs, {"y"}, c.attributes)->output(0));
  return g;
}

class ExactQLinearConvTest : public ::testing::TestWithParam<ExactConvCase> {};

// With x plain, channels-last (as an int8 producer writes it; the output follows) and channel-blocked by 8
// (padded channels when C % 8 != 0, the fp32 convolution's own layout).
TEST_P(ExactQLinearConvTest, EqualsReference) {
  using tag = dnnl::memory::format_tag;
  const size_t rank = GetParam().x.size();
  const tag channels_last = rank == 3 ? tag::nwc : rank == 4 ? tag::nhwc : tag::ndhwc;
  const tag blocked = rank == 3 ? tag::nCw8c : rank == 4 ? tag::nChw8c : tag::nCdhw8c;
  for (const tag input_tag : {tag::undef, channels_last, blocked}) {
    SCOPED_TRACE(input_tag == tag::undef ? "plain x"
                 : input_tag == blocked  ? "blocked x"
                                         : "channels-last x");
    TensorMap feeds;
    Graph g = exact_conv_graph(GetParam(), feeds);
    const ExactCheck check =
        expect_factory_matches_reference(cpu::create_onednn_qlinear_conv_exact, g, feeds, input_tag);
    EXPECT_EQ(check.differing, 0) << "max diff " << check.max_diff;
    // A test whose outputs sit at the saturation bounds would prove little.
    EXPECT_LT(check.saturated * 4, check.count) << check.saturated << " of " << check.count << " saturated";
    EXPECT_NE(check.exec_type.find("_exact_FP32"), std::string::npos) << check.exec_type;
    EXPECT_EQ(check.exec_type.rfind("ref", 0), std::string::npos) << check.exec_type;
  }
}

const ExactConvCase kExactConvCases[] = {
    {"u8_zero_point_pads", kU8, {1, 16, 9, 9}, {16, 16, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), 131},
    {"u8_per_channel_s8_output",
     kU8,
     {2, 8, 10, 10},
     {24, 8, 3, 3},
     attrs({{"pads", ints({1, 1, 1, 1})}}),
     20,
     true,
     true,
     kI8},
    {"s8_source_zero_point",
     kI8,
     {1, 16, 8, 8},
     {16, 16, 3, 3},
     attrs({{"pads", ints({1, 1, 1, 1})}}),
     -7,
     true},
    {"s8_source_no_pads_no_bias", kI8, {1, 8, 7, 7}, {8, 8, 3, 3}, attrs({}), 0, false, false},
    {"group2_stride2",
     kU8,
     {1, 16, 11, 11},
     {32, 8, 3, 3},
     attrs({{"group", int64_t{2}}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
     77,
     true},
    {"group4_odd_channels",
     kU8,
     {1, 12, 7, 7},
     {20, 3, 3, 3},
     attrs({{"group", int64_t{4}}, {"pads", ints({1, 1, 1, 1})}}),
     200,
     true},
    {"depthwise_stride2",
     kU8,
     {1, 32, 10, 10},
     {32, 1, 3, 3},
     attrs({{"group", int64_t{32}}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
     128,
     true},
    {"stem_3_channels",
     kU8,
     {1, 3, 17, 17},
     {16, 3, 7, 7},
     attrs({{"strides", ints({2, 2})}, {"pads", ints({3, 3, 3, 3})}}),
     114,
     true},
    {"dilations_asymmetric_pads",
     kU8,
     {1, 8, 12, 12},
     {8, 8, 3, 3},
     attrs({{"dilations", ints({2, 2})}, {"pads", ints({2, 0, 1, 2})}}),
     60},
    {"u8_weights_per_channel_zero_points",
     kU8,
     {1, 8, 8, 8},
     {16, 8, 3, 3},
     attrs({{"pads", ints({1, 1, 1, 1})}}),
     9,
     true,
     true,
     kI8,
     kU8,
     true},
    {"conv1d", kU8, {2, 16, 20}, {24, 16, 5}, attrs({{"pads", ints({2, 2})}}), 99, true},
    {"conv3d_s8_output",
     kI8,
     {1, 8, 5, 6, 6},
     {8, 8, 3, 3, 3},
     attrs({{"pads", ints({1, 1, 1, 1, 1, 1})}}),
     5,
     false,
     true,
     kI8},
};

INSTANTIATE_TEST_SUITE_P(Cases, ExactQLinearConvTest, ::testing::ValuesIn(kExactConvCases),
                         [](const ::testing::TestParamInfo<ExactConvCase>& p) { return p.param.name; });

// QLinearConv's f32 form (no y_scale / y_zero_point): the same fp32 convolution, then the accumulators times
// x_scale * w_scale[oc] into an f32 destination; within the f32 tolerance of the reference's
// float(acc + bias) * x_scale * w_scale[oc].
TEST(ExactQLinearConv, F32FormEqualsReference) {
  using tag = dnnl::memory::format_tag;
  const ExactConvCase cases[] = {
      {"f32_per_channel_pads",
       kU8,
       {1, 16, 9, 9},
       {24, 16, 3, 3},
       attrs({{"pads", ints({1, 1, 1, 1})}}),
       131,
       true,
       true,
       kU8,
       kI8,
       false,
       true},
      {"f32_s8_source_no_bias",
       kI8,
       {1, 8, 7, 7},
       {8, 8, 1, 1},
       attrs({}),
       -7,
       false,
       false,
       kU8,
       kI8,
       false,
       true},
  };
  for (const ExactConvCase& c : cases) {
    for (const tag input_tag : {tag::undef, tag::nhwc}) {
      SCOPED_TRACE(c.name + (input_tag == tag::undef ? " plain x" : " channels-last x"));
      TensorMap feeds;
      Graph g = exact_conv_graph(c, feeds);
      infer_shapes(g);
      ASSERT_EQ(g.find_node("node")->output(0)->type(), ElementType::kF32);
      const ExactCheck check =
          expect_factory_matches_reference(cpu::create_onednn_qlinear_conv_exact, g, feeds, input_tag);
      EXPECT_NE(check.exec_type.find("_exact_FP32"), std::string::npos) << check.exec_type;
    }
  }
}

// The case the fallback exists for: pairs (127, 127) and (-127, -127) against a source of 250..255, where
// vpmaddubsw's i16 pair sum (up to 64770) saturates. The int8 candidate must decline it on a CPU without VNNI
// and the fallback must give the reference's integers.
TEST(ExactQLinearConv, SaturatingPairsEqualReference) {
  const ExactConvCase c{
      "saturating", kU8, {1, 16, 6, 6}, {16, 16, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}})};
  // Each output channel's weights are +127 or -127 by input channel (alternating in runs of two), so every
  // adjacent pair along input channels or along the flattened row has |w0| + |w1| = 254.
  Tensor w(kI8, c.w);
  for (int64_t i = 0; i < w.element_count(); ++i) {
    const int64_t oc = i / (16 * 9), ic = i / 9 % 16;
    w.data<int8_t>()[i] = ((ic / 2 + oc) % 2 == 0) ? 127 : -127;
  }
  TensorMap feeds;
  Graph g = exact_conv_graph(c, feeds, std::move(w));
  feeds["x"] = random_int8(kU8, c.x, 19, 250, 255);
  infer_shapes(g);
  if (!cpu::pair_sum_fits_i16(254)) {
    std::string why_not;
    const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    EXPECT_FALSE(choose(cpu::create_onednn_qlinear_conv, g, engine, why_not).has_value());
    EXPECT_NE(why_not.find("saturate"), std::string::npos) << why_not;
  }
  const ExactCheck check = expect_factory_matches_reference(cpu::create_onednn_qlinear_conv_exact, g, feeds);
  EXPECT_EQ(check.differing, 0) << "max diff " << check.max_diff;
  // A test whose outputs sit at the saturation bounds would prove little.
  EXPECT_LT(check.saturated * 4, check.count) << check.saturated << " of " << check.count << " saturated";
}

// The bound of the file header, by hand: channel 0 has |w| = 3 + 4 = 7 and bias -10, channel 1 |w| = 1 + 2 =
// 3 and bias 2; a u8 source with zero point 200 reaches |0 - 200| = 200, so B = max(10 + 1400, 2 + 600).
TEST(ExactQLinearConv, ExactnessBoundByHand) {
  const std::vector<int32_t> w = {3, -4, 1, -2};
  const std::vector<int32_t> bias = {-10, 2};
  EXPECT_EQ(cpu::max_source_magnitude(kU8, 200), 200);
  EXPECT_EQ(cpu::max_source_magnitude(kU8, 20), 235);
  EXPECT_EQ(cpu::max_source_magnitude(kI8, -7), 134);
  EXPECT_EQ(cpu::exactness_bound(w, 2, 2, 2, 1, bias, 200), 1410);
  // Columns of a [2, 2] matrix (k = 2 rows, n = 2 columns): column 0 = {3, 1}, column 1 = {-4, -2}.
  EXPECT_EQ(cpu::exactness_bound(w, 2, 1, 2, 2, {}, 255), 6 * 255);
  // A ResNet-50 3x3 layer of 256 channels with full-range weights is not proven: 2304 * 127 * 255 >= 2^24.
  const std::vector<int32_t> full(2304, 127);
  EXPECT_GE(cpu::exactness_bound(full, 1, 2304, 2304, 1, {}, 255), cpu::kExactFloatIntegers);
}

// A layer the bound does not prove (3x3 over 256 channels, full-range weights: B >= 2^24): the fp32 sums may
// round, and the file header's argument allows one step at most.
TEST(ExactQLinearConv, UnprovenLayerWithinOneStep) {
  const ExactConvCase c{
      "unproven", kU8, {1, 256, 4, 4}, {32, 256, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), 0, true};
  TensorMap feeds;
  Graph g = exact_conv_graph(c, feeds);
  const Tensor& w = g.find_node("node")->input(3)->constant();
  const std::vector<int32_t> w_values(w.data<int8_t>(), w.data<int8_t>() + w.element_count());
  EXPECT_GE(cpu::exactness_bound(w_values, 32, 2304, 2304, 1, {}, 255), cpu::kExactFloatIntegers);
  const ExactCheck check = expect_factory_matches_reference(cpu::create_onednn_qlinear_conv_exact, g, feeds);
  EXPECT_LE(check.max_diff, 1);
  EXPECT_LT(check.saturated * 4, check.count) << check.saturated << " of " << check.count << " saturated";
}

// A timing note, not a test (run with --gtest_also_run_disabled_tests): a ResNet-50 layer3 3x3 convolution
// (1x256x14x14, 256 -> 256, pad 1) on the fallback vs the fp32 Conv twin on oneDNN.
TEST(ExactQLinearConv, DISABLED_TimingResNet50Layer3) {
  const ExactConvCase c{
      "timing", kU8, {1, 256, 14, 14}, {256, 256, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), 128, true};
  TensorMap feeds;
  Graph g = exact_conv_graph(c, feeds);
  infer_shapes(g);
  // Kernel created and bound once, as in an infer request; only execute() is timed.
  const auto time = [](cpu::KernelFactory factory, const Graph& graph) {
    const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    std::string why_not;
    const std::optional<cpu::KernelChoice> choice = choose(factory, graph, engine, why_not);
    EXPECT_TRUE(choice.has_value()) << why_not;
    if (!choice) return 0.0;
    dnnl::stream stream(engine);
    std::vector<uint8_t> x(choice->inputs[0].md.get_size()), y(choice->outputs[0].md.get_size());
    std::vector<uint8_t> scratchpad(choice->kernel->scratchpad_bytes());
    cpu::BindContext context{engine, stream, scratchpad.data()};
    void* inputs[] = {x.data()};
    void* outputs[] = {y.data()};
    const std::unique_ptr<cpu::BoundKernel> bound = choice->kernel->bind(inputs, outputs, context);
    bound->execute();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) bound->execute();
    stream.wait();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / 50;
  };
  Graph f;
  Value* x = f.add_input("x", ElementType::kF32, Shape(c.x));
  Value* w = f.add_constant("w", random_f32(c.w, 3));
  Value* b = f.add_constant("b", random_f32({c.w[0]}, 4));
  f.add_output(f.add_node("Conv", "node", {x, w, b}, {"y"}, c.attributes)->output(0));
  infer_shapes(f);
  // Alternating rounds, best of three each: the machine is shared.
  double exact = 1e9, fp32 = 1e9;
  for (int round = 0; round < 3; ++round) {
    exact = std::min(exact, time(cpu::create_onednn_qlinear_conv_exact, g));
    fp32 = std::min(fp32, time(cpu::create_onednn_convolution, f));
  }
  std::cout << "exact fallback " << exact << " ms, fp32 conv " << fp32 << " ms\n";
}

// Through the plugin (compile + infer), once the lead has listed the fallback among QLinearConv's candidates
// (skipped until then): two saturating layers in a row, the second reading the first's channels-last u8.
TEST(ExactQLinearConv, InPluginEqualsReference) {
  bool listed = false;
  for (const cpu::KernelCandidate& candidate : cpu::kernel_candidates("QLinearConv"))
    listed |= std::string(candidate.name) == "onednn_qlinear_conv_exact";
  if (!listed) GTEST_SKIP() << "onednn_qlinear_conv_exact is not in kernel_candidates.cpp yet";
  const ExactConvCase c{"plugin", kU8, {1, 16, 9, 9}, {16, 16, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}),
                        131,      true};
  TensorMap feeds;
  Graph g = exact_conv_graph(c, feeds);
  Node* first = g.find_node("node");
  first->set_attribute("group", int64_t{1});
  Value* y1 = first->output(0);
  std::vector<Value*> inputs;
  for (size_t i = 0; i < first->input_count(); ++i) inputs.push_back(first->input(i));
  inputs[0] = y1;
  inputs[2] = g.add_constant("y1_zero", zero_point(kU8, 131));
  g.set_outputs({g.add_node("QLinearConv", "node2", inputs, {"y2"}, c.attributes)->output(0)});
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0) << "max diff " << check.max_diff;
  // With VNNI nothing saturates: oneDNN's int8 kernel is exact and keeps the layer.
  if (cpu::onednn_int8_has_vnni()) {
    EXPECT_NE(check.exec_type.find("_I8"), std::string::npos) << check.exec_type;
  } else {
    EXPECT_NE(check.exec_type.find("_exact_FP32"), std::string::npos) << check.exec_type;
  }
}

}  // namespace
}  // namespace octet::test
