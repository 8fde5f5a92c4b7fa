// Cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and Bias
// Correction", section 4.1): for two convolutions in a row, y = W2 f(W1 x + b1), scaling output channel c of
// the first by 1 / s_c and the input channel c of the second by s_c leaves y unchanged whenever f commutes
// with positive scaling (identity, ReLU). Per-channel symmetric weight quantization of the first layer is
// indifferent to it, but the second layer shares one scale per output channel across all its input
// channels, and depthwise-separable models (MobileNets) have input channels whose ranges differ by orders of
// magnitude. With r1_c = max|W1[c, ...]| and r2_c = max|W2[:, c, ...]| the new ranges are r1_c / s_c and
// r2_c * s_c; their product is fixed, and their ratio is balanced (equal ranges) at s_c = sqrt(r1_c / r2_c)
// = sqrt(r1_c * r2_c) / r2_c, which maximizes the precision of both (the paper's Theorem 1).
//
// Activations: ReLU (and Clip with bounds 0 / -inf and +inf) commute with s_c > 0. ReLU6 / Clip(0, 6) does
// not (clip(x / s, 0, 6) = clip(x, 0, 6 s) / s): such pairs are skipped, not rewritten with per-channel
// clip bounds, because a per-channel clip would no longer fold into the int8 requantization.
// Chains (conv -> depthwise -> conv) share layers between pairs, so the scaling is iterated until the scales
// settle (as in the paper and NNCF).
#pragma once

#include "graph/graph.h"

namespace octet::quantization {

// Equalizes every Conv -> [ReLU] -> Conv pair with constant f32 weights (and bias) where the first output is
// read only by the second; returns the number of pairs equalized. fp32 outputs change only by float
// rounding.
int equalize_cross_layer(Graph& graph);

}  // namespace octet::quantization
