// Top-1/top-k accuracy, hit-rate@K and top-1 agreement on hand-made score rows.
#include "evaluation/top_k_accuracy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "evaluation/hit_rate.h"
#include "evaluation/top1_agreement.h"
#include "octet/error.h"

namespace octet::evaluation {
namespace {

TEST(TopKAccuracyTest, CountsTop1AndTopKWithLabelOffset) {
  // Index 0 is a background class: label L is output L + 1.
  TopKAccuracy accuracy(2, 1);
  const std::vector<float> row = {0.9f, 0.05f, 0.6f, 0.3f};   // ranks: idx0, idx2, idx3, idx1
  accuracy.add(row, 1);                                       // output 2: rank 1 -> top-2 only
  accuracy.add(row, 2);                                       // output 3: rank 2 -> miss
  accuracy.add(std::vector<float>{0.f, 0.2f, 0.1f, 0.f}, 0);  // output 1: rank 0 -> both
  EXPECT_EQ(accuracy.count(), 3u);
  EXPECT_DOUBLE_EQ(accuracy.top1(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(accuracy.top_k(), 2.0 / 3);
  EXPECT_THROW(accuracy.add(row, 3), Error);  // output 4 does not exist
  EXPECT_THROW(TopKAccuracy(0), Error);
}

TEST(TopKAccuracyTest, TiesGoToTheLowerIndex) {
  const std::vector<float> row = {0.5f, 0.7f, 0.7f, 0.1f};
  EXPECT_EQ(argmax(row), 1);
  EXPECT_EQ(rank_of(row, 1), 0u);
  EXPECT_EQ(rank_of(row, 2), 1u);
  EXPECT_EQ(rank_of(row, 0), 2u);
  TopKAccuracy accuracy(5);
  accuracy.add(row, 2);  // tied with the winner but later: not top-1
  EXPECT_EQ(accuracy.top1(), 0.0);
  EXPECT_EQ(accuracy.top_k(), 1.0);
}

TEST(HitRateTest, HitRateAndNdcgAtK) {
  // scores: items 1 and 3 tie at 0.5 (1 ranks first), then 2, then 0. K = 2.
  //   positive 1: rank 0, hit, 1/log2(2) = 1;   positive 3: rank 1, hit, 1/log2(3) = 0.6309298
  //   positive 2: rank 2, miss;                positive 0: rank 3, miss
  // HR@2 = 2/4 = 0.5; NDCG@2 = (1 + 0.6309298) / 4 = 0.4077324.
  const std::vector<float> scores = {0.1f, 0.5f, 0.3f, 0.5f};
  HitRate hit_rate(2);
  for (int positive : {1, 3, 2, 0}) hit_rate.add(scores, positive);
  EXPECT_EQ(hit_rate.count(), 4u);
  EXPECT_DOUBLE_EQ(hit_rate.hit_rate(), 0.5);
  EXPECT_NEAR(hit_rate.ndcg(), 0.4077324, 1e-7);
  EXPECT_THROW(hit_rate.add(scores, 4), Error);
}

TEST(Top1AgreementTest, FractionOfEqualPredictions) {
  EXPECT_DOUBLE_EQ(top1_agreement({1, 2, 3, 4}, {1, 0, 3, 4}), 0.75);
  EXPECT_THROW(top1_agreement({1, 2}, {1}), Error);
  EXPECT_THROW(top1_agreement({}, {}), Error);
}

}  // namespace
}  // namespace octet::evaluation
