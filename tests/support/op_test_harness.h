// The one harness for single-op tests (tests/ops/*): tensor factories, node-input descriptions, a one-node
// graph that runs infer_shapes + the ReferenceExecutor and checks every output against what inference
// predicted, output comparisons (exact for integers, near with explicit tolerances for floats) and error
// expectations.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "graph/graph.h"
#include "octet/error.h"
#include "octet/tensor.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"

namespace octet::test {

// --- tensor factories ---
template <typename T>
Tensor make(Dims dims, std::vector<T> values) {
  return Tensor::from_vector<T>(std::move(dims), std::span<const T>(values));
}
template <typename T>
Tensor scalar(T value) {
  return Tensor::scalar<T>(value);
}
inline Tensor f32(Dims dims, std::vector<float> v) {
  return make<float>(std::move(dims), std::move(v));
}
inline Tensor i64(Dims dims, std::vector<int64_t> v) {
  return make<int64_t>(std::move(dims), std::move(v));
}
inline Tensor i32(Dims dims, std::vector<int32_t> v) {
  return make<int32_t>(std::move(dims), std::move(v));
}
inline Tensor i8(Dims dims, std::vector<int8_t> v) {
  return make<int8_t>(std::move(dims), std::move(v));
}
inline Tensor u8(Dims dims, std::vector<uint8_t> v) {
  return make<uint8_t>(std::move(dims), std::move(v));
}
inline Tensor boolean(Dims dims, std::vector<int> v) {
  Tensor t(ElementType::kBool, std::move(dims));
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.element_count());
  for (size_t i = 0; i < v.size() && static_cast<int64_t>(i) < t.element_count(); ++i)
    t.data<uint8_t>()[i] = v[i] != 0;
  return t;
}
inline Tensor f16(Dims dims, std::vector<float> v) {
  Tensor t(ElementType::kF16, std::move(dims));
  for (size_t i = 0; i < v.size(); ++i) t.data<Float16>()[i] = Float16(v[i]);
  return t;
}
// 0, 1, 2, ... as f32.
inline Tensor iota_f32(Dims dims) {
  Tensor t(ElementType::kF32, std::move(dims));
  for (int64_t i = 0; i < t.element_count(); ++i) t.data<float>()[i] = static_cast<float>(i);
  return t;
}
// Small integers in [-modulus/2, modulus/2]: x[i] = (i * multiplier) % modulus - modulus / 2. The Python
// oracles of the convolution / matmul / pooling tests build the same sequence, so sums of products stay exact
// in float.
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

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  const auto v = t.values<T>();
  return std::vector<T>(v.begin(), v.end());
}

// --- node inputs ---
// An input of the node under test: fed at run time (a graph input declared with the tensor's dims, or with
// another `declared` shape), a constant, or omitted. declared(type, shape) is a graph input known only by
// type and (partial) shape, for tests that stop after shape inference.
struct OpInput {
  enum class Kind { kFed, kConstant, kOmitted } kind = Kind::kOmitted;
  Tensor tensor;
  ElementType type = ElementType::kUndefined;
  Shape shape;
};
inline OpInput fed(Tensor t) {
  const ElementType type = t.type();
  Shape shape(t.dims());
  return {OpInput::Kind::kFed, std::move(t), type, std::move(shape)};
}
inline OpInput fed_as(Tensor t, Shape declared) {
  const ElementType type = t.type();
  return {OpInput::Kind::kFed, std::move(t), type, std::move(declared)};
}
inline OpInput declared(ElementType type, Shape shape) {
  return {OpInput::Kind::kFed, Tensor(), type, std::move(shape)};
}
inline OpInput constant(Tensor t) {
  const ElementType type = t.type();
  Shape shape(t.dims());
  return {OpInput::Kind::kConstant, std::move(t), type, std::move(shape)};
}
inline OpInput omitted() {
  return {};
}
// Inputs from plain tensors, an empty Tensor meaning omitted: all fed at run time, or input 0 fed and the
// rest constants (the usual shape of a quantized op: data, then scales and zero points).
inline std::vector<OpInput> all_fed(const std::vector<Tensor>& tensors) {
  std::vector<OpInput> inputs;
  for (const Tensor& t : tensors) inputs.push_back(t.empty() ? omitted() : fed(t));
  return inputs;
}
inline std::vector<OpInput> fed_then_constants(const std::vector<Tensor>& tensors) {
  std::vector<OpInput> inputs;
  for (size_t i = 0; i < tensors.size(); ++i)
    inputs.push_back(tensors[i].empty() ? omitted() : i == 0 ? fed(tensors[i]) : constant(tensors[i]));
  return inputs;
}

// --- one-node graphs ---
constexpr const char* kNodeName = "node";

// A graph with one node named kNodeName whose inputs are "in<i>" and outputs "out<i>".
class SingleOp {
 public:
  SingleOp(const std::string& op_type, std::vector<OpInput> inputs, Attributes attributes = {},
           size_t output_count = 1) {
    std::vector<Value*> values;
    for (size_t i = 0; i < inputs.size(); ++i) {
      OpInput& in = inputs[i];
      const std::string name = "in" + std::to_string(i);
      switch (in.kind) {
        case OpInput::Kind::kFed:
          values.push_back(graph_.add_input(name, in.type, in.shape));
          if (!in.tensor.empty()) feeds_[name] = in.tensor;
          break;
        case OpInput::Kind::kConstant:
          values.push_back(graph_.add_constant(name, in.tensor));
          break;
        case OpInput::Kind::kOmitted:
          values.push_back(nullptr);
          break;
      }
    }
    std::vector<std::string> outputs;
    for (size_t i = 0; i < output_count; ++i) outputs.push_back("out" + std::to_string(i));
    node_ = graph_.add_node(op_type, kNodeName, values, outputs, std::move(attributes));
    for (Value* out : node_->outputs()) graph_.add_output(out);
  }

