// resize_bilinear and preprocess_image against PIL 9.4 (Image.resize(size, Image.BILINEAR)) and numpy, on a
// synthetic 10x7 RGB image: pixel (x, y, c) = (x*37 + y*91 + c*59 + (x*y*13) % 71) % 256. The expected bytes
// were printed by /usr/bin/python3 with PIL 9.4.0: numpy.asarray(Image.fromarray(a).resize((w, h),
// Image.BILINEAR)).
#include "io/image_resize.h"

#include <gtest/gtest.h>

#include "io/image_preprocess.h"
#include "octet/error.h"

namespace octet {
namespace {

RgbImage synthetic(int width, int height) {
  RgbImage image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3)};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        image.pixels[(static_cast<size_t>(y) * width + x) * 3 + c] =
            static_cast<uint8_t>((x * 37 + y * 91 + c * 59 + (x * y * 13) % 71) % 256);
  return image;
}

struct ResizeCase {
  int width;
  int height;
  std::vector<uint8_t> expected;
};

TEST(ImageResize, MatchesPilBilinearWhenShrinkingGrowingAndMixing) {
  const std::vector<ResizeCase> cases = {
      {4, 3, {110, 142, 114, 126, 143, 132, 124, 139, 122, 106, 113, 125, 126, 114, 140, 143, 145, 120,
              125, 131, 132, 120, 113, 129, 110, 96,  151, 147, 136, 119, 148, 106, 121, 120, 109, 139}},
      {13, 9, {0,   59,  118, 24,  83,  142, 53,  112, 171, 81,  140, 199, 110, 169, 228, 138, 197, 69,  167,
               226, 29,  195, 185, 57,  214, 26,  85,  45,  55,  114, 24,  83,  142, 53,  112, 171, 77,  136,
               195, 61,  120, 179, 91,  150, 97,  126, 185, 73,  161, 187, 108, 196, 91,  143, 106, 120, 116,
               96,  155, 128, 118, 154, 150, 115, 92,  151, 84,  127, 186, 103, 162, 123, 138, 139, 86,  168,
               57,  116, 131, 190, 136, 168, 153, 79,  162, 156, 73,  134, 165, 110, 152, 75,  128, 90,  111,
               170, 95,  154, 156, 119, 178, 123, 110, 165, 114, 152, 119, 157, 130, 141, 117, 113, 124, 89,
               130, 46,  105, 145, 204, 64,  188, 117, 107, 148, 93,  152, 64,  123, 171, 72,  131, 136, 110,
               169, 171, 156, 187, 118, 172, 190, 50,  129, 181, 48,  180, 78,  99,  107, 81,  140, 47,  106,
               146, 54,  113, 116, 17,  76,  135, 67,  126, 185, 95,  154, 213, 113, 172, 181, 171, 230, 43,
               178, 237, 40,  217, 148, 79,  187, 59,  118, 7,   66,  125, 65,  124, 183, 83,  142, 201, 111,
               170, 141, 161, 220, 23,  88,  147, 206, 144, 73,  132, 181, 40,  99,  195, 55,  102, 218, 78,
               83,  126, 131, 133, 107, 137, 168, 111, 128, 187, 82,  141, 200, 105, 164, 223, 151, 96,  155,
               192, 52,  91,  212, 72,  74,  159, 75,  134, 128, 64,  123, 123, 69,  128, 142, 88,  147, 162,
               107, 166, 122, 150, 105, 119, 178, 95,  138, 159, 114, 157, 74,  133, 177, 94,  153, 132, 66,
               125, 105, 50,  109, 121, 67,  126, 144, 32,  91,  86,  87,  146, 71,  130, 189, 98,  157, 200,
               125, 184, 161, 153, 149, 61,  180, 154, 42,  184, 134, 69,  149, 37,  96,  176, 64,  123, 104,
               91,  150, 60,  119, 148, 83,  142, 115, 34,  93,  152, 63,  122, 181, 97,  156, 215, 130, 189,
               199, 164, 223, 36,  198, 70,  60,  232, 35,  94,  197, 69,  128, 44,  103, 162, 78,  137, 196,
               111, 170, 229, 145, 204, 175, 174, 233, 36}},
      {3, 7, {55,  114, 160, 147, 163, 91,  74,  94,  140, 153, 173, 84,  105, 121, 161, 143,
              146, 122, 144, 121, 124, 127, 166, 117, 106, 100, 107, 94,  153, 160, 155, 148,
              98,  97,  143, 145, 181, 53,  112, 120, 117, 176, 168, 88,  147, 101, 104, 150,
              154, 150, 78,  108, 63,  109, 100, 146, 166, 170, 97,  113, 121, 167, 170}},
      {10, 2, {84,  143, 137, 142, 118, 99,  117, 159, 140, 152, 116, 133, 103, 162, 125,
               155, 173, 113, 115, 120, 114, 114, 108, 167, 95,  136, 117, 129, 93,  110,
               110, 92,  133, 113, 88,  147, 123, 117, 176, 158, 152, 115, 139, 145, 85,
               179, 143, 107, 107, 89,  130, 147, 111, 170, 99,  92,  151, 134, 127, 91}},
  };
  const RgbImage source = synthetic(10, 7);
  for (const ResizeCase& c : cases) {
    SCOPED_TRACE(str_cat(c.width, "x", c.height));
    const RgbImage resized = resize_bilinear(source, c.width, c.height);
    ASSERT_EQ(resized.width, c.width);
    ASSERT_EQ(resized.height, c.height);
    EXPECT_EQ(resized.pixels, c.expected);
  }
}

