// Shared by the pass tests: seeded random tensors, the op types left in a graph, and the numeric check of
// every pass test: run the original and the rewritten graph on the same random inputs with the reference
// executor and compare every output by name.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"

namespace octet::test {

// Uniform values in [low, high) from a fixed seed (the oracle is the reference executor on the same values,
// so only determinism matters, not the exact sequence).
inline Tensor random_f32(Dims dims, uint32_t seed, float low = -1.0f, float high = 1.0f) {
  Tensor t(ElementType::kF32, std::move(dims));
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> dist(low, high);
  for (float& v : t.values<float>()) v = dist(engine);
  return t;
}

// A random tensor for every graph input (f32 with static dims).
inline TensorMap random_inputs(const Graph& graph, uint32_t seed = 1234) {
  TensorMap inputs;
  for (const Value* in : graph.inputs()) inputs[in->name()] = random_f32(in->shape().static_dims(), seed++);
  return inputs;
}

// Op types of the graph's nodes in topological order.
inline std::vector<std::string> op_types(const Graph& graph) {
  std::vector<std::string> types;
  for (const Node* node : graph.topological_order()) types.push_back(node->op_type());
  return types;
}

inline size_t count_op(const Graph& graph, const std::string& op_type) {
  size_t n = 0;
  for (const Node* node : graph.nodes()) n += node->op_type() == op_type;
  return n;
}

struct OutputTolerance {
  double atol = 1e-5;
  double rtol = 1e-5;
};

// Both graphs (inferred) give the same outputs, by the original's output names, on `inputs`.
inline void expect_same_outputs(const Graph& original, const Graph& rewritten, const TensorMap& inputs,
                                OutputTolerance tolerance = {}) {
  ASSERT_EQ(original.outputs().size(), rewritten.outputs().size());
  const TensorMap expected = ReferenceExecutor(original).run(inputs);
  const TensorMap actual = ReferenceExecutor(rewritten).run(inputs);
  for (const Value* out : original.outputs()) {
    ASSERT_TRUE(actual.contains(out->name())) << "output '" << out->name() << "' lost its name";
    const testing::Comparison c = testing::compare_tensors(actual.at(out->name()), expected.at(out->name()),
                                                           {tolerance.atol, tolerance.rtol});
    EXPECT_TRUE(c.match) << "output '" << out->name() << "': " << c.reason << " (max abs diff "
                         << c.max_abs_diff << ")";
  }
}

// Builds a graph twice (the original and the one to rewrite; there is no graph copy helper) and infers both.
template <typename Build>
std::pair<Graph, Graph> build_twice(Build&& build) {
  std::pair<Graph, Graph> graphs{build(), build()};
  infer_shapes(graphs.first);
  infer_shapes(graphs.second);
  return graphs;
}

}  // namespace octet::test
