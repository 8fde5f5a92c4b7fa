// QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear against hand-computed and numpy values.
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "ops/quantization_math.h"
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

TEST(QuantizationMathTest, RoundHalfToEvenOnTies) {
  EXPECT_EQ(round_half_to_even(0.5f), 0.0f);
  EXPECT_EQ(round_half_to_even(1.5f), 2.0f);
  EXPECT_EQ(round_half_to_even(2.5f), 2.0f);
  EXPECT_EQ(round_half_to_even(-0.5f), 0.0f);
  EXPECT_TRUE(std::signbit(round_half_to_even(-0.5f)));  // -0, as nearbyint gives
  EXPECT_EQ(round_half_to_even(-1.5f), -2.0f);
  EXPECT_EQ(round_half_to_even(-2.5f), -2.0f);
  EXPECT_EQ(round_half_to_even(0.49999997f), 0.0f);  // largest float below 0.5
  EXPECT_EQ(round_half_to_even(2.5000002f), 3.0f);   // just above a tie
  EXPECT_EQ(round_half_to_even(-3.7f), -4.0f);
  EXPECT_EQ(round_half_to_even(8388609.0f), 8388609.0f);  // 2^23 + 1: no fraction, odd stays
  EXPECT_TRUE(std::isinf(round_half_to_even(std::numeric_limits<float>::infinity())));
}

// The oracle: std::nearbyint under the default rounding mode (ties to even), on every quarter step over
// +-2^20 (all ties and both sides of them), around 2^22 and 2^23 where float spacing reaches 0.5 and 1, and
// on random bit patterns of every magnitude.
TEST(QuantizationMathTest, RoundHalfToEvenEqualsNearbyint) {
  auto same = [](float v) {
    const float want = std::nearbyint(v), got = round_half_to_even(v);
    return (std::isnan(want) && std::isnan(got)) || (want == got && std::signbit(want) == std::signbit(got));
  };
  int64_t mismatches = 0;
  for (int32_t q = -(1 << 22); q <= (1 << 22); ++q) mismatches += !same(static_cast<float>(q) * 0.25f);
  for (float base : {4194304.0f, 8388608.0f}) {
    for (float v = base - 64.0f; v <= base + 64.0f; v = std::nextafter(v, 1e30f)) {
      mismatches += !same(v);
      mismatches += !same(-v);
    }
  }
  uint32_t bits = 12345;
  for (int i = 0; i < 1000000; ++i) {
    bits = bits * 1664525u + 1013904223u;  // every exponent, NaNs and infinities included
    float v;
    std::memcpy(&v, &bits, sizeof v);
    mismatches += !same(v);
  }
  EXPECT_EQ(mismatches, 0);
}

// Over accumulators from -2^24 to 2^24 (ties included: multipliers of 0.5 and 0.25 make them) and the
// multipliers a requantization meets, with the zero points at both ends.
TEST(QuantizationMathTest, VectorizableRequantizeIsRequantize) {
  int64_t mismatches = 0;
  for (float multiplier : {1.0f, 0.5f, 0.25f, 0.0372f, 0.9999f, 3.0f / 7.0f, 1.7e-3f, 41.5f}) {
    for (int32_t zero : {0, 128, 255}) {
      for (int32_t acc = -(1 << 16); acc <= (1 << 16); ++acc)
        mismatches += requantize_vectorizable<uint8_t>(acc, multiplier, zero) !=
                      requantize<uint8_t>(acc, multiplier, zero);
      for (int32_t acc : {-(1 << 24), -(1 << 23) - 1, (1 << 22) + 3, (1 << 24)})
        mismatches += requantize_vectorizable<uint8_t>(acc, multiplier, zero) !=
                      requantize<uint8_t>(acc, multiplier, zero);
    }
    for (int32_t zero : {-128, -3, 0, 127})
      for (int32_t acc = -(1 << 16); acc <= (1 << 16); ++acc)
        mismatches += requantize_vectorizable<int8_t>(acc, multiplier, zero) !=
                      requantize<int8_t>(acc, multiplier, zero);
  }
  EXPECT_EQ(mismatches, 0);
}

