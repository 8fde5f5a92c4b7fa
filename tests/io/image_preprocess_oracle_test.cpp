// The ImageNet preprocessing of /work/shared/README.md section 1.1 (PIL BILINEAR resize of the shorter side
// to 256, center crop 224, (x - 128) / 128, NCHW RGB) must reproduce the input tensors stored with the
// MobileNet V2 reference test sets, which were made with PIL.
#include <gtest/gtest.h>

#include <cmath>

#include "io/image.h"
#include "io/image_preprocess.h"
#include "io/tensor_file.h"
#include "tests/io/test_paths.h"

namespace octet {
namespace {

constexpr char kTestData[] = "models/imagenet/mobilenet_v2_1.0_224.fp32.testdata/";

PreprocessOptions imagenet_224() {
  PreprocessOptions options;
  options.resize_mode = ResizeMode::kShorterSide;
  options.resize_shorter = 256;
  options.crop = 224;
  options.mean = {128.f, 128.f, 128.f};
  options.std = {128.f, 128.f, 128.f};
  return options;
}

struct Comparison {
  int64_t differing = 0;
  double max_abs_diff = 0;
};

Comparison compare(const Tensor& actual, const Tensor& expected) {
  EXPECT_EQ(actual.dims(), expected.dims());
  Comparison result;
  if (actual.dims() != expected.dims()) return result;
  const auto a = actual.values<float>();
  const auto e = expected.values<float>();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != e[i]) ++result.differing;
    result.max_abs_diff = std::max(result.max_abs_diff, static_cast<double>(std::fabs(a[i] - e[i])));
  }
  return result;
}

Tensor expected_input(int set) {
  const std::string path = testing::shared_file(str_cat(kTestData, "test_data_set_", set, "/input_0.pb"));
  return read_tensor_file(path).tensor;
}

TEST(ImagePreprocessOracle, GraceHopperPngMatchesPilBitForBit) {
  const std::string image = testing::shared_file("data/images/grace_hopper.png");
  if (image.empty() || testing::shared_file(str_cat(kTestData, "test_data_set_0/input_0.pb")).empty())
    GTEST_SKIP() << "shared data not found under " << testing::shared_dir();
  const Comparison c = compare(preprocess_image(read_image(image), imagenet_224()), expected_input(0));
  EXPECT_EQ(c.differing, 0) << "max abs diff " << c.max_abs_diff;
}

TEST(ImagePreprocessOracle, CatPngMatchesPilBitForBit) {
  const std::string image = testing::shared_file("data/images/cat.png");
  if (image.empty() || testing::shared_file(str_cat(kTestData, "test_data_set_1/input_0.pb")).empty())
    GTEST_SKIP() << "shared data not found under " << testing::shared_dir();
  const Comparison c = compare(preprocess_image(read_image(image), imagenet_224()), expected_input(1));
  EXPECT_EQ(c.differing, 0) << "max abs diff " << c.max_abs_diff;
}

// JPEG decoders (and libjpeg-turbo versions) may differ by one in a few pixels; we allow that and no more.
TEST(ImagePreprocessOracle, GoldenRetrieverJpegMatchesPilWithinOneLevel) {
  const std::string image = testing::shared_file("data/imagenet-sample/n02099601_golden_retriever.JPEG");
  if (image.empty() || testing::shared_file(str_cat(kTestData, "test_data_set_2/input_0.pb")).empty())
    GTEST_SKIP() << "shared data not found under " << testing::shared_dir();
  const Comparison c = compare(preprocess_image(read_image(image), imagenet_224()), expected_input(2));
  RecordProperty("differing_values", static_cast<int>(c.differing));
  EXPECT_LE(c.max_abs_diff, 1.0 / 128 + 1e-7);
  std::cout << "golden retriever JPEG: " << c.differing << " of 150528 values differ from PIL's\n";
}

}  // namespace
}  // namespace octet
