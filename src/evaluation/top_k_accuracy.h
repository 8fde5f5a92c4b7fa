// Classification accuracy: top-1 and top-k of a classifier's output row against the sample's label.
#pragma once

#include <cstddef>
#include <span>

namespace octet::evaluation {

// The index of the largest score; ties go to the lowest index (as tools' top_k listing orders them).
int argmax(std::span<const float> scores);

// 0-based rank of `index` in `scores` sorted best first, ties broken by the lower index: the number of
// classes with a higher score, plus those with an equal score and a lower index.
size_t rank_of(std::span<const float> scores, size_t index);

class TopKAccuracy {
 public:
  // label L of a sample is output index L + label_offset (ImageNet models with a background class: 1).
  explicit TopKAccuracy(int k = 5, int label_offset = 0);

  // One sample; throws kInvalidArgument if label + offset is not an index of `scores`.
  void add(std::span<const float> scores, int label);

  int k() const { return k_; }
  size_t count() const { return count_; }
  double top1() const { return count_ ? static_cast<double>(top1_hits_) / count_ : 0.0; }  // fraction 0..1
  double top_k() const { return count_ ? static_cast<double>(top_k_hits_) / count_ : 0.0; }

 private:
  int k_;
  int label_offset_;
  size_t count_ = 0;
  size_t top1_hits_ = 0;
  size_t top_k_hits_ = 0;
};

}  // namespace octet::evaluation
