// QLinearConv on oneDNN's int8 convolution against the reference executor on the same node: u8 and s8
// sources with non-zero zero points and padding (the padding must read as the zero point), per-tensor and
// per-channel weight scales, u8 weights with a zero point, groups, depthwise, strides, dilations, u8 and s8
// outputs. Integer outputs may differ by one step: oneDNN adds the output zero point before rounding
// (round(v + zp) vs round(v) + zp, the same except where v + zp is rounded to float) and saturates in float.
// Also: weights that could saturate vpmaddubsw's i16 pair sums on AVX2 are rejected (reference fallback).
#include <gtest/gtest.h>

#include <random>

#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {
namespace {

struct QConvCase {
  std::string name;
  ElementType x_type;
  Dims x, w;
  Attributes attributes;
  int x_zero = 0;
  bool per_channel = false;
  bool bias = true;
  ElementType y_type = ElementType::kU8;
  ElementType w_type = ElementType::kI8;
  int w_limit = 64;           // |w - w_zero| <= w_limit (64 keeps every pair within vpmaddubsw's i16 on AVX2)
  bool float_output = false;  // QLinearConv's f32 form: no y_scale / y_zero_point (y_type unused)
};

std::ostream& operator<<(std::ostream& os, const QConvCase& c) {
  return os << c.name;
}

Graph qconv_graph(const QConvCase& c, TensorMap& feeds) {
  Graph g;
  Value* x = g.add_input("x", c.x_type, Shape(c.x));
  feeds["x"] = random_int8(c.x_type, c.x, 7);
  const int64_t oc = c.w[0];
  // Weights: s8 in [-limit, limit], or u8 around a zero point of 128.
  const int w_zero = c.w_type == ElementType::kU8 ? 128 : 0;
  Tensor w = random_int8(c.w_type, c.w, 3, w_zero - c.w_limit, w_zero + c.w_limit);
  std::vector<float> w_scales;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> scale(0.005f, 0.015f);
  for (int64_t i = 0; i < (c.per_channel ? oc : 1); ++i) w_scales.push_back(scale(rng));
  Tensor w_scale = c.per_channel ? Tensor::from_vector<float>({oc}, w_scales) : scalar_f32(w_scales[0]);
  std::vector<Value*> inputs = {
      x,
      g.add_constant("x_scale", scalar_f32(0.02f)),
      g.add_constant("x_zero", zero_point(c.x_type, c.x_zero)),
      g.add_constant("w", std::move(w)),
      g.add_constant("w_scale", std::move(w_scale)),
      g.add_constant("w_zero", zero_point(c.w_type, w_zero)),
      c.float_output ? nullptr : g.add_constant("y_scale", scalar_f32(0.05f)),
      c.float_output
          ? nullptr
          : g.add_constant("y_zero", zero_point(c.y_type, c.y_type == ElementType::kU8 ? 120 : -5))};
  if (c.bias) {
    std::vector<int32_t> bias;
    std::uniform_int_distribution<int32_t> b(-3000, 3000);
    for (int64_t i = 0; i < oc; ++i) bias.push_back(b(rng));
    inputs.push_back(g.add_constant("bias", Tensor::from_vector<int32_t>({oc}, bias)));
  }
  g.add_output(g.add_node("QLinearConv", "node", inputs, {"y"}, c.attributes)->output(0));
  return g;
}

class QLinearConvKernelTest : public ::testing::TestWithParam<QConvCase> {};

TEST_P(QLinearConvKernelTest, MatchesReferenceWithinOneStep) {
  TensorMap feeds;
  Graph g = qconv_graph(GetParam(), feeds);
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << check.exec_type;
  EXPECT_EQ(check.exec_type.find("ref"), std::string::npos) << check.exec_type;
}

const QConvCase kQConvCases[] = {
    {"u8_zero_point_pads", kU8, {1, 16, 9, 9}, {16, 16, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), 131},
    {"u8_per_channel_s8_output",
     kU8,
     {1, 8, 10, 10},
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
    {"s8_source_no_zero_point", kI8, {1, 8, 7, 7}, {8, 8, 3, 3}, attrs({}), 0, false},
    {"group2_stride2",
     kU8,
     {1, 16, 11, 11},
     {32, 8, 3, 3},
     attrs({{"group", int64_t{2}}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
     77,
     true},
    {"depthwise_stride2",
     kU8,
     {1, 32, 10, 10},
     {32, 1, 3, 3},
     attrs({{"group", int64_t{32}}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
     128,
     true},
    {"depthwise_s8",
     kI8,
     {1, 16, 9, 9},
     {16, 1, 3, 3},
     attrs({{"group", int64_t{16}}, {"pads", ints({1, 1, 1, 1})}}),
     3,
     true},
    {"pointwise_no_bias", kU8, {2, 24, 6, 6}, {40, 24, 1, 1}, attrs({}), 5, true, false},
    {"stem_3_channels",
     kU8,
     {1, 3, 17, 17},
     {16, 3, 3, 3},
     attrs({{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
     114,
     true},
    {"dilations_asymmetric_pads",
     kU8,
     {1, 8, 12, 12},
     {8, 8, 3, 3},
     attrs({{"dilations", ints({2, 2})}, {"pads", ints({2, 0, 1, 2})}}),
     60},
    {"u8_weights_zero_point_128",
     kU8,
     {1, 8, 8, 8},
     {16, 8, 3, 3},
     attrs({{"pads", ints({1, 1, 1, 1})}}),
     9,
     true,
     true,
     kU8,
     kU8},
    // The f32 form (a graph-output convolution: detection heads, a segmentation model's last layer).
    {"f32_output_per_channel",
     kU8,
     {1, 16, 9, 9},
     {24, 16, 3, 3},
     attrs({{"pads", ints({1, 1, 1, 1})}}),
     131,
     true,
     true,
     kU8,
     kI8,
     64,
     true},
    {"f32_output_s8_source_pointwise_no_bias",
     kI8,
     {1, 32, 7, 7},
     {255, 32, 1, 1},
     attrs({}),
     -3,
     true,
     false,
     kU8,
     kI8,
     64,
     true},
    {"f32_output_depthwise",
     kU8,
     {1, 32, 10, 10},
     {32, 1, 3, 3},
     attrs({{"group", int64_t{32}}, {"pads", ints({1, 1, 1, 1})}}),
     128,
     true,
     true,
     kU8,
     kI8,
     64,
     true},
};

INSTANTIATE_TEST_SUITE_P(Cases, QLinearConvKernelTest, ::testing::ValuesIn(kQConvCases),
                         [](const ::testing::TestParamInfo<QConvCase>& p) { return p.param.name; });

// Weights of full s8 range (pairs up to 254) could overflow the i16 pair sums of oneDNN's AVX2 kernel when
// the source is near 255: the kernel must not take them (on a machine without VNNI), and whatever runs must
// still match the reference.
TEST(QLinearConvKernel, FullRangeWeightsStayExact) {
  QConvCase c{"full_range", kU8, {1, 16, 6, 6}, {16, 16, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), 0};
  c.w_limit = 127;
  TensorMap feeds;
  Graph g = qconv_graph(c, feeds);
  Tensor x(kU8, c.x);
  for (uint8_t& v : x.values<uint8_t>()) v = 255;  // the worst case for vpmaddubsw
  feeds["x"] = std::move(x);
  expect_int8_matches_reference(g, feeds);
  if (dnnl::get_effective_cpu_isa() == dnnl::cpu_isa::avx2) {
    EXPECT_NE(chosen_candidate(g, "node"), "onednn_qlinear_conv");
  }
}

// The same in the f32 form: on AVX2 the exact fallback takes it, with an f32 destination.
TEST(QLinearConvKernel, FullRangeWeightsWithF32OutputStayExact) {
  QConvCase c{"full_range_f32", kU8, {1, 16, 6, 6}, {16, 16, 3, 3}, attrs({{"pads", ints({1, 1, 1, 1})}}), 0};
  c.w_limit = 127;
  c.float_output = true;
  TensorMap feeds;
  Graph g = qconv_graph(c, feeds);
  Tensor x(kU8, c.x);
  for (uint8_t& v : x.values<uint8_t>()) v = 255;
  feeds["x"] = std::move(x);
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.exec_type.find("ref"), std::string::npos) << check.exec_type;
}

}  // namespace
}  // namespace octet::test
