// Helpers for the quantization op tests: run one node through shape inference and the reference executor.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "graph/graph.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"

namespace octet::quant_testing {

template <typename T>
Tensor make(Dims dims, std::vector<T> values) {
  return Tensor::from_vector<T>(std::move(dims), std::span<const T>(values));
}
template <typename T>
Tensor scalar(T value) {
  return Tensor::scalar<T>(value);
}

// A graph with one node named "node": input 0 is a graph input "x", the others are constants (an empty Tensor
// omits that optional input). Shape inference runs when the graph is built.
struct SingleNodeGraph {
  Graph graph;
  Node* node = nullptr;
  Tensor x;

  SingleNodeGraph(const std::string& op, const std::vector<Tensor>& inputs, Attributes attributes = {},
                  size_t outputs = 1) {
    std::vector<Value*> values;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].empty()) {
        values.push_back(nullptr);
      } else if (i == 0) {
        x = inputs[0];
        values.push_back(graph.add_input("x", inputs[0].type(), Shape(inputs[0].dims())));
      } else {
        values.push_back(graph.add_constant("in" + std::to_string(i), inputs[i]));
      }
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < outputs; ++i) names.push_back("y" + std::to_string(i));
    node = graph.add_node(op, "node", values, names, std::move(attributes));
    for (Value* out : node->outputs()) graph.add_output(out);
    infer_shapes(graph);
  }

  // Runs the reference executor and checks every output against its inferred type and shape.
  std::vector<Tensor> run() const {
    const TensorMap results = ReferenceExecutor(graph).run({{"x", x}});
    std::vector<Tensor> out;
    for (const Value* v : node->outputs()) {
      const Tensor& t = results.at(v->name());
      EXPECT_EQ(t.type(), v->type()) << v->name();
      EXPECT_TRUE(v->shape().accepts(t.dims()))
          << v->name() << ": inferred " << v->shape().to_string() << ", got " << to_string(t.dims());
      out.push_back(t);
    }
    return out;
  }
};

inline Tensor run_node(const std::string& op, const std::vector<Tensor>& inputs, Attributes attributes = {}) {
  return SingleNodeGraph(op, inputs, std::move(attributes)).run().at(0);
}

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  return std::vector<T>(t.values<T>().begin(), t.values<T>().end());
}

// Expects `f` to throw an octet::Error with `code` whose message names the node and contains `text`.
inline void expect_error(const std::function<void()>& f, ErrorCode code, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "no error thrown; expected one containing '" << text << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    const std::string what = e.what();
    EXPECT_NE(what.find("'node'"), std::string::npos) << what;
    EXPECT_NE(what.find(text), std::string::npos) << what;
  }
}

}  // namespace octet::quant_testing
