// Test harness for single-op graphs (used by the normalization, reduction and resize tests): builds a graph
// with one node whose inputs are graph inputs, constants or omitted, runs shape inference and the reference
// executor.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "graph/graph.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"

namespace octet::op_test {

// One input of the node under test. A runtime input is declared with `shape` (its tensor's dims by default).
struct OpInput {
  enum class Kind { kRuntime, kConstant, kAbsent } kind = Kind::kAbsent;
  Tensor tensor;
  ElementType type = ElementType::kUndefined;
  Shape shape;
};

inline OpInput runtime(Tensor t) {
  return {OpInput::Kind::kRuntime, t, t.type(), Shape(t.dims())};
}
inline OpInput constant(Tensor t) {
  return {OpInput::Kind::kConstant, t, t.type(), Shape(t.dims())};
}
inline OpInput absent() {
  return {};
}
// A runtime input known only by type and (partial) shape, for shape inference tests.
inline OpInput declared(ElementType type, Shape shape) {
  return {OpInput::Kind::kRuntime, {}, type, shape};
}

inline Tensor f32(Dims dims, std::vector<float> values) {
  return Tensor::from_vector<float>(dims, values);
}
inline Tensor i64(Dims dims, std::vector<int64_t> values) {
  return Tensor::from_vector<int64_t>(dims, values);
}
inline Tensor i32(Dims dims, std::vector<int32_t> values) {
  return Tensor::from_vector<int32_t>(dims, values);
}

struct SingleOpGraph {
  Graph graph;
  Node* node = nullptr;
};

constexpr const char* kNodeName = "node_under_test";

// Builds the graph and runs shape inference (which throws for a bad node).
inline SingleOpGraph build_op(const std::string& op, const std::vector<OpInput>& inputs,
                              Attributes attributes = {}, size_t output_count = 1) {
  SingleOpGraph g;
  std::vector<Value*> values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const OpInput& in = inputs[i];
    const std::string name = "in" + std::to_string(i);
    switch (in.kind) {
      case OpInput::Kind::kRuntime:
        values.push_back(g.graph.add_input(name, in.type, in.shape));
        break;
      case OpInput::Kind::kConstant:
        values.push_back(g.graph.add_constant(name, in.tensor));
        break;
      case OpInput::Kind::kAbsent:
        values.push_back(nullptr);
        break;
    }
  }
  std::vector<std::string> outputs;
  for (size_t i = 0; i < output_count; ++i) outputs.push_back("out" + std::to_string(i));
  g.node = g.graph.add_node(op, kNodeName, values, outputs, std::move(attributes));
  for (Value* out : g.node->outputs()) g.graph.add_output(out);
  infer_shapes(g.graph);
  return g;
}

// Builds, infers and runs the op; returns its outputs in order.
inline std::vector<Tensor> run_op(const std::string& op, const std::vector<OpInput>& inputs,
                                  Attributes attributes = {}, size_t output_count = 1) {
  SingleOpGraph g = build_op(op, inputs, std::move(attributes), output_count);
  TensorMap feeds;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].kind == OpInput::Kind::kRuntime) feeds["in" + std::to_string(i)] = inputs[i].tensor;
  TensorMap results = ReferenceExecutor(g.graph).run(feeds);
  std::vector<Tensor> out;
  for (Value* v : g.node->outputs()) {
    const Tensor& t = results.at(v->name());
    // The inferred shape must admit what the evaluation produced.
    EXPECT_TRUE(v->shape().accepts(t.dims())) << v->shape().to_string() << " vs " << to_string(t.dims());
    EXPECT_EQ(v->type(), t.type());
    out.push_back(t);
  }
  return out;
}

inline Tensor run_single(const std::string& op, const std::vector<OpInput>& inputs,
                         Attributes attributes = {}) {
  return run_op(op, inputs, std::move(attributes), 1).at(0);
}

inline void expect_f32_near(const Tensor& actual, const Dims& dims, const std::vector<float>& expected,
                            float tolerance = 1e-5f) {
  ASSERT_EQ(actual.type(), ElementType::kF32);
  ASSERT_EQ(actual.dims(), dims);
  ASSERT_EQ(actual.element_count(), static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual.data<float>()[i], expected[i], tolerance * std::max(1.0f, std::abs(expected[i])))
        << "at flat index " << i;
}

template <typename T>
void expect_values(const Tensor& actual, const Dims& dims, const std::vector<T>& expected) {
  ASSERT_EQ(actual.dims(), dims);
  const auto values = actual.values<T>();
  EXPECT_EQ(std::vector<T>(values.begin(), values.end()), expected);
}

// Expects an octet::Error with `code` whose message names the node under test and contains `fragment`.
template <typename F>
void expect_error(F&& f, ErrorCode code, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(kNodeName), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace octet::op_test
