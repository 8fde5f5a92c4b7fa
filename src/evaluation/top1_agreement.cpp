#include "evaluation/top1_agreement.h"

#include "octet/error.h"

namespace octet::evaluation {

double top1_agreement(const std::vector<int>& a, const std::vector<int>& b) {
  OCTET_CHECK(a.size() == b.size() && !a.empty(), ErrorCode::kInvalidArgument,
              "top-1 agreement needs the predictions of both models on the same samples, got ", a.size(),
              " and ", b.size());
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(a.size());
}

}  // namespace octet::evaluation
