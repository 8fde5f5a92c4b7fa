// ConvInteger, MatMulInteger, QLinearConv and QLinearMatMul. Small cases are computed by hand (in the
// comments); QLinearConv / QLinearMatMul are also compared on random data with a test-side oracle:
// dequantize -> float convolution / matmul (plain loops written here, in double) -> quantize.
#include <cmath>
#include <random>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

TEST(ConvIntegerTest, ZeroPointsAndPadding) {
  // x - 1 = [[0,1,2],[3,4,5],[6,7,8]], w = [[1,0],[0,1]]: each output is x'(i-1, j-1) + x'(i, j) with pads 1;
  // padding reads the zero point, so it contributes 0.
  const std::vector<Tensor> inputs{make<uint8_t>({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                                   make<uint8_t>({1, 1, 2, 2}, {1, 0, 0, 1}), scalar<uint8_t>(1)};
  const Tensor valid = run_single("ConvInteger", fed_then_constants(inputs));
  EXPECT_EQ(valid.type(), ElementType::kI32);
  EXPECT_EQ(valid.dims(), (Dims{1, 1, 2, 2}));
  EXPECT_EQ(values_of<int32_t>(valid), (std::vector<int32_t>{4, 6, 10, 12}));
  const Tensor padded =
      run_single("ConvInteger", fed_then_constants(inputs), {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
  EXPECT_EQ(padded.dims(), (Dims{1, 1, 4, 4}));
  EXPECT_EQ(values_of<int32_t>(padded),
            (std::vector<int32_t>{0, 1, 2, 0, 3, 4, 6, 2, 6, 10, 12, 5, 0, 6, 7, 8}));
}

TEST(ConvIntegerTest, PerChannelWeightZeroPoint) {
  // x i8 [1,1,1,2] = [-3, 5] (no zero point); w u8 [2,1,1,1] = [10, 200] with zero points [8, 128]:
  // channel 0: (10 - 8) * x = [-6, 10]; channel 1: (200 - 128) * x = 72 * x = [-216, 360].
  const Tensor y = run_single("ConvInteger", fed_then_constants({make<int8_t>({1, 1, 1, 2}, {-3, 5}),
                                                                 make<uint8_t>({2, 1, 1, 1}, {10, 200}),
                                                                 Tensor(), make<uint8_t>({2}, {8, 128})}));
  EXPECT_EQ(values_of<int32_t>(y), (std::vector<int32_t>{-6, 10, -216, 360}));
  expect_error(
      [] {
        build_op("ConvInteger",
                 fed_then_constants({make<int8_t>({1, 1, 1, 2}, {-3, 5}),
                                     make<uint8_t>({2, 1, 1, 1}, {10, 200}), scalar<uint8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "x_zero_point has type u8, expected i8");
  expect_error(
      [] {
        build_op("ConvInteger", fed_then_constants({make<int8_t>({1, 1, 1, 2}, {-3, 5}),
                                                    make<uint8_t>({2, 1, 1, 1}, {10, 200}), Tensor(),
                                                    make<uint8_t>({3}, {8, 128, 0})}));
      },
      ErrorCode::kInvalidModel, "w_zero_point has 3 elements, expected 1 or 2");
}

TEST(MatMulIntegerTest, PerColumnZeroPoint) {
  // A - 1 = [[0,1,2],[3,4,5]]; B - [0,-1] = [[1,0],[2,1],[-3,5]];
  // Y = [[0+2-6, 0+1+10], [3+8-15, 0+4+25]] = [[-4, 11], [-4, 29]].
  const Tensor y =
      run_single("MatMulInteger", fed_then_constants({make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}),
                                                      make<int8_t>({3, 2}, {1, -1, 2, 0, -3, 4}),
                                                      scalar<uint8_t>(1), make<int8_t>({2}, {0, -1})}));
  EXPECT_EQ(y.type(), ElementType::kI32);
  EXPECT_EQ(values_of<int32_t>(y), (std::vector<int32_t>{-4, 11, -4, 29}));
  // Batched A [2,1,3] against B [3,2] without zero points: rows [1,2,3] and [4,5,6] times B.
  const Tensor batched =
      run_single("MatMulInteger", fed_then_constants({make<uint8_t>({2, 1, 3}, {1, 2, 3, 4, 5, 6}),
                                                      make<int8_t>({3, 2}, {1, -1, 2, 0, -3, 4})}));
  EXPECT_EQ(batched.dims(), (Dims{2, 1, 2}));
  EXPECT_EQ(values_of<int32_t>(batched), (std::vector<int32_t>{-4, 11, -4, 20}));
  expect_error(
      [] {
        build_op("MatMulInteger", fed_then_constants({make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}),
                                                      make<int8_t>({3, 2}, {1, -1, 2, 0, -3, 4}),
                                                      make<uint8_t>({2}, {1, 2})}));
      },
      ErrorCode::kUnsupported, "per-row");
}

// Inputs of QLinearConv in order: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, [B].
TEST(QLinearConvTest, HandComputedPerChannelWithBiasAndTies) {
  // x - 8 = [2, 4, 5]; channel 0: w - 0 = 3, multiplier 0.5 * 0.5 / 1 = 0.25; channel 1: w - 1 = -3,
  // multiplier 0.5 * 1 / 1 = 0.5. Without bias: ch0 acc [6, 12, 15] * 0.25 = [1.5, 3, 3.75] -> [2, 3, 4];
  // ch1 acc [-6, -12, -15] * 0.5 = [-3, -6, -7.5] -> [-3, -6, -8]; + y_zp 100.
  std::vector<Tensor> inputs{make<uint8_t>({1, 1, 1, 3}, {10, 12, 13}),
                             scalar(0.5f),
                             scalar<uint8_t>(8),
                             make<int8_t>({2, 1, 1, 1}, {3, -2}),
                             make<float>({2}, {0.5f, 1.0f}),
                             make<int8_t>({2}, {0, 1}),
                             scalar(1.0f),
                             scalar<uint8_t>(100)};
  Tensor y = run_single("QLinearConv", fed_then_constants(inputs));
  EXPECT_EQ(y.type(), ElementType::kU8);
  EXPECT_EQ(y.dims(), (Dims{1, 2, 1, 3}));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{102, 103, 104, 97, 94, 92}));
  // Bias [1, -1]: ch0 [7, 13, 16] * 0.25 = [1.75, 3.25, 4] -> [2, 3, 4]; ch1 [-7, -13, -16] * 0.5 =
  // [-3.5, -6.5, -8] -> [-4, -6, -8].
  inputs.push_back(make<int32_t>({2}, {1, -1}));
  y = run_single("QLinearConv", fed_then_constants(inputs));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{102, 103, 104, 96, 94, 92}));
  // i8 output that saturates: y_scale 0.01 -> ch0 [175, 325, 400] -> 127; ch1 [-350, ...] -> -128.
  inputs[6] = scalar(0.01f);
  inputs[7] = scalar<int8_t>(0);
  y = run_single("QLinearConv", fed_then_constants(inputs));
  EXPECT_EQ(y.type(), ElementType::kI8);
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{127, 127, 127, -128, -128, -128}));
}

