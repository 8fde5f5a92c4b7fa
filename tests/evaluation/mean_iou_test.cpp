// Mean IoU on a hand-made case, and the label maps it is computed from (argmax, masks, nearest resize).
#include "evaluation/mean_iou.h"

#include <gtest/gtest.h>

#include "evaluation/label_map.h"
#include "io/tensor_file.h"
#include "tests/io/test_paths.h"

namespace octet::evaluation {
namespace {

TEST(MeanIouTest, HandComputedConfusion) {
  // truth     0 0 1 1 2 255      predicted 0 1 1 1 0 2   (the last pixel is ignored)
  // class 0: TP 1, truth 2, predicted 2 -> 1 / 3;  class 1: TP 2, truth 2, predicted 3 -> 2 / 3;
  // class 2: TP 0, truth 1, predicted 0 -> 0.  mean 1/3; pixel accuracy 3 / 5.
  MeanIou miou(3);
  miou.add(std::vector<int32_t>{0, 1, 1, 1, 0, 2}, std::vector<int32_t>{0, 0, 1, 1, 2, 255});
  const std::vector<double> iou = miou.class_iou();
  EXPECT_DOUBLE_EQ(iou[0], 1.0 / 3);
  EXPECT_DOUBLE_EQ(iou[1], 2.0 / 3);
  EXPECT_DOUBLE_EQ(iou[2], 0.0);
  EXPECT_DOUBLE_EQ(miou.mean_iou(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(miou.pixel_accuracy(), 0.6);
}

TEST(MeanIouTest, AbsentClassesAreLeftOutAndBadMasksRejected) {
  MeanIou miou(4);
  miou.add(std::vector<int32_t>{0, 1}, std::vector<int32_t>{0, 1});
  EXPECT_EQ(miou.class_iou()[3], -1.0);
  EXPECT_DOUBLE_EQ(miou.mean_iou(), 1.0);
  EXPECT_THROW(miou.add(std::vector<int32_t>{0}, std::vector<int32_t>{7}), Error);  // not a class, not 255
  EXPECT_THROW(miou.add(std::vector<int32_t>{0, 1}, std::vector<int32_t>{0}), Error);
}

TEST(LabelMapTest, ArgmaxOverChannels) {
  // [1,3,1,2]: pixel 0 scores (1, 5, 2) -> 1; pixel 1 scores (4, 4, 0) -> 0 (tie to the lower class).
  const std::vector<float> scores = {1, 4, 5, 4, 2, 0};
  const LabelMap map = predicted_labels(Tensor::from_vector<float>({1, 3, 1, 2}, scores));
  EXPECT_EQ(map.width, 2);
  EXPECT_EQ(map.height, 1);
  EXPECT_EQ(map.labels, (std::vector<int32_t>{1, 0}));
}

TEST(LabelMapTest, NearestResizeUsesPixelCentres) {
  LabelMap map;
  map.width = 2;
  map.height = 1;
  map.labels = {3, 7};
  // 2 -> 4 columns: centres 0.5, 1.5, 2.5, 3.5 map to 0.25, 0.75, 1.25, 1.75 -> 0 0 1 1.
  EXPECT_EQ(resize_nearest(map, 4, 2).labels, (std::vector<int32_t>{3, 3, 7, 7, 3, 3, 7, 7}));
}

TEST(LabelMapTest, ReadsGreyPngAndNpyMasksRejectsPalette) {
  const std::string dir = std::string(OCTET_SOURCE_DIR) + "/tests/evaluation/data/";
  // mask_grey.png: 4x3 greyscale, written with PIL from [[0,1,2,255],[1,1,0,2],[2,2,2,0]].
  const LabelMap grey = read_label_mask(dir + "mask_grey.png");
  EXPECT_EQ(grey.width, 4);
  EXPECT_EQ(grey.height, 3);
  EXPECT_EQ(grey.labels, (std::vector<int32_t>{0, 1, 2, 255, 1, 1, 0, 2, 2, 2, 2, 0}));
  try {
    read_label_mask(dir + "mask_palette.png");  // PIL mode "P"
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  }
  const std::string npy = octet::testing::scratch_path("mask.npy");
  const std::vector<int64_t> values = {4, 255, 0, 1};
  write_npy(npy, Tensor::from_vector<int64_t>({1, 2, 2}, values));
  const LabelMap from_npy = read_label_mask(npy);
  EXPECT_EQ(from_npy.width, 2);
  EXPECT_EQ(from_npy.labels, (std::vector<int32_t>{4, 255, 0, 1}));
}

}  // namespace
}  // namespace octet::evaluation
