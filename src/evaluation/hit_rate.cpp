#include "evaluation/hit_rate.h"

#include <cmath>

#include "evaluation/top_k_accuracy.h"
#include "octet/error.h"

namespace octet::evaluation {

HitRate::HitRate(int k) : k_(k) {
  OCTET_CHECK(k >= 1, ErrorCode::kInvalidArgument, "hit-rate@K needs K >= 1, got ", k);
}

void HitRate::add(std::span<const float> scores, int positive) {
  OCTET_CHECK(positive >= 0 && static_cast<size_t>(positive) < scores.size(), ErrorCode::kInvalidArgument,
              "the positive item's index ", positive, " is outside the model's ", scores.size(), " scores");
  const size_t rank = rank_of(scores, static_cast<size_t>(positive));
  ++count_;
  if (rank < static_cast<size_t>(k_)) {
    ++hits_;
    ndcg_sum_ += 1.0 / std::log2(static_cast<double>(rank) + 2.0);
  }
}

}  // namespace octet::evaluation
