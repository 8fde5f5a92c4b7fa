// The windows of an average pooling, listed once per output position: which input positions each one reads
// and what it divides by. QLinearAveragePool's reference evaluator and its int8 kernel both read the pooling
// from here, so they cannot disagree on a window or a divisor (and the int8 output is bit-exact).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace octet {

struct AveragePoolWindows {
  int64_t batch = 0, channels = 0;
  bool channels_last = false;           // X is [N, D1..Dr, C] (QLinearAveragePool's channels_last attribute)
  int64_t in_plane = 0, out_plane = 0;  // spatial positions of X and Y
  // Output position o reads input positions taps[tap_begin[o]] .. taps[tap_begin[o + 1] - 1] (flat row-major
  // spatial offsets, only taps inside X) and divides by divisor[o]: the taps inside X, plus the taps in the
  // explicit padding with count_include_pad (they read as the zero point, i.e. 0.0).
  std::vector<int64_t> tap_begin, taps, divisor;
  Dims y_dims;
};

// For QLinearAveragePool `node` on an input of dims `x` (all known).
AveragePoolWindows qlinear_average_pool_windows(const Node& node, const Dims& x);

// y = requantize(sum of (x - x_zp) over the window, this multiplier, y_zp): the float formula both the
// reference and the kernel use.
inline float average_pool_multiplier(float x_scale, float y_scale, int64_t divisor) {
  return x_scale / (y_scale * static_cast<float>(divisor < 1 ? 1 : divisor));
}

}  // namespace octet
