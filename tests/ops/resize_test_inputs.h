// Inputs the Resize tests (nearest and interpolating modes) share.
#pragma once

#include <vector>

#include "tests/support/op_test_harness.h"

namespace octet::test {

// x23 = [[[[1, 2, 4], [-1, 3, 0.5]]]]
inline Tensor x23() {
  return f32({1, 1, 2, 3}, {1, 2, 4, -1, 3, 0.5f});
}

// 1, 2, ..., n.
inline std::vector<float> one_to(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  return v;
}

}  // namespace octet::test
