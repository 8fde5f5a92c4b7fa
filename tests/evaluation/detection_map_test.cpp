// VOC mAP on a hand-made two-image case, the annotation file format and the DetectionOutput parser.
#include "evaluation/detection_map.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/io/test_paths.h"

namespace octet::evaluation {
namespace {

// Class 1: image A has g1 [0,0,.5,.5]; image B has g2 [.5,.5,1,1] and a difficult g3 [0,0,.2,.2].
// Class 2: one box in A and no detection. Class 3: a detection but no ground truth (not in the mean).
// Detections of class 1 by confidence:
//   0.9 A [0,0,.5,.5]    IoU 1 with g1                          -> TP
//   0.8 A [0,0,.5,.5]    g1 already taken                       -> FP
//   0.7 B [.5,.5,1,.9]   IoU with g2 = .5*.4 / .25 = 0.8         -> TP
//   0.6 B [0,0,.2,.2]    matches the difficult g3               -> ignored
//   0.5 B [.6,0,.9,.3]   no overlap                             -> FP
// Two positives: recall .5 .5 1 1, precision 1 .5 .667 .5.
//   11-point: recall >= 0..0.5 (6 points) best precision 1; 0.6..1 (5 points) 2/3 -> (6 + 10/3) / 11 =
//   0.8484848 all points: envelope 1 .667 .667 .5 -> 0.5 * 1 + 0.5 * 2/3 = 0.8333333
// Class 2: AP 0. mAP = 0.4242424 (11-point), 0.4166667 (all points).
void add_case(DetectionMap& map) {
  const std::vector<GroundTruthObject> truth_a = {{1, {0, 0, .5f, .5f}, false},
                                                  {2, {.1f, .1f, .3f, .3f}, false}};
  const std::vector<GroundTruthObject> truth_b = {{1, {.5f, .5f, 1, 1}, false}, {1, {0, 0, .2f, .2f}, true}};
  const std::vector<Detection> detections_a = {
      {1, 0.8f, {0, 0, .5f, .5f}}, {1, 0.9f, {0, 0, .5f, .5f}}, {3, 0.9f, {0, 0, 1, 1}}};
  const std::vector<Detection> detections_b = {
      {1, 0.5f, {.6f, 0, .9f, .3f}}, {1, 0.7f, {.5f, .5f, 1, .9f}}, {1, 0.6f, {0, 0, .2f, .2f}}};
  map.add(detections_a, truth_a);
  map.add(detections_b, truth_b);
}

TEST(DetectionMapTest, ElevenPointAndAllPointsOnAHandMadeCase) {
  DetectionMap eleven(ApMethod::kElevenPoint);
  add_case(eleven);
  EXPECT_EQ(eleven.images(), 2u);
  const auto aps = eleven.average_precisions();
  ASSERT_EQ(aps.size(), 2u);
  EXPECT_NEAR(aps.at(1), (6 + 10.0 / 3) / 11, 1e-9);
  EXPECT_EQ(aps.at(2), 0.0);
  EXPECT_NEAR(eleven.mean_average_precision(), 0.4242424, 1e-7);

  DetectionMap all(ApMethod::kAllPoints);
  add_case(all);
  EXPECT_NEAR(all.average_precisions().at(1), 0.8333333, 1e-7);
  EXPECT_NEAR(all.mean_average_precision(), 0.4166667, 1e-7);
}

TEST(DetectionMapTest, IntersectionOverUnion) {
  EXPECT_FLOAT_EQ(intersection_over_union({0, 0, 2, 2}, {1, 1, 3, 3}), 1.f / 7);  // 1 / (4 + 4 - 1)
  EXPECT_EQ(intersection_over_union({0, 0, 1, 1}, {1, 0, 2, 1}), 0.f);            // touching edges
}

TEST(DetectionMapTest, ParsesDetectionOutputUpToTheEndMarker) {
  const std::vector<float> rows = {0,  5, .9f, .1f, .2f, .3f, .4f,  //
                                   0,  7, .4f, 0,   0,   1,   1,    //
                                   -1, 0, 0,   0,   0,   0,   0,    //
                                   0,  9, .9f, 0,   0,   1,   1};
  const std::vector<Detection> d = parse_detection_output(Tensor::from_vector<float>({1, 1, 4, 7}, rows));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].label, 5);
  EXPECT_FLOAT_EQ(d[0].confidence, .9f);
  EXPECT_FLOAT_EQ(d[0].box.y1, .4f);
  EXPECT_EQ(d[1].label, 7);
  EXPECT_THROW(parse_detection_output(Tensor(ElementType::kF32, {1, 1, 2, 6})), Error);
}

TEST(DetectionMapTest, ReadsBoxAnnotationsInPixelsOrNormalized) {
  const std::string path = octet::testing::scratch_path("boxes.txt");
  std::ofstream(path) << "# VOC-like\nsize 200 100\n\n3 20 10 100 50\n4 0 0 200 100 1\n";
  const std::vector<GroundTruthObject> objects = read_box_annotation(path, 1);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].label, 4);  // 3 + label offset 1
  EXPECT_FLOAT_EQ(objects[0].box.x0, 0.1f);
  EXPECT_FLOAT_EQ(objects[0].box.y1, 0.5f);
  EXPECT_FALSE(objects[0].difficult);
  EXPECT_TRUE(objects[1].difficult);
  EXPECT_FLOAT_EQ(objects[1].box.x1, 1.f);

  for (const char* bad : {"1 0 0 1\n", "1 0.5 0 0.2 1\n", "1 0 0 1 1 2\n", "cat 0 0 1 1\n", "1 0 0 1 1 0 9\n",
                          "1 0 0 1 1\nsize 10 10\n"}) {
    std::ofstream(path) << bad;
    try {
      read_box_annotation(path);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path + ":"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(read_box_annotation(path + ".missing"), Error);
}

}  // namespace
}  // namespace octet::evaluation