// QuantizeLinear's vectorized loop against the op's formula on every float bit pattern of a sweep (ties,
// saturation, NaN, infinities, subnormals) and several scales and zero points.
TEST(QuantizationMathTest, VectorizableQuantizeIsQuantize) {
  int64_t mismatches = 0;
  std::vector<float> values = {0.0f,
                               -0.0f,
                               0.5f,
                               1.5f,
                               -2.5f,
                               254.5f,
                               255.5f,
                               -128.5f,
                               1e30f,
                               -1e30f,
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               std::numeric_limits<float>::quiet_NaN(),
                               std::numeric_limits<float>::denorm_min()};
  for (uint32_t bits = 0; bits < 0xFFFFFFFFu - 65521u;
       bits += 65521u) {  // ~65 K patterns across all exponents
    float v;
    std::memcpy(&v, &bits, sizeof v);
    values.push_back(v);
  }
  for (float v = -300.0f; v <= 300.0f; v += 0.25f) values.push_back(v);
  for (const float scale : {1.0f, 0.5f, 0.0372f, 3.0f, 1e-20f})
    for (const float v : values) {
      for (int32_t zero : {0, 128, 255})
        mismatches +=
            quantize_value_vectorizable<uint8_t>(v, scale, zero) != quantize_value<uint8_t>(v, scale, zero);
      for (int32_t zero : {-128, 0, 127})
        mismatches +=
            quantize_value_vectorizable<int8_t>(v, scale, zero) != quantize_value<int8_t>(v, scale, zero);
    }
  EXPECT_EQ(mismatches, 0);
}

// QLinearConcat's vectorized requantization against the op's formula: every stored value, scale pairs that
// shrink, keep and grow (ties included: 0.5 / 0.25 doubles, 0.3 / 0.6 halves), every zero-point corner.
TEST(QuantizationMathTest, VectorizableRescaleIsQuantizeOfDequantize) {
  int64_t mismatches = 0;
  for (const auto& [x_scale, y_scale] : {std::pair{0.5f, 0.25f}, std::pair{0.3f, 0.6f}, std::pair{0.1f, 0.1f},
                                         std::pair{0.0372f, 0.0511f}, std::pair{7.0f, 1e-3f}}) {
    for (int32_t x_zero : {0, 3, 128, 255})
      for (int32_t y_zero : {0, 131, 255})
        for (int32_t q = 0; q < 256; ++q)
          mismatches += rescale_value_vectorizable<uint8_t>(q - x_zero, x_scale, y_scale, y_zero) !=
                        quantize_value<uint8_t>(dequantize_value(q, x_scale, x_zero), y_scale, y_zero);
    for (int32_t x_zero : {-128, 0, 9})
      for (int32_t y_zero : {-128, -5, 127})
        for (int32_t q = -128; q < 128; ++q)
          mismatches += rescale_value_vectorizable<int8_t>(q - x_zero, x_scale, y_scale, y_zero) !=
                        quantize_value<int8_t>(dequantize_value(q, x_scale, x_zero), y_scale, y_zero);
  }
  EXPECT_EQ(mismatches, 0);
}

// QLinearScaleShift's vectorized element against the reference's: every x - x_zp, multipliers of both signs
// and magnitudes, offsets that put values on ties (m = 0.5 with b = 0.25 gives k + 0.5 and k + 0.25 + ...).
TEST(QuantizationMathTest, VectorizableScaleShiftIsScaleShift) {
  int64_t mismatches = 0;
  for (const float m : {0.5f, -0.5f, 1.0f, 0.0372f, -2.75f, 41.5f, 1e-6f})
    for (const float b : {0.0f, 0.25f, -0.5f, 3.7f, -1000.5f, 5e6f})
      for (int32_t x = -510; x <= 510; ++x) {
        for (int32_t zero : {0, 128, 255})
          mismatches += scale_shift_value_vectorizable<uint8_t>(x, m, b, zero) !=
                        scale_shift_value<uint8_t>(x, m, b, zero);
        for (int32_t zero : {-128, 0, 127})
          mismatches += scale_shift_value_vectorizable<int8_t>(x, m, b, zero) !=
                        scale_shift_value<int8_t>(x, m, b, zero);
      }
  EXPECT_EQ(mismatches, 0);
}

