// Conv and ConvTranspose through shape inference and the reference executor. Expected values come from torch
// (torch.nn.functional.conv{1,2,3}d / conv_transpose{1,2}d, /usr/bin/python3, torch 1.13) on the inputs of
// pattern_tensor(): x uses (i * 7) % 11 - 5, weights use (i * 5) % 7 - 3, so every result is an exact
// integer. ONNX's asymmetric / SAME pads were applied in torch with F.pad before an unpadded conv;
// ConvTranspose pads were applied by cropping the unpadded torch output.
#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;
using Ints = std::vector<int64_t>;

Tensor weights(Dims dims) {
  return pattern_tensor(std::move(dims), 5, 7);
}

TEST(ConvOpTest, PadsAndBias) {
  const Tensor x = pattern_tensor({1, 2, 4, 4});
  const Tensor b = f32({3}, {1.0f, -2.0f, 0.5f});
  // F.conv2d(x, w, b, padding=1)
  const std::vector<float> expected = {
      -28, 40,    -3,   10,   17,   11,  1,     28,   -38,  15,    16,   -40, 12,    23,  -6,   -14,
      6,   21,    -8,   7,    -21,  -38, 17,    -16,  2,    6,     6,    -6,  3,     -43, 30,   -21,
      3.5, -41.5, 20.5, -4.5, -4.5, 9.5, -24.5, -5.5, 19.5, -60.5, 15.5, 5.5, -14.5, 1.5, 22.5, -1.5};
  const auto y = run_op("Conv", all_fed({x, weights({3, 2, 3, 3}), b}), {{"pads", Ints{1, 1, 1, 1}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 3, 4, 4}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvOpTest, GroupsWithStride) {
  // F.conv2d(x, w, stride=2, padding=1, groups=2)
  const std::vector<float> expected = {-10, -9, -18, -11, -13, 36,  2,  -13, -4,  -27, 15, -3,  40, 28,
                                       -10, -8, -26, 8,   -9,  -10, 26, -7,  -15, 0,   -4, -11, -1, -12,
                                       -2,  8,  12,  -43, -10, 14,  -4, -3,  14,  -25, -4, 12,  4,  36,
                                       -12, 20, -18, 5,   -13, -2,  40, -5,  -9,  -24, -5, -19};
  const auto y = run_op("Conv", all_fed({pattern_tensor({1, 4, 5, 5}), weights({6, 2, 3, 3})}),
                        {{"group", int64_t{2}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 6, 3, 3}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvOpTest, DepthwiseBatch2) {
  // F.conv2d(x, w, groups=3)
  const std::vector<float> expected = {25, -18, 16, -15, 19, -2,  22, -21, -9, -5,  28, -5,  -5, -16,
                                       -5, -5,  28, -5,  -9, -21, 22, -2,  19, -15, 16, -18, 25, -15,
                                       19, -2,  22, -21, -9, -18, 16, -5,  -5, -16, -5, -5,  28, -5,
                                       28, -5,  -5, -2,  19, -15, 16, -18, 25, -21, 22, -12};
  const auto y =
      run_op("Conv", all_fed({pattern_tensor({2, 3, 4, 4}), weights({3, 1, 2, 2})}), {{"group", int64_t{3}}});
  EXPECT_EQ(y[0].dims(), (Dims{2, 3, 3, 3}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvOpTest, StridesDilationsAsymmetricPads) {
  // F.conv2d(F.pad(x, (0, 1, 1, 2)), w, stride=(2, 1), dilation=(2, 1))
  const std::vector<float> expected = {-22, 24, 15, -27, 2,   46, -42, 24, 24, -21, -17, 14, -32, 10, 17, 14,
                                       -32, 10, 19, -19, -25, 34, -28, -2, 32, -6,  -13, 24, -16, -14};
  const auto y = run_op("Conv", all_fed({pattern_tensor({1, 2, 6, 5}), weights({2, 2, 3, 2})}),
                        {{"strides", Ints{2, 1}},
                         {"dilations", Ints{2, 1}},
                         {"pads", Ints{1, 0, 2, 1}},
                         {"kernel_shape", Ints{3, 2}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 2, 3, 5}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvOpTest, SameUpperPadsTheEndSameLowerTheBeginning) {
  const Tensor x = pattern_tensor({1, 1, 5, 5});
  const Tensor w = weights({1, 1, 2, 2});
  // F.conv2d(F.pad(x, (0, 1, 0, 1)), w) and F.conv2d(F.pad(x, (1, 0, 1, 0)), w)
  const std::vector<float> upper = {11, -10, 24, -19, -3,  27, -16, -4,  8,  -9, -1,  11, -10,
                                    24, -15, -7, 27,  -16, -4, 12,  -11, -7, 19, -10, 6};
  const std::vector<float> lower = {10, -4, 4,  -10, -2, -4,  11, -10, 24, -19, -4,  27, -16,
                                    -4, 8,  -4, -1,  11, -10, 24, -4,  -7, 27,  -16, -4};
  EXPECT_EQ(values_of<float>(run_op("Conv", all_fed({x, w}), {{"auto_pad", std::string("SAME_UPPER")}})[0]),
            upper);
  EXPECT_EQ(values_of<float>(run_op("Conv", all_fed({x, w}), {{"auto_pad", std::string("SAME_LOWER")}})[0]),
            lower);
  // Stride 2, kernel 3 on 6: output ceil(6/2) = 3, total pad 1 at the end. F.conv2d(F.pad(x, (0,1,0,1)), w,
  // stride=2)
  const auto y = run_op("Conv", all_fed({pattern_tensor({1, 1, 6, 6}), weights({1, 1, 3, 3})}),
                        {{"auto_pad", std::string("SAME_UPPER")}, {"strides", Ints{2, 2}}});
  EXPECT_EQ(values_of<float>(y[0]), (std::vector<float>{21, 18, -31, -30, -11, 29, 32, -20, -22}));
}

TEST(ConvOpTest, ValidIgnoresPads) {
  const auto y = run_op("Conv", all_fed({pattern_tensor({1, 1, 5, 5}), weights({1, 1, 2, 2})}),
                        {{"auto_pad", std::string("VALID")}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 1, 4, 4}));
}

TEST(ConvOpTest, OneDimensional) {
  // F.conv1d(F.pad(x, (1, 2)), w, stride=2, dilation=2)
  const auto y = run_op("Conv", all_fed({pattern_tensor({1, 2, 7}), weights({2, 2, 3})}),
                        {{"strides", Ints{2}}, {"dilations", Ints{2}}, {"pads", Ints{1, 2}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 2, 3}));
  EXPECT_EQ(values_of<float>(y[0]), (std::vector<float>{-9, 11, -13, 9, -15, 0}));
}

TEST(ConvOpTest, ThreeDimensional) {
  // F.conv3d(x, w, stride=(1, 2, 1), padding=(1, 0, 1))
  const std::vector<float> expected = {30, -28, -4, 2,  20, 18,  8,  23,  -9, 34, -97, 0, -3, 26, 14, 11, -22,
                                       42, -35, -8, -6, -9, -17, 15, -22, 17, 42, -58, 7, 1,  -7, -14};
  const auto y = run_op("Conv", all_fed({pattern_tensor({1, 2, 3, 4, 4}), weights({2, 2, 2, 3, 3})}),
                        {{"strides", Ints{1, 2, 1}}, {"pads", Ints{1, 0, 1, 1, 0, 1}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 2, 4, 1, 4}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvOpTest, InfersDynamicDims) {
  const Shape y = infer_output_shape("Conv",
                                     {declared(ElementType::kF32, Shape{kDynamicDim, 3, kDynamicDim, 32}),
                                      declared(ElementType::kF32, Shape{8, 3, 3, 3})},
                                     {{"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}});
  EXPECT_EQ(y, (Shape{kDynamicDim, 8, kDynamicDim, 16}));
}

void expect_invalid_model(const std::string& op, const std::vector<std::pair<ElementType, Shape>>& inputs,
                          Attributes attributes, const std::string& fragment) {
  std::vector<OpInput> declared_inputs;
  for (const auto& [type, shape] : inputs) declared_inputs.push_back(declared(type, shape));
  expect_error([&] { infer_output_shape(op, declared_inputs, attributes); }, ErrorCode::kInvalidModel,
               fragment);
}

TEST(ConvOpTest, RejectsInconsistentModels) {
  const auto f32 = ElementType::kF32;
  expect_invalid_model("Conv", {{f32, Shape{1, 4, 8, 8}}, {f32, Shape{2, 3, 3, 3}}}, {}, "channels");
  expect_invalid_model("Conv", {{f32, Shape{1, 4, 8, 8}}, {f32, Shape{3, 2, 3, 3}}}, {{"group", int64_t{2}}},
                       "group");
  expect_invalid_model("Conv", {{f32, Shape{1, 1, 2, 2}}, {f32, Shape{1, 1, 3, 3}}}, {}, "larger than");
  expect_invalid_model("Conv", {{f32, Shape{1, 1, 4, 4}}, {f32, Shape{1, 1, 3, 3}}},
                       {{"kernel_shape", Ints{2, 2}}}, "kernel_shape");
  expect_invalid_model("Conv", {{f32, Shape{1, 1, 4, 4}}, {f32, Shape{1, 1, 3, 3}}}, {{"pads", Ints{1, 1}}},
                       "pads");
  expect_invalid_model("Conv", {{f32, Shape{1, 1, 4, 4}}, {f32, Shape{1, 1, 3, 3}}, {f32, Shape{2}}}, {},
                       "bias");
  expect_invalid_model("ConvTranspose", {{f32, Shape{1, 3, 4, 4}}, {f32, Shape{2, 1, 3, 3}}}, {}, "channels");
}

TEST(ConvTransposeOpTest, BasicWithBias) {
  // F.conv_transpose2d(x, w, b)
  const std::vector<float> expected = {13,  -23, 25,  10,  -9,  -6,  -21, 33, -21, -6,  -14, 27, 17,  -31, 32,
                                       -10, -9,  33,  -16, -12, -2,  -15, 17, 18,  -19, 6,   8,  -35, 12,  4,
                                       8,   -7,  11,  5,   -8,  -6,  -9,  29, 7,   -12, 11,  0,  -43, 19,  14,
                                       5,   11,  -34, 8,   8,   -22, 11,  10, -21, -4,  22,  -7, -4,  17,  -3,
                                       2,   -10, -1,  -18, 0,   -24, 16,  42, -51, 19,  -9,  9,  20,  -30, 7};
  const auto y =
      run_op("ConvTranspose",
             all_fed({pattern_tensor({1, 2, 3, 3}), weights({2, 3, 3, 3}), f32({3}, {1.0f, 0.0f, -1.0f})}));
  EXPECT_EQ(y[0].dims(), (Dims{1, 3, 5, 5}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvTransposeOpTest, StridePadsOutputPadding) {
  // F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)
  const std::vector<float> expected = {
      -21, 0,   8,  3,   4,  -17, 16,  -19, 3,   4, -10, 21,  11,  9,   7,  1,   -19, 12,  -12, 6,  8,  18,
      -16, -13, 10, 7,   6,  -1,  -20, 8,   -13, 2, 3,   17,  8,   -20, 8,  11,  -3,  -22, -3,  11, -4, 24,
      -4,  24,  -4, -15, -3, -22, -3,  11,  8,   4, -4,  2,   -4,  -9,  18, -14, -3,  -22, -3,  11, 8,  8,
      2,   1,   -6, -20, 8,  8,   -19, 1,   7,   9, 11,  -10, -10, 4,   3,  -19, 16,  -9,  4,   3,  8,  0,
      -21, 10,  18, 12,  -2, -22, -11, 20,  5,   5, 9,   2,   -20, 8,   10, 7,   6,   -1,  -20, 8};
  const auto y =
      run_op("ConvTranspose", all_fed({pattern_tensor({1, 2, 3, 3}), weights({2, 3, 3, 3})}),
             {{"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}, {"output_padding", Ints{1, 1}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 3, 6, 6}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvTransposeOpTest, GroupsAndDilations) {
  // F.conv_transpose2d(x, w, groups=2, dilation=2, stride=2)
  const std::vector<float> expected = {
      24, 0,  -16, 0,   -6, 0,   -9,  0,  0, 0,   0, 0, 0, 0, -12, 0,   5,  0,   28,  0,  18, 0, 0, 0,  0,
      0,  0,  0,   -11, 0,  -14, 0,   20, 0, -13, 0, 0, 0, 0, 0,   0,   0,  -1,  0,   -8, 0,  5, 0, -4, -3,
      0,  -1, 0,   2,   0,  0,   0,   0,  0, 0,   0, 0, 0, 3, 0,   -13, 0,  -10, 0,   10, 0,  0, 0, 0,  0,
      0,  0,  5,   0,   7,  0,   -12, 0,  6, 0,   0, 0, 0, 0, 0,   0,   19, 0,   -32, 0,  23, 0, -1};
  const auto y = run_op("ConvTranspose", all_fed({pattern_tensor({1, 4, 3, 3}), weights({4, 1, 2, 2})}),
                        {{"group", int64_t{2}}, {"dilations", Ints{2, 2}}, {"strides", Ints{2, 2}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 2, 7, 7}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvTransposeOpTest, OneDimensionalStride3) {
  // F.conv_transpose1d(x, w, stride=3)
  const auto y = run_op("ConvTranspose", all_fed({pattern_tensor({1, 1, 4}), weights({1, 2, 3})}),
                        {{"strides", Ints{3}}});
  EXPECT_EQ(values_of<float>(y[0]), (std::vector<float>{15, -10, 0,  -6, 4, 0, 6, -4, 0,  -15, 10, 0,
                                                        10, -15, -5, -4, 6, 2, 4, -6, -2, -10, 15, 5}));
}

TEST(ConvTransposeOpTest, ThreeDimensionalGroupsStridePads) {
  // F.conv_transpose3d(x, w, stride=(1, 2, 2), groups=2, padding=(0, 1, 0))
  const std::vector<float> expected = {
      0,  10, 0,   -4,  0,   4,  -15, 10, -3, 2,  9,  -6,  5,  7,   -2, -6,  2,   14, 6,   11, 6,
      -1, 6,  -13, -4,  -12, 0,  0,   4,  12, 9,  3,  -3,  -1, -15, -5, 10,  -15, -4, 6,   4,  -6,
      10, 0,  2,   0,   -6,  0,  7,   2,  -6, 4,  14, -16, 11, -5,  -1, -1,  -13, 3,  -12, 8,  0,
      0,  12, -8,  3,   -3,  -1, 1,   -5, 5,  6,  2,  -6,  -2, 15,  5,  0,   -2,  0,  6,   0,  -8,
      4,  0,  -16, -4,  19,  3,  -1,  -1, 3,  19, -4, -16, 0,  0,   -8, 0,   6,   0,  1,   3,  5,
      15, -2, -6,  2,   -2,  -2, 2,   5,  -5, -2, 3,  6,   -9, -8,  12, 0,   -4,  -4, 8,   3,  -13,
      -1, -1, 19,  -21, -16, 14, 0,   0,  0,  8,  0,  -6,  3,  -2,  15, -10, -6,  4};
  const auto y =
      run_op("ConvTranspose", all_fed({pattern_tensor({1, 2, 2, 2, 3}), weights({2, 2, 2, 2, 2})}),
             {{"strides", Ints{1, 2, 2}}, {"group", int64_t{2}}, {"pads", Ints{0, 1, 0, 0, 1, 0}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 4, 3, 2, 6}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
}

TEST(ConvTransposeOpTest, AsymmetricPadsCropTheFullOutput) {
  // full = F.conv_transpose2d(x, w, stride=2); full[:, :, 1:, :-2]  (pads: h 1 begin, w 2 end)
  const std::vector<float> expected = {
      10,  -21, 0,  8,   3, -9, 16,  -19, 3,  4,  -10, 11,  9,   7,   1,  -16, -12, 6,  8,  18,  -8,  10, 7,
      6,   -1,  -3, -13, 2, 3,  17,  4,   8,  11, -3,  -22, -15, -4,  24, -4,  24,  11, -3, -22, -3,  11, 6,
      -4,  2,   -4, -9,  7, -3, -22, -3,  11, 5,  2,   1,   -6,  -20, 12, -19, 1,   7,  9,  21,  -10, 4,  3,
      -19, -17, 4,  3,   8, 0,  0,   18,  12, -2, -22, -13, 5,   5,   9,  2,   -8,  10, 7,  6,   -1};
  const Tensor x = pattern_tensor({1, 2, 3, 3});
  const Tensor w = weights({2, 3, 3, 3});
  const auto y =
      run_op("ConvTranspose", all_fed({x, w}), {{"strides", Ints{2, 2}}, {"pads", Ints{1, 0, 0, 2}}});
  EXPECT_EQ(y[0].dims(), (Dims{1, 3, 6, 5}));
  EXPECT_EQ(values_of<float>(y[0]), expected);
  // The same crop asked for with output_shape: total padding 1 on h, 2 on w, the odd one at the beginning
  // (NOTSET puts ceil(total/2) first) -> pads h [1, 0], w [1, 1].
  const auto z =
      run_op("ConvTranspose", all_fed({x, w}), {{"strides", Ints{2, 2}}, {"output_shape", Ints{6, 5}}});
  EXPECT_EQ(z[0].dims(), (Dims{1, 3, 6, 5}));
  EXPECT_EQ(values_of<float>(z[0])[0],
            -21.0f);  // full[0, 0, 1, 1]: one row and one column cropped at the start
}

TEST(ConvTransposeOpTest, AutoPadSameGivesInputTimesStride) {
  const Shape y = infer_output_shape("ConvTranspose",
                                     {declared(ElementType::kF32, Shape{1, 2, 3, kDynamicDim}),
                                      declared(ElementType::kF32, Shape{2, 3, 3, 3})},
                                     {{"strides", Ints{2, 2}}, {"auto_pad", std::string("SAME_UPPER")}});
  EXPECT_EQ(y, (Shape{1, 3, 6, kDynamicDim}));
}

}  // namespace
}  // namespace octet