// Octet's f32 form (no y_scale, no y_zero_point): the same accumulators times x_scale * w_scale[m], f32.
TEST(QLinearConvTest, F32FormWithoutYParameters) {
  std::vector<Tensor> inputs{make<uint8_t>({1, 1, 1, 3}, {10, 12, 13}),
                             scalar(0.5f),
                             scalar<uint8_t>(8),
                             make<int8_t>({2, 1, 1, 1}, {3, -2}),
                             make<float>({2}, {0.5f, 1.0f}),
                             make<int8_t>({2}, {0, 1})};
  // ch0 [6, 12, 15] * 0.25 = [1.5, 3, 3.75]; ch1 [-6, -12, -15] * 0.5 = [-3, -6, -7.5].
  const Tensor y = run_single("QLinearConv", fed_then_constants(inputs));
  EXPECT_EQ(y.type(), ElementType::kF32);
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{1.5f, 3.0f, 3.75f, -3.0f, -6.0f, -7.5f}));
  // y_scale without y_zero_point is neither form.
  inputs.push_back(scalar(1.0f));
  expect_error([&] { build_op("QLinearConv", fed_then_constants(inputs)); }, ErrorCode::kInvalidModel,
               "y_scale and y_zero_point must be given together");
}

TEST(QLinearConvTest, RejectsBadParameters) {
  const std::vector<Tensor> good{make<uint8_t>({1, 1, 1, 3}, {10, 12, 13}),
                                 scalar(0.5f),
                                 scalar<uint8_t>(8),
                                 make<int8_t>({2, 1, 1, 1}, {3, -2}),
                                 make<float>({2}, {0.5f, 1.0f}),
                                 make<int8_t>({2}, {0, 1}),
                                 scalar(1.0f),
                                 scalar<uint8_t>(100)};
  auto with = [&](size_t i, Tensor t) {
    std::vector<Tensor> inputs = good;
    if (i == inputs.size())
      inputs.push_back(t);
    else
      inputs[i] = t;
    return inputs;
  };
  expect_error(
      [&] {
        build_op("QLinearConv", fed_then_constants(with(4, make<float>({3}, {1, 1, 1}))));
      },
      ErrorCode::kInvalidModel, "w_scale has 3 elements, expected 1 or 2");
  expect_error([&] { build_op("QLinearConv", fed_then_constants(with(2, scalar<int8_t>(0)))); },
               ErrorCode::kInvalidModel, "x_zero_point has type i8, expected u8");
  expect_error([&] { build_op("QLinearConv", fed_then_constants(with(6, scalar(0.0f)))); },
               ErrorCode::kInvalidModel, "y_scale[0] is 0");
  expect_error(
      [&] {
        build_op("QLinearConv", fed_then_constants(with(1, make<float>({2}, {1, 1}))));
      },
      ErrorCode::kUnsupported, "x_scale and x_zero_point must have one element");
  expect_error(
      [&] {
        build_op("QLinearConv", fed_then_constants(with(8, make<int32_t>({3}, {1, 1, 1}))));
      },
      ErrorCode::kInvalidModel, "bias B has shape [3]");
}

