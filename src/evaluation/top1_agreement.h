// How often two models pick the same class: accuracy control's metric when the data has no labels (the
// quantized model is compared with the fp32 one on the same samples).
#pragma once

#include <vector>

namespace octet::evaluation {

// Fraction (0..1) of positions where a[i] == b[i]; throws kInvalidArgument if the sizes differ or are 0.
double top1_agreement(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace octet::evaluation
