#include "evaluation/top_k_accuracy.h"

#include "octet/error.h"

namespace octet::evaluation {

int argmax(std::span<const float> scores) {
  OCTET_CHECK(!scores.empty(), ErrorCode::kInvalidArgument, "argmax of an empty output");
  size_t best = 0;
  for (size_t i = 1; i < scores.size(); ++i)
    if (scores[i] > scores[best]) best = i;
  return static_cast<int>(best);
}

size_t rank_of(std::span<const float> scores, size_t index) {
  OCTET_ASSERT(index < scores.size());
  const float own = scores[index];
  size_t rank = 0;
  for (size_t i = 0; i < scores.size(); ++i) rank += scores[i] > own || (scores[i] == own && i < index);
  return rank;
}

TopKAccuracy::TopKAccuracy(int k, int label_offset) : k_(k), label_offset_(label_offset) {
  OCTET_CHECK(k >= 1, ErrorCode::kInvalidArgument, "top-k needs k >= 1, got ", k);
}

void TopKAccuracy::add(std::span<const float> scores, int label) {
  const int64_t index = static_cast<int64_t>(label) + label_offset_;
  OCTET_CHECK(index >= 0 && index < static_cast<int64_t>(scores.size()), ErrorCode::kInvalidArgument,
              "label ", label, " with label offset ", label_offset_, " is output index ", index,
              " but the model has ", scores.size(), " outputs (check --label-offset)");
  const size_t rank = rank_of(scores, static_cast<size_t>(index));
  ++count_;
  top1_hits_ += rank == 0;
  top_k_hits_ += rank < static_cast<size_t>(k_);
}

}  // namespace octet::evaluation
