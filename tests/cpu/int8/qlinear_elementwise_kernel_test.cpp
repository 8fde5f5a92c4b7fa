// The int8 loops of ours (QLinearAdd, QLinearMul, QLinearConcat, QLinearAveragePool,
// QLinearGlobalAveragePool) against the reference executor on the same node. They compute the op's own float
// formula, so the outputs must be equal (not just within one step): checked with Int8Check::differing == 0.
#include <gtest/gtest.h>

#include "tests/cpu/int8/qoperator_test_support.h"
#include "tests/kernels/x86/x86_int8_test_support.h"

namespace octet::test {
namespace {

struct BinaryCase {
  std::string op;
  ElementType type;
  Dims a, b;
  bool b_constant = false;
};

void check_binary(const BinaryCase& c) {
  Graph g;
  TensorMap feeds;
  Value* a = g.add_input("a", c.type, Shape(c.a));
  feeds["a"] = random_int8(c.type, c.a, 1);
  Value* b = nullptr;
  if (c.b_constant) {
    b = g.add_constant("b", random_int8(c.type, c.b, 2));
  } else {
    b = g.add_input("b", c.type, Shape(c.b));
    feeds["b"] = random_int8(c.type, c.b, 2);
  }
  const bool u8 = c.type == kU8;
  const float c_scale = c.op == "QLinearMul" ? 0.5f : 0.07f;
  std::vector<Value*> inputs = {a,
                                g.add_constant("a_scale", scalar_f32(0.05f)),
                                g.add_constant("a_zero", zero_point(c.type, u8 ? 128 : -3)),
                                b,
                                g.add_constant("b_scale", scalar_f32(0.03f)),
                                g.add_constant("b_zero", zero_point(c.type, u8 ? 100 : 5)),
                                g.add_constant("c_scale", scalar_f32(c_scale)),
                                g.add_constant("c_zero", zero_point(c.type, u8 ? 110 : 0))};
  g.add_output(g.add_node(c.op, "node", inputs, {"y"})->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0);
  // Same-shape runtime operands take the flat vectorized loop, a runtime per-channel B [N|1, C, 1...] the
  // channel loop, other broadcasts the general one.
  const bool flat = c.a == c.b && !c.b_constant;
  const auto is_per_channel = [](const Dims& full, const Dims& other) {
    bool yes = full.size() >= 3 && other.size() == full.size() && other[1] == full[1] &&
               (other[0] == full[0] || other[0] == 1);
    for (size_t d = 2; yes && d < other.size(); ++d) yes = other[d] == 1;
    return yes;
  };
  const bool per_channel = !c.b_constant && (is_per_channel(c.a, c.b) || is_per_channel(c.b, c.a));
  EXPECT_EQ(check.exec_type, flat ? (__builtin_cpu_supports("avx2") ? "eltwise_avx2_I8" : "eltwise_I8")
                             : per_channel ? "channel_eltwise_I8"
                                           : "qlinear_loop_I8");
}

TEST(QLinearBinaryKernel, AddSameShapeU8) {
  check_binary({"QLinearAdd", kU8, {1, 16, 7, 7}, {1, 16, 7, 7}});
}
TEST(QLinearBinaryKernel, AddSameShapeS8) {
  check_binary({"QLinearAdd", kI8, {2, 8, 5, 5}, {2, 8, 5, 5}});
}
TEST(QLinearBinaryKernel, AddBroadcastPerChannelConstant) {
  check_binary({"QLinearAdd", kU8, {1, 16, 6, 6}, {16, 1, 1}, true});
}
TEST(QLinearBinaryKernel, MulBroadcastBothWays) {
  check_binary({"QLinearMul", kU8, {1, 8, 1, 5}, {1, 1, 4, 5}});
}
TEST(QLinearBinaryKernel, MulPerChannelRuntimeScale) {  // squeeze-and-excitation
  check_binary({"QLinearMul", kU8, {1, 24, 5, 7}, {1, 24, 1, 1}});
}
TEST(QLinearBinaryKernel, MulPerChannelScaleFirst) {  // torch's SE: scale * x
  check_binary({"QLinearMul", kU8, {1, 24, 1, 1}, {1, 24, 5, 7}});
}
TEST(QLinearBinaryKernel, AddPerChannelPerImageS8) {
  check_binary({"QLinearAdd", kI8, {2, 8, 3, 3}, {2, 8, 1, 1}});
}
// After an int8 convolution A is channels-last (or blocked): the channel loop reads it as it is when
// channels-last, without reorders around the Mul.
TEST(QLinearBinaryKernel, MulPerChannelAfterInt8Conv) {
  Graph g;
  TensorMap feeds;
  const Dims dims = {1, 32, 6, 6};
  Value* x = g.add_input("x", kU8, Shape(dims));
  feeds["x"] = random_int8(kU8, dims, 9);
  Value* s = g.add_input("s", kU8, Shape({1, 32, 1, 1}));
  feeds["s"] = random_int8(kU8, {1, 32, 1, 1}, 10);
  std::vector<Value*> conv = {x,
                              g.add_constant("cx_scale", scalar_f32(0.02f)),
                              g.add_constant("cx_zero", zero_point(kU8, 128)),
                              g.add_constant("cw", random_int8(kI8, {32, 32, 1, 1}, 4, -60, 60)),
                              g.add_constant("cw_scale", scalar_f32(0.01f)),
                              g.add_constant("cw_zero", zero_point(kI8, 0)),
                              g.add_constant("cy_scale", scalar_f32(0.05f)),
                              g.add_constant("cy_zero", zero_point(kU8, 128))};
  Value* a = g.add_node("QLinearConv", "conv", conv, {"conv_out"})->output(0);
  // B in [0, 1): the product moves A by at most its own step, so the convolution's one-step rounding
  // difference stays within one step.
  std::vector<Value*> inputs = {a,
                                g.add_constant("a_scale", scalar_f32(0.05f)),
                                g.add_constant("a_zero", zero_point(kU8, 128)),
                                s,
                                g.add_constant("b_scale", scalar_f32(1.0f / 256.0f)),
                                g.add_constant("b_zero", zero_point(kU8, 0)),
                                g.add_constant("c_scale", scalar_f32(0.05f)),
                                g.add_constant("c_zero", zero_point(kU8, 128))};
  g.add_output(g.add_node("QLinearMul", "node", inputs, {"y"})->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  // oneDNN writes int8 channels-last with AVX-512 and AVX2 alike; a blocked layout would take the general
  // loop.
  EXPECT_EQ(check.exec_type, "channel_eltwise_I8");
}

TEST(QLinearBinaryKernel, MulScalarS8) {
  check_binary({"QLinearMul", kI8, {3, 10}, {}, true});
}

// On every instruction-set path this CPU has (the requantizing loop compiles for each, x86_isa_loops.h).
TEST(QLinearConcatKernel, EqualAndDifferentParameters) {
  for (const auto& [isa, type] : {std::pair{x86::Isa::kReference, kU8}, std::pair{x86::Isa::kAvx2, kU8},
                                  std::pair{x86::Isa::kAvx2, kI8}, std::pair{x86::Isa::kAvx512Bw, kU8},
                                  std::pair{x86::Isa::kAvx512Bw, kI8}}) {
    if (!x86::cpu_supports(isa)) continue;
    SCOPED_TRACE(std::string(x86::isa_name(isa)) + " " + std::string(to_string(type)));
    const ForcedIsa forced(isa);
    const bool u8 = type == kU8;
    Graph g;
    TensorMap feeds;
    std::vector<Value*> inputs = {g.add_constant("y_scale", scalar_f32(0.1f)),
                                  g.add_constant("y_zero", zero_point(type, u8 ? 128 : 0))};
    // Input 0 has Y's parameters (copied), 1 and 2 are requantized; 2 is a constant.
    const std::vector<std::pair<float, int>> params = {
        {0.1f, u8 ? 128 : 0}, {0.07f, u8 ? 90 : -9}, {0.3f, 3}};
    const std::vector<Dims> dims = {{1, 3, 4, 5}, {1, 5, 4, 5}, {1, 2, 4, 5}};
    for (size_t i = 0; i < 3; ++i) {
      const std::string name = "x" + std::to_string(i);
      Value* x = nullptr;
      if (i == 2) {
        x = g.add_constant(name, random_int8(type, dims[i], 40));
      } else {
        x = g.add_input(name, type, Shape(dims[i]));
        feeds[name] = random_int8(type, dims[i], static_cast<uint32_t>(30 + i));
      }
      inputs.push_back(x);
      inputs.push_back(g.add_constant(name + "_scale", scalar_f32(params[i].first)));
      inputs.push_back(g.add_constant(name + "_zero", zero_point(type, params[i].second)));
    }
    g.add_output(g.add_node("QLinearConcat", "node", inputs, {"y"}, {{"axis", int64_t{1}}})->output(0));
    const Int8Check check = expect_int8_matches_reference(g, feeds);
    EXPECT_EQ(check.differing, 0);
    EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
  }
}

// The requantizing loop assumes finite intermediates: a scale ratio whose products overflow float is left to
// the reference kernel (which saturates them).
TEST(QLinearConcatKernel, DeclinesScaleRatiosThatOverflow) {
  Graph g;
  TensorMap feeds;
  std::vector<Value*> inputs = {g.add_constant("y_scale", scalar_f32(1e-3f)),
                                g.add_constant("y_zero", zero_point(kU8, 0))};
  for (int i = 0; i < 2; ++i) {
    const std::string name = "x" + std::to_string(i);
    Value* x = g.add_input(name, kU8, Shape({1, 2, 3, 3}));
    feeds[name] = random_int8(kU8, {1, 2, 3, 3}, static_cast<uint32_t>(60 + i));
    inputs.push_back(x);
    inputs.push_back(g.add_constant(name + "_scale", scalar_f32(i == 0 ? 1e-3f : 1e36f)));
    inputs.push_back(g.add_constant(name + "_zero", zero_point(kU8, 0)));
  }
  g.add_output(g.add_node("QLinearConcat", "node", inputs, {"y"}, {{"axis", int64_t{1}}})->output(0));
  infer_shapes(g);
  EXPECT_NE(chosen_candidate(g, "node"), "int8_qlinear_concat");
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0);
}

// DenseNet's pattern: two int8 convolutions (channels-last outputs) concatenated along the channels with
// requantization. The concat joins each position's channel rows in channels-last memory, so neither input
// is reordered to plain first; within one step of the reference (the convolutions may be one step off, and
// the requantizing scale ratios are below 1, so the concat cannot widen that).
TEST(QLinearConcatKernel, ChannelsLastInputsStayChannelsLast) {
  Graph g;
  TensorMap feeds;
  std::vector<Value*> inputs = {g.add_constant("y_scale", scalar_f32(0.1f)),
                                g.add_constant("y_zero", zero_point(kU8, 0))};
  const std::vector<std::pair<float, int>> params = {{0.05f, 0}, {0.08f, 3}};
  for (int i = 0; i < 2; ++i) {
    const std::string name = "x" + std::to_string(i);
    const Dims dims = {1, 16, 6, 7};
    Value* x = g.add_input(name, kU8, Shape(dims));
    feeds[name] = random_int8(kU8, dims, static_cast<uint32_t>(50 + i));
    std::vector<Value*> conv = {
        x,
        g.add_constant(name + "_cx_scale", scalar_f32(0.02f)),
        g.add_constant(name + "_cx_zero", zero_point(kU8, 128)),
        g.add_constant(name + "_cw", random_int8(kI8, {8 + 8 * i, 16, 1, 1}, 4, -60, 60)),
        g.add_constant(name + "_cw_scale", scalar_f32(0.01f)),
        g.add_constant(name + "_cw_zero", zero_point(kI8, 0)),
        g.add_constant(name + "_scale", scalar_f32(params[i].first)),
        g.add_constant(name + "_zero", zero_point(kU8, params[i].second))};
    inputs.push_back(
        g.add_node("QLinearConv", "conv" + std::to_string(i), conv, {name + "_conv"})->output(0));
    inputs.push_back(g.add_constant(name + "_cat_scale", scalar_f32(params[i].first)));
    inputs.push_back(g.add_constant(name + "_cat_zero", zero_point(kU8, params[i].second)));
  }
  g.add_output(g.add_node("QLinearConcat", "node", inputs, {"y"}, {{"axis", int64_t{1}}})->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
  // The two sources reordered into the convolutions' layout and the output back to plain; 4 when the concat
  // read plain memory (the two convolution outputs reordered to plain instead of the one output).
  EXPECT_EQ(run_compiled(g, feeds).reorders, 3);
}

// An identity 1x1 QLinearConv (multiplier exactly 1) in front of a pool: oneDNN writes x again,
// channels-last, so the pool's input is the reference's bit for bit and only the layout changes.
Value* add_identity_qconv(Graph& g, Value* x, ElementType type, int64_t channels) {
  const bool u8 = type == kU8;
  Tensor identity(kI8, {channels, channels, 1, 1});
  for (int64_t i = 0; i < channels; ++i) identity.data<int8_t>()[i * channels + i] = 1;
  std::vector<Value*> conv = {x,
                              g.add_constant("cx_scale", scalar_f32(0.05f)),
                              g.add_constant("cx_zero", zero_point(type, u8 ? 128 : 0)),
                              g.add_constant("cw", identity),
                              g.add_constant("cw_scale", scalar_f32(1.0f)),
                              g.add_constant("cw_zero", zero_point(kI8, 0)),
                              g.add_constant("cy_scale", scalar_f32(0.05f)),
                              g.add_constant("cy_zero", zero_point(type, u8 ? 128 : 0))};
  return g.add_node("QLinearConv", "conv", conv, {"conv_out"})->output(0);
}

void check_global_average_pool(ElementType type, const Dims& dims, bool channels_last, bool from_conv) {
  Graph g;
  TensorMap feeds;
  Value* x = g.add_input("x", type, Shape(dims));
  feeds["x"] = random_int8(type, dims, 9);
  const bool u8 = type == kU8;
  if (from_conv) x = add_identity_qconv(g, x, type, dims[1]);
  std::vector<Value*> inputs = {x, g.add_constant("x_scale", scalar_f32(0.05f)),
                                g.add_constant("x_zero", zero_point(type, u8 ? 128 : -2)),
                                g.add_constant("y_scale", scalar_f32(0.02f)),
                                g.add_constant("y_zero", zero_point(type, u8 ? 120 : 4))};
  g.add_output(g.add_node("QLinearGlobalAveragePool", "node", inputs, {"y"},
                          {{"channels_last", int64_t{channels_last ? 1 : 0}}})
                   ->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0);
  EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
}

TEST(QLinearGlobalAveragePoolKernel, NchwU8) {
  check_global_average_pool(kU8, {2, 16, 7, 7}, false, false);
}
TEST(QLinearGlobalAveragePoolKernel, NchwS8) {
  check_global_average_pool(kI8, {1, 8, 5, 6}, false, false);
}
TEST(QLinearGlobalAveragePoolKernel, ChannelsLastAttribute) {
  check_global_average_pool(kU8, {1, 7, 7, 24}, true, false);
}
TEST(QLinearGlobalAveragePoolKernel, AfterInt8Conv) {
  check_global_average_pool(kU8, {1, 32, 7, 7}, false, true);
}
// 7 blocks of 64 channels and a tail of 2, two images: the loop splits (image, block) jobs over the threads.
TEST(QLinearGlobalAveragePoolKernel, ChannelsLastWiderThanOneBlockInParallel) {
  check_global_average_pool(kI8, {2, 9, 9, 450}, true, false);
}
TEST(QLinearGlobalAveragePoolKernel, AfterInt8ConvBatchTwo) {
  check_global_average_pool(kU8, {2, 80, 7, 7}, false, true);
}

struct AveragePoolCase {
  ElementType type;
  Dims dims;
  Dims kernel, strides, pads;
  bool count_include_pad = false;
  bool channels_last = false;  // the attribute: dims are [N, H, W, C]
  bool from_conv = false;      // a QLinearConv in front writes x channels-last
  bool ceil_mode = false;
};

void check_average_pool(const AveragePoolCase& c) {
  Graph g;
  TensorMap feeds;
  Value* x = g.add_input("x", c.type, Shape(c.dims));
  feeds["x"] = random_int8(c.type, c.dims, 11);
  const bool u8 = c.type == kU8;
  if (c.from_conv) x = add_identity_qconv(g, x, c.type, c.dims[1]);
  std::vector<Value*> inputs = {x, g.add_constant("x_scale", scalar_f32(0.05f)),
                                g.add_constant("x_zero", zero_point(c.type, u8 ? 128 : -2)),
                                g.add_constant("y_scale", scalar_f32(0.03f)),
                                g.add_constant("y_zero", zero_point(c.type, u8 ? 120 : 4))};
  g.add_output(g.add_node("QLinearAveragePool", "node", inputs, {"y"},
                          {{"kernel_shape", c.kernel},
                           {"strides", c.strides},
                           {"pads", c.pads},
                           {"count_include_pad", int64_t{c.count_include_pad ? 1 : 0}},
                           {"ceil_mode", int64_t{c.ceil_mode ? 1 : 0}},
                           {"channels_last", int64_t{c.channels_last ? 1 : 0}}})
                   ->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0);
  EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
}

// Inception v3's pooling branches: 3x3, stride 1, pad 1, the padding counted (PyTorch's default).
TEST(QLinearAveragePoolKernel, NchwU8CountingPadding) {
  check_average_pool({kU8, {2, 5, 9, 11}, {3, 3}, {1, 1}, {1, 1, 1, 1}, true});
}
TEST(QLinearAveragePoolKernel, NchwS8NotCountingPadding) {
  check_average_pool({kI8, {1, 6, 8, 7}, {3, 3}, {1, 1}, {1, 1, 1, 1}, false});
}
TEST(QLinearAveragePoolKernel, StridedAsymmetricPadsCeilMode) {
  check_average_pool({kU8, {1, 3, 10, 9}, {3, 2}, {2, 2}, {0, 1, 1, 0}, false, false, false, true});
}
TEST(QLinearAveragePoolKernel, ChannelsLastAttributeWiderThanOneChannelBlock) {
  check_average_pool({kU8, {1, 6, 5, 150}, {3, 3}, {1, 1}, {1, 1, 1, 1}, true, true});
}
TEST(QLinearAveragePoolKernel, AfterInt8ConvReadsItsChannelsLastOutput) {
  check_average_pool({kU8, {1, 96, 9, 9}, {3, 3}, {1, 1}, {1, 1, 1, 1}, true, false, true});
}
TEST(QLinearAveragePoolKernel, OneDimensional) {
  check_average_pool({kI8, {2, 4, 17}, {5}, {3}, {2, 2}, true});
}

// x_scale / y_scale beyond float: the loops' vectorizable requantization needs a finite multiplier, so the
// kernel declines and the node runs on the reference (same outputs).
void check_declines_overflowing_multiplier(const std::string& op, Attributes attributes) {
  Graph g;
  TensorMap feeds;
  const Dims dims{1, 4, 5, 5};
  Value* x = g.add_input("x", kU8, Shape(dims));
  feeds["x"] = random_int8(kU8, dims, 12);
  std::vector<Value*> inputs = {
      x, g.add_constant("x_scale", scalar_f32(1e30f)), g.add_constant("x_zero", zero_point(kU8, 128)),
      g.add_constant("y_scale", scalar_f32(1e-30f)), g.add_constant("y_zero", zero_point(kU8, 120))};
  g.add_output(g.add_node(op, "node", inputs, {"y"}, std::move(attributes))->output(0));
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0);
  EXPECT_NE(check.exec_type, "qlinear_loop_I8");
}

TEST(QLinearAveragePoolKernel, DeclinesAMultiplierThatOverflowsFloat) {
  check_declines_overflowing_multiplier("QLinearAveragePool", {{"kernel_shape", std::vector<int64_t>{3, 3}}});
}

TEST(QLinearGlobalAveragePoolKernel, DeclinesAMultiplierThatOverflowsFloat) {
  check_declines_overflowing_multiplier("QLinearGlobalAveragePool", {});
}

}  // namespace
}  // namespace octet::test
