// Recommendation quality: hit-rate@K and NDCG@K. Each sample's output scores a list of candidate items and
// its label is the index of the one positive item (NCF-style leave-one-out evaluation).
#pragma once

#include <cstddef>
#include <span>

namespace octet::evaluation {

class HitRate {
 public:
  explicit HitRate(int k = 10);

  // A hit when the positive item ranks among the first K (ties broken by the lower index, see rank_of).
  void add(std::span<const float> scores, int positive);

  int k() const { return k_; }
  size_t count() const { return count_; }
  double hit_rate() const { return count_ ? static_cast<double>(hits_) / count_ : 0.0; }
  // Mean over samples of 1 / log2(rank + 2) for hits, 0 otherwise.
  double ndcg() const { return count_ ? ndcg_sum_ / count_ : 0.0; }

 private:
  int k_;
  size_t count_ = 0;
  size_t hits_ = 0;
  double ndcg_sum_ = 0;
};

}  // namespace octet::evaluation