// ---- random comparisons against dequantize -> float op (double) -> quantize ----

template <typename T>
std::vector<T> random_values(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> dist(std::numeric_limits<T>::lowest(), std::numeric_limits<T>::max());
  std::vector<T> v(n);
  for (T& e : v) e = static_cast<T>(dist(rng));
  return v;
}

// Checks quantized outputs against real-valued results `real` (already divided by y_scale, before adding the
// zero point). The op requantizes float(acc) * multiplier in float, the oracle works in double, so the two
// may only differ by one step, and only where the real value is within 1e-3 of a rounding tie.
template <typename T>
void expect_requantized(const Tensor& y, const std::vector<double>& real, int32_t y_zero) {
  ASSERT_EQ(static_cast<size_t>(y.element_count()), real.size());
  int saturated = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    const double shifted = std::nearbyint(real[i]) + y_zero;
    const double lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
    const int expected = static_cast<int>(std::clamp(shifted, lo, hi));
    const int got = y.data<T>()[i];
    saturated += shifted < lo || shifted > hi;
    if (got == expected) continue;
    const double frac = std::fabs(real[i] - std::floor(real[i]) - 0.5);
    EXPECT_TRUE(std::abs(got - expected) == 1 && frac < 1e-3)
        << "element " << i << ": got " << got << ", expected " << expected << " (real " << real[i] << ")";
  }
  EXPECT_LT(saturated, static_cast<int>(real.size()));  // the case must not be all saturation
}

struct ConvCase {
  Dims x, w;
  int64_t group;
  Dims strides, pads;
  bool per_channel;
};