TEST(QuantizationMathTest, SaturateAndRequantize) {
  EXPECT_EQ(saturate_to<uint8_t>(-1.0f), 0);
  EXPECT_EQ(saturate_to<uint8_t>(256.0f), 255);
  EXPECT_EQ(saturate_to<int8_t>(-129.0f), -128);
  EXPECT_EQ(saturate_to<int8_t>(std::numeric_limits<float>::quiet_NaN()), 0);
  // 5 * 0.5 = 2.5 -> 2 (tie to even) + 10 = 12; 7 * 0.5 = 3.5 -> 4 + 10 = 14.
  EXPECT_EQ(requantize<uint8_t>(5, 0.5f, 10), 12);
  EXPECT_EQ(requantize<uint8_t>(7, 0.5f, 10), 14);
  EXPECT_EQ(requantize<int8_t>(-1000, 0.5f, 0), -128);
  EXPECT_EQ(requantize<uint8_t>(int64_t{1} << 40, 1.0f, 0), 255);
}

TEST(QuantizeLinearTest, TiesRoundToEvenAfterDivision) {
  // x / 2 = 0.5, 1.5, 2.5, -0.5, -1.5, -2.5 -> 0, 2, 2, -0, -2, -2; + zero point 10.
  const Tensor y = run_single("QuantizeLinear", fed_then_constants({make<float>({6}, {1, 3, 5, -1, -3, -5}),
                                                                    scalar(2.0f), scalar<uint8_t>(10)}));
  EXPECT_EQ(y.type(), ElementType::kU8);
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{10, 12, 12, 10, 8, 8}));
}

TEST(QuantizeLinearTest, SaturatesToU8AndI8) {
  const Tensor u8 = run_single(
      "QuantizeLinear", fed_then_constants({make<float>({4}, {-100, 300, 1000, 254.5f}), scalar(1.0f)}));
  EXPECT_EQ(u8.type(), ElementType::kU8);                                       // no zero point: u8
  EXPECT_EQ(values_of<uint8_t>(u8), (std::vector<uint8_t>{0, 255, 255, 254}));  // 254.5 -> 254 (even)
  // round(x) - 3: -200 -> -203 -> -128; 200 -> 197 -> 127; 127 -> 124; -126 -> -129 -> -128; 130.5 -> 130 ->
  // 127.
  const Tensor i8 =
      run_single("QuantizeLinear", fed_then_constants({make<float>({5}, {-200, 200, 127, -126, 130.5f}),
                                                       scalar(1.0f), scalar<int8_t>(-3)}));
  EXPECT_EQ(i8.type(), ElementType::kI8);
  EXPECT_EQ(values_of<int8_t>(i8), (std::vector<int8_t>{-128, 127, 124, -128, 127}));
}

TEST(QuantizeLinearTest, Int32Input) {
  // ONNX allows int32 x: 7 / 2 = 3.5 -> 4; -7 / 2 = -3.5 -> -4.
  const Tensor y = run_single(
      "QuantizeLinear", fed_then_constants({make<int32_t>({2}, {7, -7}), scalar(2.0f), scalar<int8_t>(0)}));
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{4, -4}));
}

// numpy: x = arange(-6, 6).reshape(2,3,2) * 0.75; s = [1,0.5,2], zp = [0,10,128] along axis 1;
// clip(rint(x / s) + zp, 0, 255).
const std::vector<float> kPerAxisX{-4.5, -3.75, -3.0, -2.25, -1.5, -0.75, 0.0, 0.75, 1.5, 2.25, 3.0, 3.75};
const std::vector<uint8_t> kPerAxisY{0, 0, 4, 6, 127, 128, 0, 1, 13, 14, 130, 130};

