// Test helpers for the elementwise and shape op tests: build a one-node graph through the Graph API, run
// infer_shapes and the ReferenceExecutor, and compare tensors against pasted expected values.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/tensor.h"
#include "graph/graph.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"

namespace octet::testing {

// --- tensor factories ---
template <typename T>
Tensor make(Dims dims, std::vector<T> values) {
  return Tensor::from_vector<T>(std::move(dims), values);
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

// --- one-node graphs ---
// An input of the node: fed at run time (a graph input of the tensor's dims, or of `declared` shape), a
// constant, or omitted.
struct OpInput {
  Tensor tensor;
  bool constant = false;
  std::optional<Shape> declared;  // graph input shape, when it must differ from the tensor's dims
  bool omitted = false;
};
inline OpInput fed(Tensor t) {
  return {std::move(t), false, std::nullopt, false};
}
inline OpInput fed_as(Tensor t, Shape declared) {
  return {std::move(t), false, std::move(declared), false};
}
inline OpInput constant(Tensor t) {
  return {std::move(t), true, std::nullopt, false};
}
inline OpInput omitted() {
  return {Tensor(), false, std::nullopt, true};
}

class SingleOp {
 public:
  SingleOp(const std::string& op_type, std::vector<OpInput> inputs, Attributes attributes = {},
           size_t output_count = 1) {
    std::vector<Value*> values;
    for (size_t i = 0; i < inputs.size(); ++i) {
      OpInput& in = inputs[i];
      const std::string name = "in" + std::to_string(i);
      if (in.omitted) {
        values.push_back(nullptr);
      } else if (in.constant) {
        values.push_back(graph_.add_constant(name, in.tensor));
      } else {
        values.push_back(
            graph_.add_input(name, in.tensor.type(), in.declared.value_or(Shape(in.tensor.dims()))));
        feeds_[name] = in.tensor;
      }
    }
    std::vector<std::string> outputs;
    for (size_t i = 0; i < output_count; ++i) outputs.push_back("out" + std::to_string(i));
    node_ = graph_.add_node(op_type, "node", values, outputs, std::move(attributes));
    for (Value* out : node_->outputs()) graph_.add_output(out);
  }

  void infer() { infer_shapes(graph_); }
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

// --- checks ---
template <typename T>
void expect_tensor(const Tensor& t, ElementType type, const Dims& dims, const std::vector<T>& expected) {
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
        EXPECT_NEAR(actual, expected[i], 1e-6f + 1e-6f * std::fabs(expected[i])) << "element " << i;
      }
    } else {
      EXPECT_EQ(t.value_as_int64(static_cast<int64_t>(i)), static_cast<int64_t>(expected[i]))
          << "element " << i;
    }
  }
}
inline void expect_f32(const Tensor& t, const Dims& dims, const std::vector<float>& v) {
  expect_tensor<float>(t, ElementType::kF32, dims, v);
}
inline void expect_i64(const Tensor& t, const Dims& dims, const std::vector<int64_t>& v) {
  expect_tensor<int64_t>(t, ElementType::kI64, dims, v);
}
inline void expect_bool(const Tensor& t, const Dims& dims, const std::vector<int>& v) {
  expect_tensor<int>(t, ElementType::kBool, dims, v);
}

// Runs f and checks that it throws octet::Error with the code and a message containing `fragment`.
template <typename F>
void expect_error(F&& f, ErrorCode code, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace octet::testing