template <typename X, typename W, typename Y>
void check_qlinear_conv_against_float(const ConvCase& c, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t n = c.x[0], ci = c.x[1], h = c.x[2], wd = c.x[3];
  const int64_t m = c.w[0], cg = c.w[1], kh = c.w[2], kw = c.w[3];
  const std::vector<X> x = random_values<X>(rng, static_cast<size_t>(element_count(c.x)));
  const std::vector<W> w = random_values<W>(rng, static_cast<size_t>(element_count(c.w)));
  const float x_scale = 0.02f, y_scale = 0.7f;
  const int32_t x_zero = std::is_same_v<X, uint8_t> ? 117 : -5, y_zero = std::is_same_v<Y, uint8_t> ? 131 : 3;
  std::vector<float> w_scale(c.per_channel ? static_cast<size_t>(m) : 1);
  std::vector<W> w_zero(w_scale.size());
  std::vector<int32_t> bias(static_cast<size_t>(m));
  for (size_t i = 0; i < w_scale.size(); ++i) {
    w_scale[i] = 0.01f + 0.005f * static_cast<float>(i);
    w_zero[i] = static_cast<W>(std::is_same_v<W, uint8_t> ? 120 + i : i % 3);
  }
  for (size_t i = 0; i < bias.size(); ++i) bias[i] = static_cast<int32_t>(i * 997) - 1500;

  const int64_t sh = c.strides[0], sw = c.strides[1], ph = c.pads[0], pw = c.pads[1];
  const int64_t oh = (h + c.pads[0] + c.pads[2] - kh) / sh + 1,
                ow = (wd + c.pads[1] + c.pads[3] - kw) / sw + 1;
  // Oracle: dequantize x and w, convolve in double (zero padding = the dequantized zero point), add the
  // dequantized bias (scale x_scale * w_scale, zero point 0), divide by y_scale.
  std::vector<double> real;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < m; ++oc) {
      const size_t q = c.per_channel ? static_cast<size_t>(oc) : 0;
      const int64_t g = oc / (m / c.group);
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          double sum = 0;
          for (int64_t ic = 0; ic < cg; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky)
              for (int64_t kx = 0; kx < kw; ++kx) {
                const int64_t iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                const double xv =
                    double(x_scale) *
                    (x[static_cast<size_t>(((b * ci + g * cg + ic) * h + iy) * wd + ix)] - x_zero);
                const double wv = double(w_scale[q]) *
                                  (w[static_cast<size_t>(((oc * cg + ic) * kh + ky) * kw + kx)] - w_zero[q]);
                sum += xv * wv;
              }
          sum += double(x_scale) * double(w_scale[q]) * bias[static_cast<size_t>(oc)];
          real.push_back(sum / y_scale);
        }
    }

  const Tensor y = run_single(
      "QLinearConv",
      fed_then_constants({make<X>(c.x, x), scalar(x_scale), scalar<X>(static_cast<X>(x_zero)),
                          make<W>(c.w, w), make<float>({static_cast<int64_t>(w_scale.size())}, w_scale),
                          make<W>({static_cast<int64_t>(w_zero.size())}, w_zero), scalar(y_scale),
                          scalar<Y>(static_cast<Y>(y_zero)), make<int32_t>({m}, bias)}),
      {{"group", c.group}, {"strides", c.strides}, {"pads", c.pads}});
  ASSERT_EQ(y.dims(), (Dims{n, m, oh, ow}));
  expect_requantized<Y>(y, real, y_zero);
}

TEST(QLinearConvTest, MatchesDequantizedFloatConv) {
  const ConvCase per_channel_padded{{1, 4, 6, 5}, {6, 2, 3, 3}, 2, {2, 1}, {1, 1, 0, 2}, true};
  const ConvCase per_tensor{{2, 3, 5, 5}, {4, 3, 2, 2}, 1, {1, 1}, {0, 0, 0, 0}, false};
  check_qlinear_conv_against_float<uint8_t, int8_t, uint8_t>(per_channel_padded, 1);
  check_qlinear_conv_against_float<uint8_t, uint8_t, uint8_t>(per_tensor, 2);
  check_qlinear_conv_against_float<int8_t, int8_t, int8_t>(per_channel_padded, 3);
  check_qlinear_conv_against_float<int8_t, uint8_t, uint8_t>(per_tensor, 4);
}