TEST(QuantizeLinearTest, PerAxis) {
  const std::vector<Tensor> inputs{make<float>({2, 3, 2}, kPerAxisX), make<float>({3}, {1, 0.5f, 2}),
                                   make<uint8_t>({3}, {0, 10, 128})};
  EXPECT_EQ(values_of<uint8_t>(run_single("QuantizeLinear", fed_then_constants(inputs))),
            kPerAxisY);  // default axis 1
  EXPECT_EQ(
      values_of<uint8_t>(run_single("QuantizeLinear", fed_then_constants(inputs), {{"axis", int64_t{-2}}})),
      kPerAxisY);
}

TEST(QuantizeLinearTest, PerAxisAlongLastAxis) {
  // x [2,2] with scales [1, 4] along axis 1: [[6/1, 6/4], [-2/1, 10/4]] = [[6, 1.5], [-2, 2.5]] -> [[6, 2],
  // [-2, 2]].
  const Tensor y = run_single("QuantizeLinear",
                              fed_then_constants({make<float>({2, 2}, {6, 6, -2, 10}),
                                                  make<float>({2}, {1, 4}), make<int8_t>({2}, {0, 0})}),
                              {{"axis", int64_t{1}}});
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{6, 2, -2, 2}));
}

TEST(QuantizeLinearTest, RejectsBadScalesAndZeroPoints) {
  const Tensor x = make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  for (float bad :
       {0.0f, -1.0f, std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()})
    expect_error(
        [&] {
          build_op("QuantizeLinear", fed_then_constants({x, scalar(bad)}));
        },
        ErrorCode::kInvalidModel, "positive and finite");
  expect_error(
      [&] {
        build_op("QuantizeLinear", fed_then_constants({x, scalar(1.0f), scalar<int32_t>(0)}));
      },
      ErrorCode::kInvalidModel, "expected u8 or i8");
  expect_error(
      [&] {
        build_op("QuantizeLinear", fed_then_constants({x, scalar(1.0f), scalar<float>(0)}));
      },
      ErrorCode::kInvalidModel, "expected u8 or i8");
  // Per-axis along axis 1 (3 channels) with 2 scales.
  expect_error(
      [&] {
        build_op("QuantizeLinear", fed_then_constants({x, make<float>({2}, {1, 2})}));
      },
      ErrorCode::kInvalidModel, "y_scale has 2 elements, expected 1 or 3");
  // Scale and zero point of different lengths.
  expect_error(
      [&] {
        build_op("QuantizeLinear",
                 fed_then_constants({x, make<float>({3}, {1, 2, 3}), make<uint8_t>({2}, {0, 0})}));
      },
      ErrorCode::kInvalidModel, "y_scale has 3 elements but y_zero_point has 2");
  expect_error(
      [&] {
        build_op("QuantizeLinear", fed_then_constants({x, make<float>({1, 3}, {1, 2, 3})}));
      },
      ErrorCode::kUnsupported, "only a scalar or 1-d tensor");
  expect_error(
      [&] {
        build_op("QuantizeLinear", fed_then_constants({x, make<float>({3}, {1, 2, 3})}),
                 {{"axis", int64_t{2}}});
      },
      ErrorCode::kInvalidModel, "axis 2 is out of range");
}

TEST(QuantizeLinearTest, RejectsBadScaleAtRunTime) {
  // A scale that is a graph input is only known when the graph runs.
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{2});
  Value* s = g.add_input("s", ElementType::kF32, Shape(Dims{}));
  Node* n = g.add_node("QuantizeLinear", "node", {x, s}, {"y"});
  g.add_output(n->output(0));
  infer_shapes(g);
  const ReferenceExecutor executor(g);
  EXPECT_EQ(values_of<uint8_t>(executor.run({{"x", make<float>({2}, {3, 5})}, {"s", scalar(2.0f)}}).at("y")),
            (std::vector<uint8_t>{2, 2}));  // 1.5 -> 2, 2.5 -> 2
  expect_error(
      [&] {
        executor.run({{"x", make<float>({2}, {3, 5})}, {"s", scalar(-2.0f)}});
      },
      ErrorCode::kInvalidModel, "y_scale[0] is -2");
}