  // Runs shape inference (which throws for a bad node).
  void infer() { infer_shapes(graph_); }
  Node* node() const { return node_; }
  const Shape& shape(size_t i = 0) const { return node_->output(i)->shape(); }
  ElementType type(size_t i = 0) const { return node_->output(i)->type(); }

  // Infers, runs, and checks that each output agrees with its inferred type and shape.
  std::vector<Tensor> run() {
    infer();
    const TensorMap results = ReferenceExecutor(graph_).run(feeds_);
    std::vector<Tensor> out;
    for (size_t i = 0; i < node_->output_count(); ++i) {
      const Tensor& t = results.at("out" + std::to_string(i));
      EXPECT_EQ(t.type(), type(i)) << "output " << i;
      EXPECT_TRUE(shape(i).accepts(t.dims()))
          << "output " << i << " " << t.description() << " vs inferred " << shape(i).to_string();
      out.push_back(t);
    }
    return out;
  }
  Tensor run1() { return run().at(0); }

 private:
  Graph graph_;
  Node* node_ = nullptr;
  TensorMap feeds_;
};

// Shorthands over SingleOp.
inline std::unique_ptr<SingleOp> build_op(const std::string& op_type, std::vector<OpInput> inputs,
                                          Attributes attributes = {}, size_t output_count = 1) {
  auto op = std::make_unique<SingleOp>(op_type, std::move(inputs), std::move(attributes), output_count);
  op->infer();
  return op;
}
inline std::vector<Tensor> run_op(const std::string& op_type, std::vector<OpInput> inputs,
                                  Attributes attributes = {}, size_t output_count = 1) {
  return SingleOp(op_type, std::move(inputs), std::move(attributes), output_count).run();
}
inline Tensor run_single(const std::string& op_type, std::vector<OpInput> inputs,
                         Attributes attributes = {}) {
  return run_op(op_type, std::move(inputs), std::move(attributes), 1).at(0);
}
// Shape inference only; the shape of output 0.
inline Shape infer_output_shape(const std::string& op_type, std::vector<OpInput> inputs,
                                Attributes attributes = {}) {
  return build_op(op_type, std::move(inputs), std::move(attributes))->shape(0);
}

// --- checks ---
// A float element passes when |actual - expected| <= abs + rel * max(|expected|, rel_floor).
struct Tolerance {
  float abs = 0.0f;
  float rel = 0.0f;
  float rel_floor = 0.0f;
  float bound(float expected) const { return abs + rel * std::max(std::fabs(expected), rel_floor); }
};
// The default of expect_f32: 1e-6 absolute plus 1e-6 relative.
inline constexpr Tolerance kTightTolerance{1e-6f, 1e-6f, 0.0f};
// `tolerance` absolute below magnitude 1, relative above.
inline Tolerance scaled_tolerance(float tolerance) {
  return {0.0f, tolerance, 1.0f};
}

// Checks type, dims and every element: integers (and bool) exactly, floats within `tolerance`, with NaN
// matching NaN and infinities compared exactly.
template <typename T>
void expect_tensor(const Tensor& t, ElementType type, const Dims& dims, const std::vector<T>& expected,
                   Tolerance tolerance = kTightTolerance) {
  ASSERT_EQ(t.type(), type) << t.description();
  ASSERT_EQ(t.dims(), dims) << t.description();
  ASSERT_EQ(static_cast<size_t>(t.element_count()), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    if constexpr (std::is_same_v<T, float>) {
      const float actual = t.data<float>()[i];
      if (std::isnan(expected[i])) {
        EXPECT_TRUE(std::isnan(actual)) << "element " << i;
      } else if (std::isinf(expected[i])) {
        EXPECT_EQ(actual, expected[i]) << "element " << i;
      } else {
        EXPECT_NEAR(actual, expected[i], tolerance.bound(expected[i])) << "element " << i;
      }
    } else {
      EXPECT_EQ(t.value_as_int64(static_cast<int64_t>(i)), static_cast<int64_t>(expected[i]))
          << "element " << i;
    }
  }
}
inline void expect_f32(const Tensor& t, const Dims& dims, const std::vector<float>& v,
                       Tolerance tolerance = kTightTolerance) {
  expect_tensor<float>(t, ElementType::kF32, dims, v, tolerance);
}
inline void expect_i64(const Tensor& t, const Dims& dims, const std::vector<int64_t>& v) {
  expect_tensor<int64_t>(t, ElementType::kI64, dims, v);
}
inline void expect_bool(const Tensor& t, const Dims& dims, const std::vector<int>& v) {
  expect_tensor<int>(t, ElementType::kBool, dims, v);
}

// Runs f and checks that it throws octet::Error with `code`, naming the node under test ('node') and
// containing `fragment`.
template <typename F>
void expect_error(F&& f, ErrorCode code, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), code) << what;
    EXPECT_NE(what.find(std::string("'") + kNodeName + "'"), std::string::npos) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
  }
}

}  // namespace octet::test