template <typename A, typename B, typename Y>
void check_qlinear_matmul_against_float(int64_t batch, int64_t rows, int64_t inner, int64_t cols,
                                        bool per_column, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::vector<A> a = random_values<A>(rng, static_cast<size_t>(batch * rows * inner));
  const std::vector<B> b = random_values<B>(rng, static_cast<size_t>(inner * cols));
  const float a_scale = 0.03f, y_scale = 0.45f;
  const int32_t a_zero = std::is_same_v<A, uint8_t> ? 128 : 2, y_zero = std::is_same_v<Y, uint8_t> ? 120 : -7;
  std::vector<float> b_scale(per_column ? static_cast<size_t>(cols) : 1);
  std::vector<B> b_zero(b_scale.size());
  for (size_t i = 0; i < b_scale.size(); ++i) {
    b_scale[i] = 0.004f * static_cast<float>(i + 1);
    b_zero[i] = static_cast<B>(std::is_same_v<B, uint8_t> ? 125 + i : -static_cast<int>(i % 4));
  }
  std::vector<double> real;
  for (int64_t bi = 0; bi < batch; ++bi)
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t col = 0; col < cols; ++col) {
        const size_t q = per_column ? static_cast<size_t>(col) : 0;
        double sum = 0;
        for (int64_t k = 0; k < inner; ++k)
          sum += double(a_scale) * (a[static_cast<size_t>((bi * rows + r) * inner + k)] - a_zero) *
                 double(b_scale[q]) * (b[static_cast<size_t>(k * cols + col)] - b_zero[q]);
        real.push_back(sum / y_scale);
      }
  const Tensor y = run_single(
      "QLinearMatMul", fed_then_constants({make<A>({batch, rows, inner}, a), scalar(a_scale),
                                           scalar<A>(static_cast<A>(a_zero)), make<B>({inner, cols}, b),
                                           make<float>({static_cast<int64_t>(b_scale.size())}, b_scale),
                                           make<B>({static_cast<int64_t>(b_zero.size())}, b_zero),
                                           scalar(y_scale), scalar<Y>(static_cast<Y>(y_zero))}));
  ASSERT_EQ(y.dims(), (Dims{batch, rows, cols}));
  expect_requantized<Y>(y, real, y_zero);
}

TEST(QLinearMatMulTest, MatchesDequantizedFloatMatMul) {
  check_qlinear_matmul_against_float<uint8_t, int8_t, uint8_t>(2, 3, 17, 5, true, 11);
  check_qlinear_matmul_against_float<uint8_t, uint8_t, int8_t>(1, 4, 9, 3, false, 12);
  check_qlinear_matmul_against_float<int8_t, int8_t, int8_t>(3, 2, 8, 7, true, 13);
  check_qlinear_matmul_against_float<int8_t, uint8_t, uint8_t>(1, 1, 33, 4, true, 14);
}

TEST(QLinearMatMulTest, HandComputedTieAndErrors) {
  // [1, 3] x [[1], [1]]: acc = 4; multiplier 0.5f * 0.25f / 0.2f = 0.625f (numpy float32), 4 * 0.625 = 2.5
  // -> 2 (tie to even) + 10 = 12.
  const std::vector<Tensor> inputs{make<uint8_t>({1, 2}, {1, 3}),
                                   scalar(0.5f),
                                   scalar<uint8_t>(0),
                                   make<int8_t>({2, 1}, {1, 1}),
                                   scalar(0.25f),
                                   scalar<int8_t>(0),
                                   scalar(0.2f),
                                   scalar<uint8_t>(10)};
  EXPECT_EQ(values_of<uint8_t>(run_single("QLinearMatMul", fed_then_constants(inputs))),
            (std::vector<uint8_t>{12}));
  std::vector<Tensor> bad = inputs;
  bad[5] = make<int8_t>({3}, {0, 0, 0});
  expect_error([&] { build_op("QLinearMatMul", fed_then_constants(bad)); }, ErrorCode::kInvalidModel,
               "b_zero_point has 3 elements, expected 1 or 1");
  bad = inputs;
  bad[5] = scalar<uint8_t>(0);
  expect_error([&] { build_op("QLinearMatMul", fed_then_constants(bad)); }, ErrorCode::kInvalidModel,
               "b_zero_point has type u8, expected i8");
}

}  // namespace
}  // namespace octet