TEST(DequantizeLinearTest, PerTensorU8I8I32) {
  // (q - zp) * scale: (0 - 128) * 0.5 = -64, (255 - 128) * 0.5 = 63.5, (128 - 128) * 0.5 = 0.
  EXPECT_EQ(values_of<float>(run_single(
                "DequantizeLinear",
                fed_then_constants({make<uint8_t>({3}, {0, 255, 128}), scalar(0.5f), scalar<uint8_t>(128)}))),
            (std::vector<float>{-64, 63.5f, 0}));
  // (-128 - (-1)) * 0.25 = -31.75, (127 + 1) * 0.25 = 32.
  EXPECT_EQ(values_of<float>(run_single(
                "DequantizeLinear",
                fed_then_constants({make<int8_t>({2}, {-128, 127}), scalar(0.25f), scalar<int8_t>(-1)}))),
            (std::vector<float>{-31.75f, 32}));
  // i32 has no zero point: 1000 * 0.001 = 1 (in float: 1000 * 0.001f = 1.0000000475 -> rounds to 1.0f).
  EXPECT_EQ(values_of<float>(run_single("DequantizeLinear",
                                        fed_then_constants({make<int32_t>({2}, {1000, -7}), scalar(0.5f)}))),
            (std::vector<float>{500, -3.5f}));
}

TEST(DequantizeLinearTest, PerAxis) {
  // numpy: (q - zp) * s with q = [0,255,3,128,7,9,200,1,130,127,12,66].reshape(2,3,2), s = [1,0.5,2],
  // zp = [0,10,128] along axis 1.
  const Tensor y = run_single(
      "DequantizeLinear",
      fed_then_constants({make<uint8_t>({2, 3, 2}, {0, 255, 3, 128, 7, 9, 200, 1, 130, 127, 12, 66}),
                          make<float>({3}, {1, 0.5f, 2}), make<uint8_t>({3}, {0, 10, 128})}));
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{0.0, 255.0, -3.5, 59.0, -242.0, -238.0, 200.0, 1.0, 60.0,
                                                     58.5, -232.0, -124.0}));
}

