#include "passes/generic/batchnorm_affine.h"

#include <cmath>

#include "passes/generic/rewrite_helpers.h"

namespace octet {

int64_t batchnorm_channels(const Node& node) {
  const Tensor* scale = f32_constant(node.input(1));
  return scale ? scale->element_count() : 0;
}

std::optional<ChannelAffine> batchnorm_affine(const Node& node, int64_t channels) {
  if (node.op_type() != "BatchNormalization" || node.output_count() != 1 || channels <= 0)
    return std::nullopt;
  if (!node.output(0)->shape().rank_known()) return std::nullopt;
  const Tensor* params[4];
  for (size_t i = 0; i < 4; ++i) {
    params[i] = f32_constant(node.input(i + 1));
    if (!params[i] || params[i]->element_count() != channels) return std::nullopt;
  }
  // The reference evaluates in double with epsilon read as float; do the same so that folding is exact
  // up to the final rounding.
  const double epsilon = node.attribute_or<float>("epsilon", 1e-5f);
  const float* scale = params[0]->data<float>();
  const float* bias = params[1]->data<float>();
  const float* mean = params[2]->data<float>();
  const float* var = params[3]->data<float>();
  ChannelAffine affine;
  for (int64_t c = 0; c < channels; ++c) {
    const double a = scale[c] / std::sqrt(static_cast<double>(var[c]) + epsilon);
    affine.scale.push_back(a);
    affine.shift.push_back(bias[c] - mean[c] * a);
  }
  return affine;
}

}  // namespace octet
