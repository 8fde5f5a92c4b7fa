// Small graph pieces with seeded random weights for the pass tests: convolutions, matrix products and
// BatchNormalization with plausible parameters (positive variances, scales around 1).
#pragma once

#include <string>

#include "graph/graph.h"
#include "tests/passes/pass_test_support.h"

namespace octet::test {

// Conv(x, w [out, in/group, k, k], bias [out] if with_bias) with pads keeping the spatial size.
inline Value* add_conv(Graph& g, const std::string& name, Value* x, int64_t in, int64_t out, int64_t group,
                       bool with_bias, uint32_t seed, int64_t kernel = 3) {
  Value* w = g.add_constant(name + ".w", random_f32({out, in / group, kernel, kernel}, seed));
  Value* b = with_bias ? g.add_constant(name + ".b", random_f32({out}, seed + 1)) : nullptr;
  const int64_t pad = kernel / 2;
  return g
      .add_node("Conv", name, {x, w, b}, {name + "_out"},
                {{"group", group}, {"pads", std::vector<int64_t>{pad, pad, pad, pad}}})
      ->output(0);
}

// ConvTranspose(x, w [in, out/group, 3, 3]) with stride 2.
inline Value* add_conv_transpose(Graph& g, const std::string& name, Value* x, int64_t in, int64_t out,
                                 int64_t group, bool with_bias, uint32_t seed) {
  Value* w = g.add_constant(name + ".w", random_f32({in, out / group, 3, 3}, seed));
  Value* b = with_bias ? g.add_constant(name + ".b", random_f32({out}, seed + 1)) : nullptr;
  return g
      .add_node("ConvTranspose", name, {x, w, b}, {name + "_out"},
                {{"group", group}, {"strides", std::vector<int64_t>{2, 2}}})
      ->output(0);
}

// BatchNormalization(x) over `channels` with constant parameters, or with the mean fed as a graph input
// "<name>.mean" when !constant_params.
inline Value* add_batchnorm(Graph& g, const std::string& name, Value* x, int64_t channels, uint32_t seed,
                            bool constant_params = true) {
  Value* scale = g.add_constant(name + ".scale", random_f32({channels}, seed, 0.5f, 1.5f));
  Value* bias = g.add_constant(name + ".B", random_f32({channels}, seed + 1));
  Value* mean = constant_params ? g.add_constant(name + ".mean", random_f32({channels}, seed + 2))
                                : g.add_input(name + ".mean", ElementType::kF32, Shape{channels});
  Value* var = g.add_constant(name + ".var", random_f32({channels}, seed + 3, 0.1f, 2.0f));
  return g
      .add_node("BatchNormalization", name, {x, scale, bias, mean, var}, {name + "_out"},
                {{"epsilon", 1e-3f}})
      ->output(0);
}

}  // namespace octet::test
