#include "io/file_extension.h"

#include <gtest/gtest.h>

namespace octet {
namespace {

TEST(FileExtensionTest, IsTheLastSuffixInLowerCase) {
  EXPECT_EQ(lowercase_extension("models/MobileNet.ONNX"), ".onnx");
  EXPECT_EQ(lowercase_extension("photo.JpEg"), ".jpeg");
  EXPECT_EQ(lowercase_extension("archive.tar.GZ"), ".gz");
}

TEST(FileExtensionTest, IsEmptyWithoutASuffix) {
  EXPECT_EQ(lowercase_extension("images/README"), "");
  EXPECT_EQ(lowercase_extension("calibration.d/labels"), "");
  EXPECT_EQ(lowercase_extension(".hidden"), "");
}

}  // namespace
}  // namespace octet
