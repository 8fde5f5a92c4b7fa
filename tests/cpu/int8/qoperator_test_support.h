// Shared by the int8 kernel tests: one-node QOperator graphs on u8/i8 tensors, compiled with the public API
// and compared with the ReferenceExecutor on the same graph (the oracle). Integer outputs may differ from it
// by at most one step (rounding ties: see each kernel's header for where a difference can come from); f32
// outputs must match to 1e-5 / 1e-4.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "graph/graph.h"
#include "tests/cpu/compute_kernel_test_support.h"

namespace octet::test {

inline constexpr ElementType kU8 = ElementType::kU8;
inline constexpr ElementType kI8 = ElementType::kI8;

// Uniform random values of an 8-bit type over [low, high] (clamped to the type's range).
inline Tensor random_int8(ElementType type, const Dims& dims, uint32_t seed, int low = -128, int high = 255) {
  Tensor t(type, dims);
  std::mt19937 rng(seed);
  const int lo = std::max(low, type == ElementType::kU8 ? 0 : -128);
  const int hi = std::min(high, type == ElementType::kU8 ? 255 : 127);
  std::uniform_int_distribution<int> dist(lo, hi);
  for (int64_t i = 0; i < t.element_count(); ++i) {
    if (type == ElementType::kU8) {
      t.data<uint8_t>()[i] = static_cast<uint8_t>(dist(rng));
    } else {
      t.data<int8_t>()[i] = static_cast<int8_t>(dist(rng));
    }
  }
  return t;
}

inline Tensor scalar_f32(float v) {
  return Tensor::scalar(v);
}
inline Tensor zero_point(ElementType type, int v) {
  return type == ElementType::kU8 ? Tensor::scalar(static_cast<uint8_t>(v))
                                  : Tensor::scalar(static_cast<int8_t>(v));
}

// A 1x1 int8 convolution "conv" of `x` ([N, C, ...], u8 or i8) to C channels of the same type (x_scale 0.02,
// y_scale 0.05, zero points 128 for u8 and 0 for i8, weights in [-60, 60]): oneDNN writes its output
// channels-last, which is how a loop kernel after it sees its input in a network.
inline Value* add_int8_pointwise_conv(Graph& g, Value* x, ElementType type, int64_t channels) {
  const int zero = type == ElementType::kU8 ? 128 : 0;
  const std::vector<Value*> inputs = {
      x,
      g.add_constant("cx_scale", scalar_f32(0.02f)),
      g.add_constant("cx_zero", zero_point(type, zero)),
      g.add_constant("cw", random_int8(ElementType::kI8, {channels, channels, 1, 1}, 4, -60, 60)),
      g.add_constant("cw_scale", scalar_f32(0.01f)),
      g.add_constant("cw_zero", zero_point(ElementType::kI8, 0)),
      g.add_constant("cy_scale", scalar_f32(0.05f)),
      g.add_constant("cy_zero", zero_point(type, zero))};
  return g.add_node("QLinearConv", "conv", inputs, {"conv_out"})->output(0);
}

struct Int8Check {
  std::string exec_type;  // of node "node"
  int64_t max_diff = 0;   // largest |compiled - reference| over the integer outputs
  int64_t differing = 0;  // how many integer elements differ at all
};

// Runs `graph` (inferred here) compiled and with the reference on `inputs`; expects integer outputs within 1
// and f32 outputs within 1e-5 + 1e-4 * |expected|.
inline Int8Check expect_int8_matches_reference(Graph& graph, const TensorMap& inputs) {
  infer_shapes(graph);
  const TensorMap expected = ReferenceExecutor(graph).run(inputs);
  const CompiledRun run = run_compiled(graph, inputs);
  Int8Check check;
  check.exec_type = exec_type_of(run, "node");
  for (const Value* out : graph.outputs()) {
    const Tensor& want = expected.at(out->name());
    const Tensor& got = run.outputs.at(out->name());
    EXPECT_EQ(got.type(), want.type()) << out->name();
    EXPECT_EQ(got.dims(), want.dims()) << out->name();
    if (got.type() != want.type() || got.dims() != want.dims()) continue;
    if (want.type() == ElementType::kF32) {
      const testing::Comparison c = testing::compare_tensors(got, want, {1e-5, 1e-4});
      EXPECT_TRUE(c.match) << "output '" << out->name() << "': " << c.reason;
      continue;
    }
    for (int64_t i = 0; i < want.element_count(); ++i) {
      const int64_t d = std::abs(got.value_as_int64(i) - want.value_as_int64(i));
      check.max_diff = std::max(check.max_diff, d);
      check.differing += d != 0;
    }
  }
  EXPECT_LE(check.max_diff, 1) << "compiled int8 output is more than one step from the reference";
  return check;
}

inline bool is_int8_exec_type(const std::string& type) {
  return type.size() > 3 && type.substr(type.size() - 3) == "_I8" && type.rfind("ref", 0) != 0;
}

}  // namespace octet::test