TEST(DequantizeLinearTest, RejectsMismatchedZeroPoint) {
  expect_error(
      [] {
        build_op("DequantizeLinear",
                 fed_then_constants({make<uint8_t>({2}, {1, 2}), scalar(1.0f), scalar<int8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "x_zero_point has type i8, expected u8");
  expect_error(
      [] {
        build_op("DequantizeLinear",
                 fed_then_constants({make<int32_t>({2}, {1, 2}), scalar(1.0f), scalar<int32_t>(3)}));
      },
      ErrorCode::kInvalidModel, "must be 0");
  expect_error(
      [] {
        build_op("DequantizeLinear", fed_then_constants({make<float>({2}, {1, 2}), scalar(1.0f)}));
      },
      ErrorCode::kInvalidModel, "expected one of u8, i8, i32");
}

TEST(DynamicQuantizeLinearTest, MatchesOnnxFormula) {
  // numpy (ONNX formula in float32): range [-3, 2], scale = 5/255 = 0.019607844, zp = rint(3 / scale) = 153,
  // y = clip(rint(x / scale) + 153, 0, 255).
  const std::vector<Tensor> out =
      SingleOp("DynamicQuantizeLinear",
               fed_then_constants({make<float>({2, 3}, {0, 2, -3, -2.5f, 1.34f, 0.5f})}), {}, 3)
          .run();
  EXPECT_EQ(values_of<uint8_t>(out[0]), (std::vector<uint8_t>{153, 255, 0, 26, 221, 179}));
  EXPECT_EQ(out[1].data<float>()[0], 0x1.414142p-6f);
  EXPECT_EQ(out[2].data<uint8_t>()[0], 153);
}

TEST(DynamicQuantizeLinearTest, RangeIncludesZero) {
  // All positive: range [0, 4], scale 4/255, zp 0 -> [64, 159, 255]; all negative: range [-4, 0], zp 255.
  std::vector<Tensor> out =
      SingleOp("DynamicQuantizeLinear", fed_then_constants({make<float>({3}, {1, 2.5f, 4})}), {}, 3).run();
  EXPECT_EQ(values_of<uint8_t>(out[0]), (std::vector<uint8_t>{64, 159, 255}));
  EXPECT_EQ(out[2].data<uint8_t>()[0], 0);
  out =
      SingleOp("DynamicQuantizeLinear", fed_then_constants({make<float>({3}, {-1, -2.5f, -4})}), {}, 3).run();
  EXPECT_EQ(values_of<uint8_t>(out[0]), (std::vector<uint8_t>{191, 96, 0}));
  EXPECT_EQ(out[1].data<float>()[0], 0x1.010102p-6f);
  EXPECT_EQ(out[2].data<uint8_t>()[0], 255);
  // All zeros: scale 1 (as ONNX Runtime), zp 0.
  out = SingleOp("DynamicQuantizeLinear", fed_then_constants({make<float>({2}, {0, 0})}), {}, 3).run();
  EXPECT_EQ(out[1].data<float>()[0], 1.0f);
  EXPECT_EQ(values_of<uint8_t>(out[0]), (std::vector<uint8_t>{0, 0}));
}

}  // namespace
}  // namespace octet

namespace octet {
namespace {

// Shape inference with dynamic dims: the checks that need a dim are skipped, the others still run.
TEST(QuantizationShapeInferenceTest, DynamicDims) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{kDynamicDim, 3, kDynamicDim});
  Value* scales = g.add_constant("s", make<float>({3}, {1, 2, 3}));
  Value* zeros = g.add_constant("z", make<int8_t>({3}, {0, 1, 2}));
  Node* q = g.add_node("QuantizeLinear", "q", {x, scales, zeros}, {"q_out"});
  Node* dq = g.add_node("DequantizeLinear", "dq", {q->output(0), scales, zeros}, {"dq_out"});
  Value* w = g.add_constant("w", make<int8_t>({4, 3, 3}, std::vector<int8_t>(36, 1)));
  Node* conv = g.add_node("ConvInteger", "conv", {q->output(0), w}, {"conv_out"}, {{"pads", Dims{1, 1}}});
  Node* fq =
      g.add_node("FakeQuantize", "fq",
                 {dq->output(0), g.add_constant("il", Tensor::scalar(0.0f)),
                  g.add_constant("ih", make<float>({3, 1}, {1, 2, 3})),
                  g.add_constant("ol", Tensor::scalar(0.0f)), g.add_constant("oh", Tensor::scalar(1.0f))},
                 {"fq_out"}, {{"levels", int64_t{256}}});
  g.set_outputs({conv->output(0), fq->output(0)});
  infer_shapes(g);
  EXPECT_EQ(q->output(0)->type(), ElementType::kI8);
  EXPECT_EQ(q->output(0)->shape(), (Shape{kDynamicDim, 3, kDynamicDim}));
  EXPECT_EQ(dq->output(0)->type(), ElementType::kF32);
  EXPECT_EQ(conv->output(0)->type(), ElementType::kI32);
  EXPECT_EQ(conv->output(0)->shape(), (Shape{kDynamicDim, 4, kDynamicDim}));
  EXPECT_EQ(fq->output(0)->shape(), (Shape{kDynamicDim, 3, kDynamicDim}));

  // The per-axis check still runs on the static axis: 2 scales for 3 channels.
  Graph bad;
  Value* bx = bad.add_input("x", ElementType::kF32, Shape{kDynamicDim, 3});
  Node* node =
      bad.add_node("QuantizeLinear", "node", {bx, bad.add_constant("s", make<float>({2}, {1, 2}))}, {"y"});
  bad.add_output(node->output(0));
  expect_error([&] { infer_shapes(bad); }, ErrorCode::kInvalidModel,
               "y_scale has 2 elements, expected 1 or 3");
}

}  // namespace
}  // namespace octet
