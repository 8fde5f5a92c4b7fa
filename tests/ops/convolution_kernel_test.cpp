// conv_geometry / conv_padding / conv_reference and matmul_output_dims / matmul_reference directly. Geometry
// expectations are worked out by hand from the ONNX formulas (noted next to each); the integer instantiations
// are checked against the float instantiation run on (x - x_zero) and (w - w_zero), which the op tests check
// against torch.
#include "ops/convolution_kernel.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ops/op_helpers.h"

namespace octet {
namespace {

using Ints = std::vector<int64_t>;

// A detached Conv node holding only attributes (conv_geometry reads nothing else).
struct ConvNode {
  Graph graph;
  Node* node;
  explicit ConvNode(Attributes attributes, const std::string& op = "Conv")
      : node(graph.add_node(op, "conv", {}, {"y"}, std::move(attributes))) {}
};

TEST(ConvGeometryTest, OutputSizeFormula) {
  ConvNode n({{"pads", Ints{1, 0, 2, 3}},
              {"strides", Ints{2, 3}},
              {"dilations", Ints{2, 1}},
              {"group", int64_t{2}}});
  const ConvGeometry g = conv_geometry(*n.node, {2, 6, 10, 9}, {4, 3, 3, 2});
  EXPECT_EQ(g.in_channels, 6);
  EXPECT_EQ(g.out_channels, 4);
  EXPECT_EQ(g.kernel, (Dims{3, 2}));
  EXPECT_EQ(g.pads_begin, (Dims{1, 0}));
  EXPECT_EQ(g.pads_end, (Dims{2, 3}));
  // h: (10 + 1 + 2 - ((3 - 1) * 2 + 1)) / 2 + 1 = 8 / 2 + 1 = 5;  w: (9 + 0 + 3 - 2) / 3 + 1 = 4
  EXPECT_EQ(g.out_spatial, (Dims{5, 4}));
}

TEST(ConvGeometryTest, SameUpperAndLowerSplitTheOddPad) {
  // in 7, stride 2, kernel 4: out = ceil(7/2) = 4, total = (4-1)*2 + 4 - 7 = 3 -> UPPER [1, 2], LOWER [2, 1].
  ConvNode upper({{"auto_pad", std::string("SAME_UPPER")}, {"strides", Ints{2}}});
  const ConvGeometry gu = conv_geometry(*upper.node, {1, 1, 7}, {1, 1, 4});
  EXPECT_EQ(gu.out_spatial, (Dims{4}));
  EXPECT_EQ(gu.pads_begin, (Dims{1}));
  EXPECT_EQ(gu.pads_end, (Dims{2}));
  ConvNode lower({{"auto_pad", std::string("SAME_LOWER")}, {"strides", Ints{2}}});
  const ConvGeometry gl = conv_geometry(*lower.node, {1, 1, 7}, {1, 1, 4});
  EXPECT_EQ(gl.out_spatial, (Dims{4}));
  EXPECT_EQ(gl.pads_begin, (Dims{2}));
  EXPECT_EQ(gl.pads_end, (Dims{1}));
  // VALID: no pads, (7 - 4) / 2 + 1 = 2, even if pads are given.
  ConvNode valid({{"auto_pad", std::string("VALID")}, {"strides", Ints{2}}, {"pads", Ints{5, 5}}});
  const ConvGeometry gv = conv_geometry(*valid.node, {1, 1, 7}, {1, 1, 4});
  EXPECT_EQ(gv.out_spatial, (Dims{2}));
  EXPECT_EQ(gv.pads_begin, (Dims{0}));
}

TEST(ConvGeometryTest, DynamicDimsStayDynamic) {
  ConvNode n({{"auto_pad", std::string("SAME_UPPER")}});
  const ConvGeometry g = conv_geometry(*n.node, {kDynamicDim, kDynamicDim, kDynamicDim, 8}, {4, 3, 3, 3});
  EXPECT_EQ(g.batch, kDynamicDim);
  EXPECT_EQ(g.out_channels, 4);
  EXPECT_EQ(g.out_spatial, (Dims{kDynamicDim, 8}));
}

TEST(ConvGeometryTest, RejectsBadGeometryNamingTheNode) {
  auto expect_error = [](Attributes attributes, const Dims& x, const Dims& w, ErrorCode code) {
    ConvNode n(std::move(attributes));
    try {
      conv_geometry(*n.node, x, w);
      ADD_FAILURE() << "no error for x " << to_string(x) << " w " << to_string(w);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find("Conv 'conv'"), std::string::npos) << e.what();
    }
  };
  expect_error({}, {2, 6, 10, 9}, {4, 3, 3, 2}, ErrorCode::kInvalidModel);                      // channels
  expect_error({{"group", int64_t{4}}}, {1, 8, 5, 5}, {6, 2, 3, 3}, ErrorCode::kInvalidModel);  // 4 !| 6
  expect_error({{"group", int64_t{0}}}, {1, 8, 5, 5}, {6, 2, 3, 3}, ErrorCode::kInvalidModel);
  expect_error({}, {1, 1, 3, 3}, {1, 1, 3, 4}, ErrorCode::kInvalidModel);  // kernel wider than the input
  expect_error({{"dilations", Ints{1, 3}}}, {1, 1, 3, 3}, {1, 1, 2, 2}, ErrorCode::kInvalidModel);
  expect_error({{"pads", Ints{-1, 0, 0, 0}}}, {1, 1, 3, 3}, {1, 1, 2, 2}, ErrorCode::kInvalidModel);
  expect_error({{"strides", Ints{0, 1}}}, {1, 1, 3, 3}, {1, 1, 2, 2}, ErrorCode::kInvalidModel);
  expect_error({{"auto_pad", std::string("SAME")}}, {1, 1, 3, 3}, {1, 1, 2, 2}, ErrorCode::kInvalidModel);
  expect_error({}, {1, 1, 3, 3}, {1, 1, 2}, ErrorCode::kInvalidModel);
  expect_error({}, {1, 1, 3, 3, 3, 3}, {1, 1, 1, 1, 1, 1}, ErrorCode::kUnsupported);
}

TEST(ConvGeometryTest, TransposeOutputShapeAndAutoPad) {
  // in 3, stride 3, kernel 3, output_padding 1: full = 3*(3-1) + 1 + 3 = 10.
  ConvNode padded({{"strides", Ints{3}}, {"output_padding", Ints{1}}, {"pads", Ints{1, 2}}}, "ConvTranspose");
  const ConvGeometry g = conv_transpose_geometry(*padded.node, {1, 2, 3}, {2, 5, 3});
  EXPECT_EQ(g.out_channels, 5);
  EXPECT_EQ(g.out_spatial, (Dims{10 - 3}));
  // output_shape 8 -> total 2 -> [1, 1]; output_shape 7 with SAME_UPPER -> total 3 -> [1, 2], else [2, 1].
  ConvNode shaped({{"strides", Ints{3}}, {"output_padding", Ints{1}}, {"output_shape", Ints{7}}},
                  "ConvTranspose");
  const ConvGeometry gs = conv_transpose_geometry(*shaped.node, {1, 2, 3}, {2, 5, 3});
  EXPECT_EQ(gs.out_spatial, (Dims{7}));
  EXPECT_EQ(gs.pads_begin, (Dims{2}));
  EXPECT_EQ(gs.pads_end, (Dims{1}));
  ConvNode upper({{"strides", Ints{3}},
                  {"output_padding", Ints{1}},
                  {"output_shape", Ints{1, 5, 7}},
                  {"auto_pad", std::string("SAME_UPPER")}},
                 "ConvTranspose");
  const ConvGeometry gu = conv_transpose_geometry(*upper.node, {1, 2, 3}, {2, 5, 3});
  EXPECT_EQ(gu.out_spatial, (Dims{7}));
  EXPECT_EQ(gu.pads_begin, (Dims{1}));
  EXPECT_EQ(gu.pads_end, (Dims{2}));
  // auto_pad SAME without output_shape: out = in * stride = 9, total 1 -> LOWER puts it first.
  ConvNode lower({{"strides", Ints{3}}, {"output_padding", Ints{1}}, {"auto_pad", std::string("SAME_LOWER")}},
                 "ConvTranspose");
  const ConvGeometry gl = conv_transpose_geometry(*lower.node, {1, 2, 3}, {2, 5, 3});
  EXPECT_EQ(gl.out_spatial, (Dims{9}));
  EXPECT_EQ(gl.pads_begin, (Dims{1}));
  EXPECT_EQ(gl.pads_end, (Dims{0}));
  // output_shape beyond the full extent (stride 3, kernel 3 on 3 -> 9) extends the end with zeros: total -1
  // splits as floor(-1/2) = -1 at the end, 0 at the beginning (ONNX test_convtranspose_output_shape expects
  // that).
  ConvNode larger({{"strides", Ints{3}}, {"output_shape", Ints{10}}}, "ConvTranspose");
  const ConvGeometry gx = conv_transpose_geometry(*larger.node, {1, 2, 3}, {2, 5, 3});
  EXPECT_EQ(gx.out_spatial, (Dims{10}));
  EXPECT_EQ(gx.pads_begin, (Dims{0}));
  EXPECT_EQ(gx.pads_end, (Dims{-1}));
  ConvNode negative({{"pads", Ints{-1, 0}}}, "ConvTranspose");
  EXPECT_THROW(conv_transpose_geometry(*negative.node, {1, 2, 3}, {2, 5, 3}), Error);
}

// Small deterministic values of every type in range: i8 in [-128, 127], u8 in [0, 255].
template <typename T>
std::vector<T> integer_pattern(size_t count, int64_t multiplier) {
  std::vector<T> v(count);
  for (size_t i = 0; i < count; ++i) {
    const int64_t raw = (static_cast<int64_t>(i) * multiplier + 13) % 256;
    v[i] = static_cast<T>(std::is_signed_v<T> ? raw - 128 : raw);
  }
  return v;
}

template <typename X, typename W>
void expect_integer_conv_matches_float(const Attributes& attributes, const Dims& x_dims, const Dims& w_dims,
                                       int32_t x_zero, std::vector<int32_t> w_zero) {
  ConvNode n(attributes);
  const ConvGeometry g = conv_geometry(*n.node, x_dims, w_dims);
  const std::vector<X> x = integer_pattern<X>(static_cast<size_t>(element_count(x_dims)), 37);
  const std::vector<W> w = integer_pattern<W>(static_cast<size_t>(element_count(w_dims)), 53);
  Dims y_dims{g.batch, g.out_channels};
  y_dims.insert(y_dims.end(), g.out_spatial.begin(), g.out_spatial.end());
  const size_t y_count = static_cast<size_t>(element_count(y_dims));
  std::vector<int32_t> y(y_count, -7);
  conv_reference<X, W, int32_t>(g, x.data(), w.data(), y.data(), x_zero, w_zero);

  // Oracle: the float convolution of the shifted values (exact: every product and sum stays below 2^24).
  std::vector<float> xf(x.size()), wf(w.size()), yf(y_count);
  for (size_t i = 0; i < x.size(); ++i) xf[i] = static_cast<float>(x[i] - x_zero);
  const size_t per_m = w.size() / static_cast<size_t>(w_dims[0]);
  for (size_t i = 0; i < w.size(); ++i) {
    const int32_t zero = w_zero.size() == 1 ? w_zero[0] : w_zero[i / per_m];
    wf[i] = static_cast<float>(w[i] - zero);
  }
  const float no_zero = 0.0f;
  conv_reference<float, float, float>(g, xf.data(), wf.data(), yf.data(), 0.0f,
                                      std::span<const float>(&no_zero, 1));
  for (size_t i = 0; i < y_count; ++i) ASSERT_EQ(static_cast<float>(y[i]), yf[i]) << "at " << i;
}

TEST(ConvReferenceTest, IntegerInstantiationsSubtractZeroPoints) {
  const Attributes attributes = {{"pads", Ints{1, 0, 2, 1}}, {"strides", Ints{2, 1}}, {"group", int64_t{2}}};
  const Dims x{2, 4, 5, 6}, w{4, 2, 3, 2};
  expect_integer_conv_matches_float<uint8_t, int8_t>(attributes, x, w, 128, {3});
  expect_integer_conv_matches_float<uint8_t, int8_t>(attributes, x, w, 0, {-2, 0, 5, 1});  // per channel
  expect_integer_conv_matches_float<uint8_t, uint8_t>(attributes, x, w, 17, {128});
  expect_integer_conv_matches_float<int8_t, int8_t>(attributes, x, w, -5, {0});
  expect_integer_conv_matches_float<int8_t, uint8_t>(attributes, x, w, 3, {120, 128, 0, 255});
  // 1-d and 3-d with dilations.
  expect_integer_conv_matches_float<uint8_t, int8_t>({{"dilations", Ints{2}}, {"pads", Ints{2, 1}}},
                                                     {1, 3, 9}, {2, 3, 3}, 100, {1, -1});
  expect_integer_conv_matches_float<int8_t, int8_t>({{"pads", Ints{1, 1, 1, 0, 0, 0}}}, {1, 2, 3, 4, 3},
                                                    {3, 2, 2, 2, 2}, 7, {-3});
}

TEST(ConvReferenceTest, PaddingReadsAsTheInputZeroPoint) {
  // 1x1 input of value 10 (zero point 10), 3x3 kernel of ones (zero 0), pads 1: every tap is x - x_zero = 0.
  ConvNode n({{"pads", Ints{1, 1, 1, 1}}});
  const ConvGeometry g = conv_geometry(*n.node, {1, 1, 1, 1}, {1, 1, 3, 3});
  const uint8_t x = 10;
  const std::vector<int8_t> w(9, 1);
  int32_t y = -1;
  const int32_t w_zero = 0;
  conv_reference<uint8_t, int8_t, int32_t>(g, &x, w.data(), &y, 10, std::span<const int32_t>(&w_zero, 1));
  EXPECT_EQ(y, 0);
  // No w_zero entries means 0; x_zero 4 leaves the one real tap (the centre): (10 - 4) * 1.
  conv_reference<uint8_t, int8_t, int32_t>(g, &x, w.data(), &y, 4, {});
  EXPECT_EQ(y, 6);
}

TEST(MatMulOutputDimsTest, NumpyRules) {
  ConvNode n({}, "MatMul");
  EXPECT_EQ(matmul_output_dims(*n.node, {2, 3}, {3, 4}), (Dims{2, 4}));
  EXPECT_EQ(matmul_output_dims(*n.node, {3}, {3, 4}), (Dims{4}));
  EXPECT_EQ(matmul_output_dims(*n.node, {2, 3}, {3}), (Dims{2}));
  EXPECT_EQ(matmul_output_dims(*n.node, {3}, {3}), (Dims{}));
  EXPECT_EQ(matmul_output_dims(*n.node, {5, 1, 2, 3}, {4, 3, 6}), (Dims{5, 4, 2, 6}));
  EXPECT_EQ(matmul_output_dims(*n.node, {3}, {7, 3, 2}), (Dims{7, 2}));
  EXPECT_EQ(matmul_output_shape(*n.node, Shape{kDynamicDim, 2, 3}, Shape{3, kDynamicDim}),
            (Shape{kDynamicDim, 2, kDynamicDim}));
  EXPECT_THROW(matmul_output_dims(*n.node, {2, 3}, {4, 5}), Error);
  EXPECT_THROW(matmul_output_dims(*n.node, {2, 2, 3}, {3, 3, 5}), Error);
  EXPECT_THROW(matmul_output_dims(*n.node, {}, {3}), Error);
}

TEST(MatMulReferenceTest, HandComputedFloat) {
  // [[1, 2, 3], [4, 5, 6]] x [[1, 0], [0, 1], [1, 1]] = [[4, 5], [10, 11]]
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {1, 0, 0, 1, 1, 1};
  std::vector<float> y(4);
  matmul_reference<float, float, float>({2, 3}, a.data(), {3, 2}, b.data(), y.data(), 0.0f, {});
  EXPECT_EQ(y, (std::vector<float>{4, 5, 10, 11}));
  // Batch broadcast: A [2, 1, 3] against B [3, 2] -> each batch times the same B.
  std::vector<float> a2 = {1, 2, 3, 4, 5, 6};
  std::vector<float> y2(4);
  matmul_reference<float, float, float>({2, 1, 3}, a2.data(), {3, 2}, b.data(), y2.data(), 0.0f, {});
  EXPECT_EQ(y2, (std::vector<float>{4, 5, 10, 11}));
}

template <typename A, typename B>
void expect_integer_matmul_matches_float(const Dims& a_dims, const Dims& b_dims, int32_t a_zero,
                                         std::vector<int32_t> b_zero) {
  ConvNode n({}, "MatMul");
  const Dims y_dims = matmul_output_dims(*n.node, a_dims, b_dims);
  const std::vector<A> a = integer_pattern<A>(static_cast<size_t>(element_count(a_dims)), 29);
  const std::vector<B> b = integer_pattern<B>(static_cast<size_t>(element_count(b_dims)), 71);
  std::vector<int32_t> y(static_cast<size_t>(element_count(y_dims)));
  matmul_reference<A, B, int32_t>(a_dims, a.data(), b_dims, b.data(), y.data(), a_zero, b_zero);
  std::vector<float> af(a.size()), bf(b.size()), yf(y.size());
  const int64_t cols = b_dims.size() == 1 ? 1 : b_dims.back();
  for (size_t i = 0; i < a.size(); ++i) af[i] = static_cast<float>(a[i] - a_zero);
  for (size_t i = 0; i < b.size(); ++i)
    bf[i] =
        static_cast<float>(b[i] - (b_zero.size() == 1 ? b_zero[0] : b_zero[i % static_cast<size_t>(cols)]));
  matmul_reference<float, float, float>(a_dims, af.data(), b_dims, bf.data(), yf.data(), 0.0f, {});
  for (size_t i = 0; i < y.size(); ++i) ASSERT_EQ(static_cast<float>(y[i]), yf[i]) << "at " << i;
}

TEST(MatMulReferenceTest, IntegerInstantiationsSubtractZeroPoints) {
  expect_integer_matmul_matches_float<uint8_t, int8_t>({2, 3, 5}, {5, 4}, 128, {0});
  expect_integer_matmul_matches_float<uint8_t, int8_t>({3, 5}, {2, 5, 4}, 10, {1, -2, 3, 0});  // per column
  expect_integer_matmul_matches_float<uint8_t, uint8_t>({4, 7}, {7, 3}, 0, {128});
  expect_integer_matmul_matches_float<int8_t, int8_t>({7}, {7, 3}, -3, {5});
  expect_integer_matmul_matches_float<int8_t, uint8_t>({2, 1, 2, 6}, {3, 6, 2}, 1, {200, 7});
}

}  // namespace
}  // namespace octet
