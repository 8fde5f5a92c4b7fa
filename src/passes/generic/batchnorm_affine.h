// The per-channel affine map y = x * a + b that an inference BatchNormalization with constant parameters
// computes: a = scale / sqrt(var + epsilon), b = B - mean * a. Shared by the two BatchNormalization passes.
#pragma once

#include <optional>

#include "graph/graph.h"
#include "passes/generic/channel_affine_folding.h"

namespace octet {

// nullopt unless `node` is a BatchNormalization with one output and constant f32 scale, B, mean and var of
// `channels` elements each (channels > 0) and its output's rank is known.
std::optional<ChannelAffine> batchnorm_affine(const Node& node, int64_t channels);

// The channel count of a BatchNormalization's parameters (its scale input), or 0 if it is not a constant.
int64_t batchnorm_channels(const Node& node);

}  // namespace octet