TEST(ImageResize, SameSizeIsTheIdentity) {
  const RgbImage source = synthetic(10, 7);
  EXPECT_EQ(resize_bilinear(source, 10, 7).pixels, source.pixels);
}

TEST(ImageResize, RejectsEmptyTargets) {
  EXPECT_THROW(resize_bilinear(synthetic(4, 4), 0, 3), Error);
}

// Python: round(long * n / short), which rounds halves to even: 6*3/4 = 4.5 -> 4, 10*3/4 = 7.5 -> 8,
// 500*256/375 = 341.33 -> 341, 427 -> 383.70 -> 384.
TEST(ImagePreprocess, ShorterSideResizeRoundsLikePython) {
  PreprocessOptions o;
  o.resize_mode = ResizeMode::kShorterSide;
  o.resize_shorter = 3;
  EXPECT_EQ(resized_size(6, 4, o), std::make_pair(4, 3));
  EXPECT_EQ(resized_size(4, 10, o), std::make_pair(3, 8));
  o.resize_shorter = 256;
  EXPECT_EQ(resized_size(500, 375, o), std::make_pair(341, 256));
  EXPECT_EQ(resized_size(333, 500, o), std::make_pair(256, 384));
  EXPECT_EQ(resized_size(640, 427, o), std::make_pair(384, 256));
  EXPECT_EQ(resized_size(256, 256, o), std::make_pair(256, 256));
}

// Hand-computed: a 4x3 image, crop 2 takes columns 1..2 and rows 0..1 ((4-2)//2 = 1, (3-2)//2 = 0).
TEST(ImagePreprocess, CropColorOrderNormalizationAndLayout) {
  const RgbImage image = synthetic(4, 3);
  PreprocessOptions o;
  o.crop = 2;
  o.color = ColorOrder::kBgr;
  o.mean = {10.f, 20.f, 30.f};
  o.std = {2.f, 4.f, 8.f};
  for (TensorLayout layout : {TensorLayout::kNchw, TensorLayout::kNhwc}) {
    o.layout = layout;
    const Tensor t = preprocess_image(image, o);
    const bool nchw = layout == TensorLayout::kNchw;
    EXPECT_EQ(t.dims(), nchw ? Dims({1, 3, 2, 2}) : Dims({1, 2, 2, 3}));
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 2; ++x)
        for (int c = 0; c < 3; ++c) {
          const float raw = image.at(y, x + 1, 2 - c);  // output channel 0 is blue
          const float expected = (raw - o.mean[c]) / o.std[c];
          const size_t i = nchw ? (c * 2 + y) * 2 + x : (y * 2 + x) * 3 + c;
          EXPECT_EQ(t.values<float>()[i], expected) << "y=" << y << " x=" << x << " c=" << c;
        }
  }
  // (0,0) of the crop is source pixel (1,0): (37 + 2*59) % 256 = 155 in blue, so (155 - 10) / 2 = 72.5.
  o.layout = TensorLayout::kNchw;
  EXPECT_EQ(preprocess_image(image, o).values<float>()[0], 72.5f);
}

TEST(ImagePreprocess, CropLargerThanTheImageIsAnError) {
  PreprocessOptions o;
  o.crop = 5;
  EXPECT_THROW(preprocess_image(synthetic(4, 3), o), Error);
}

TEST(ImagePreprocess, ParsesFlagValues) {
  EXPECT_EQ(parse_three_floats("1,2.5,-3", "--mean"), (std::array<float, 3>{1.f, 2.5f, -3.f}));
  EXPECT_THROW(parse_three_floats("1,2", "--mean"), Error);
  EXPECT_THROW(parse_three_floats("1,2,x", "--mean"), Error);
  EXPECT_THROW(parse_three_floats("1,2,3,4", "--mean"), Error);
  EXPECT_EQ(parse_color_order("bgr"), ColorOrder::kBgr);
  EXPECT_THROW(parse_color_order("BGR?"), Error);
  EXPECT_EQ(parse_layout("nhwc"), TensorLayout::kNhwc);
  EXPECT_THROW(parse_layout("chw"), Error);
}

}  // namespace
}  // namespace octet
