// Shared by the convolution / matmul / pooling op tests: runs one node through shape inference and the
// reference executor, and makes small deterministic inputs whose values are exact in float.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "graph/graph.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"

namespace octet::conv_testing {

// Small integers in [-5, 5]: x[i] = (i * 7) % 11 - 5. The Python oracles build the same sequence, so sums of
// products stay exact in float and results compare with ==.
inline std::vector<float> pattern_values(int64_t count, int64_t multiplier = 7, int64_t modulus = 11) {
  std::vector<float> v(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    v[static_cast<size_t>(i)] = static_cast<float>((i * multiplier) % modulus - modulus / 2);
  return v;
}

inline Tensor pattern_tensor(Dims dims, int64_t multiplier = 7, int64_t modulus = 11) {
  const std::vector<float> v = pattern_values(element_count(dims), multiplier, modulus);
  return Tensor::from_vector<float>(std::move(dims), v);
}

inline Tensor float_tensor(Dims dims, std::vector<float> values) {
  return Tensor::from_vector<float>(std::move(dims), values);
}

inline std::vector<float> float_values(const Tensor& t) {
  const auto v = t.values<float>();
  return {v.begin(), v.end()};
}

// A graph with one `op_type` node reading every tensor of `inputs` as a graph input (an empty Tensor = an
// omitted optional input) and `output_count` outputs, after infer_shapes().
struct SingleNodeGraph {
  Graph graph;
  Node* node = nullptr;

  SingleNodeGraph(const std::string& op_type, const std::vector<Tensor>& inputs, Attributes attributes,
                  size_t output_count = 1) {
    std::vector<Value*> values;
    for (size_t i = 0; i < inputs.size(); ++i) {
      values.push_back(inputs[i].empty()
                           ? nullptr
                           : graph.add_input("in" + std::to_string(i), inputs[i].type(), inputs[i].dims()));
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < output_count; ++i) names.push_back("out" + std::to_string(i));
    node = graph.add_node(op_type, "node", values, names, std::move(attributes));
    for (Value* out : node->outputs()) graph.add_output(out);
    infer_shapes(graph);
  }

  std::vector<Tensor> run(const std::vector<Tensor>& inputs) const {
    TensorMap feed;
    for (size_t i = 0; i < inputs.size(); ++i)
      if (!inputs[i].empty()) feed["in" + std::to_string(i)] = inputs[i];
    const TensorMap result = ReferenceExecutor(graph).run(feed);
    std::vector<Tensor> outputs;
    for (Value* out : node->outputs()) outputs.push_back(result.at(out->name()));
    return outputs;
  }
};

// Infers and runs the node; checks that the inferred shape of every output equals the computed dims.
inline std::vector<Tensor> run_node(const std::string& op_type, const std::vector<Tensor>& inputs,
                                    Attributes attributes = {}, size_t output_count = 1) {
  SingleNodeGraph g(op_type, inputs, std::move(attributes), output_count);
  std::vector<Tensor> outputs = g.run(inputs);
  for (size_t i = 0; i < outputs.size(); ++i)
    EXPECT_EQ(g.node->output(i)->shape(), Shape(outputs[i].dims())) << "output " << i;
  return outputs;
}

// Shape inference only, with possibly dynamic input shapes; returns the shape of output 0.
inline Shape infer_node_shape(const std::string& op_type,
                              const std::vector<std::pair<ElementType, Shape>>& inputs,
                              Attributes attributes = {}) {
  Graph graph;
  std::vector<Value*> values;
  for (size_t i = 0; i < inputs.size(); ++i)
    values.push_back(graph.add_input("in" + std::to_string(i), inputs[i].first, inputs[i].second));
  Node* node = graph.add_node(op_type, "node", values, {"out0"}, std::move(attributes));
  graph.add_output(node->output(0));
  infer_shapes(graph);
  return node->output(0)->shape();
}

}  // namespace octet::conv_testing
