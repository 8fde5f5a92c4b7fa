// QLinearScaleShift end to end. A per-channel BatchNorm between quantized tensors (DequantizeLinear -> Mul ->
// Add -> Relu -> QuantizeLinear, DenseNet's pre-activation) is compiled into one int8 loop and compared with
// the reference executor on the original Q/DQ graph (within one step: the op moves two float roundings into
// its coefficients); and the kernel on a QLinearScaleShift node is compared with the reference op on the same
// node (bit-exact), reading plain memory and the channels-last output of an int8 convolution.
#include <gtest/gtest.h>

#include <random>

#include "tests/cpu/int8/qoperator_test_support.h"
#include "tests/kernels/x86/x86_int8_test_support.h"

namespace octet::test {
namespace {

const Dims kDims = {1, 24, 7, 9};

std::vector<float> random_floats(size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

// x (u8/i8) -> [QLinearConv, channels-last output] -> returned value.
Value* input(Graph& g, TensorMap& feeds, ElementType type, bool after_conv) {
  Value* x = g.add_input("x", type, Shape(kDims));
  feeds["x"] = random_int8(type, kDims, 5);
  return after_conv ? add_int8_pointwise_conv(g, x, type, kDims[1]) : x;
}

// The BatchNorm as the passes see it: DQ -> Mul([1,C,1,1]) -> Add([C,1,1]) -> Relu -> Q (u8 from 0).
Int8Check check_batch_norm_chain(ElementType type, bool after_conv) {
  Graph g;
  TensorMap feeds;
  Value* x = input(g, feeds, type, after_conv);
  Value* real = g.add_node("DequantizeLinear", "dq",
                           {x, g.add_constant("x_scale", scalar_f32(0.05f)),
                            g.add_constant("x_zero", zero_point(type, type == kU8 ? 128 : 0))},
                           {"real"})
                    ->output(0);
  const int64_t c = kDims[1];
  Value* scale =
      g.add_constant("bn_scale", Tensor::from_vector<float>({1, c, 1, 1}, random_floats(24, 0.3f, 2.f, 1)));
  Value* shift =
      g.add_constant("bn_shift", Tensor::from_vector<float>({c, 1, 1}, random_floats(24, -2.f, 2.f, 2)));
  Value* scaled = g.add_node("Mul", "node", {real, scale}, {"scaled"})->output(0);
  Value* shifted = g.add_node("Add", "shift", {shift, scaled}, {"shifted"})->output(0);
  Value* relu = g.add_node("Relu", "relu", {shifted}, {"relu_out"})->output(0);
  g.add_output(g.add_node("QuantizeLinear", "q",
                          {relu, g.add_constant("y_scale", scalar_f32(0.04f)),
                           g.add_constant("y_zero", zero_point(kU8, 0))},
                          {"y"})
                   ->output(0));
  return expect_int8_matches_reference(g, feeds);
}

TEST(QLinearScaleShiftKernel, BatchNormBetweenQdqRunsAsOneInt8Loop) {
  for (const ElementType type : {kU8, kI8}) {
    for (const bool after_conv : {false, true}) {
      SCOPED_TRACE(std::string(to_string(type)) + (after_conv ? " after an int8 conv" : " plain"));
      const Int8Check check = check_batch_norm_chain(type, after_conv);
      EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
    }
  }
}

// A QLinearScaleShift node as the passes write it, kernel against the reference op on the same node.
Int8Check check_node(ElementType x_type, ElementType y_type, bool after_conv, bool scalar_multiplier) {
  Graph g;
  TensorMap feeds;
  Value* x = input(g, feeds, x_type, after_conv);
  const int64_t c = kDims[1];
  // After a convolution (which may be one step off the reference) |m| = 0.05 * |M| / 0.03 stays below 1, so
  // that step cannot become two.
  const float limit = after_conv ? 0.55f : 3.0f;
  Tensor multiplier = scalar_multiplier
                          ? Tensor::from_vector<float>({1}, std::vector<float>{-0.5f})
                          : Tensor::from_vector<float>({c}, random_floats(24, -limit, limit, 3));
  std::vector<Value*> inputs = {
      x,
      g.add_constant("x_scale", scalar_f32(0.05f)),
      g.add_constant("x_zero", zero_point(x_type, x_type == kU8 ? 120 : -4)),
      g.add_constant("multiplier", std::move(multiplier)),
      g.add_constant("offset", Tensor::from_vector<float>({c}, random_floats(24, -3.f, 3.f, 4))),
      g.add_constant("y_scale", scalar_f32(0.03f)),
      g.add_constant("y_zero", zero_point(y_type, y_type == kU8 ? 110 : 7))};
  g.add_output(g.add_node("QLinearScaleShift", "node", inputs, {"y"})->output(0));
  return expect_int8_matches_reference(g, feeds);
}

TEST(QLinearScaleShiftKernel, EqualsTheReferenceOpBitForBit) {
  for (const ElementType x_type : {kU8, kI8}) {
    for (const ElementType y_type : {kU8, kI8}) {
      for (const bool after_conv : {false, true}) {
        for (const bool scalar : {false, true}) {
          SCOPED_TRACE(std::string(to_string(x_type)) + " -> " + std::string(to_string(y_type)) +
                       (after_conv ? " after an int8 conv" : " plain") +
                       (scalar ? " scalar multiplier" : ""));
          const Int8Check check = check_node(x_type, y_type, after_conv, scalar);
          EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
          // The convolution before it may be one step off; the node's own arithmetic is the reference's.
          if (!after_conv) {
            EXPECT_EQ(check.differing, 0);
          }
        }
      }
    }
  }
}

// The loops compile for AVX-512, AVX2 and the baseline (x86_isa_loops.h): every path this CPU has gives the
// reference's bytes.
TEST(QLinearScaleShiftKernel, EveryIsaPathEqualsTheReference) {
  for (const x86::Isa isa : x86::available_isas()) {
    SCOPED_TRACE(x86::isa_name(isa));
    const ForcedIsa forced(isa);
    for (const bool after_conv : {false, true}) {
      const Int8Check check = check_node(kU8, kI8, after_conv, false);
      EXPECT_EQ(check.exec_type, "qlinear_loop_I8");
      if (!after_conv) {
        EXPECT_EQ(check.differing, 0);
      }
    }
  }
}

// Non-finite coefficients would break the vectorized rounding: the kernel declines, the reference runs.
TEST(QLinearScaleShiftKernel, DeclinesNonFiniteCoefficients) {
  Graph g;
  TensorMap feeds;
  Value* x = input(g, feeds, kU8, false);
  std::vector<float> m(24, 1.0f);
  m[5] = std::numeric_limits<float>::infinity();
  std::vector<Value*> inputs = {
      x,
      g.add_constant("x_scale", scalar_f32(0.05f)),
      g.add_constant("x_zero", zero_point(kU8, 0)),
      g.add_constant("multiplier", Tensor::from_vector<float>({24}, m)),
      g.add_constant("offset", Tensor::from_vector<float>({1}, std::vector<float>{0.5f})),
      g.add_constant("y_scale", scalar_f32(0.03f)),
      g.add_constant("y_zero", zero_point(kU8, 0))};
  g.add_output(g.add_node("QLinearScaleShift", "node", inputs, {"y"})->output(0));
  infer_shapes(g);
  EXPECT_NE(chosen_candidate(g, "node"), "int8_qlinear_scale_shift");
  const Int8Check check = expect_int8_matches_reference(g, feeds);
  EXPECT_EQ(check.differing, 0);
}

}  // namespace
}  // namespace octet::test
