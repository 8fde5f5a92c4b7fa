// ONNX Runtime's com.microsoft QGemm: a fully connected layer on u8/i8 operands with an int32 bias.
//   inputs:     A [M,K] (or [K,M] with transA), a_scale, a_zero_point (per tensor),
//               B [K,N] (or [N,K] with transB), b_scale, b_zero_point (per tensor or one per column N),
//               C (optional i32, broadcast to [M,N]: scalar, [N], [1,N] or [M,N]; in units of
//               a_scale*b_scale), y_scale (optional), y_zero_point (optional)
//   attributes: alpha (float, 1), transA, transB (0)
//   acc[m,n] = sum_k (A'[m,k] - a_zp) * (B'[k,n] - b_zp[n]) + C[m,n]                        (int32 exact)
//   y_scale given:  Y = saturate(round_half_to_even(float(acc) * multiplier[n]) + y_zp), u8/i8 as y_zp
//                   (u8 without y_zp), multiplier = alpha * a_scale * b_scale[n] / y_scale in float;
//   otherwise:      Y = float(acc) * (alpha * a_scale * b_scale[n]), f32.
// As ONNX Runtime computes it: the bias joins the int32 accumulator before the one float scaling.
#include <string>
#include <utility>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"
#include "ops/quantization_params.h"

namespace octet {

namespace {

constexpr size_t kA = 0, kAScale = 1, kAZero = 2, kB = 3, kBScale = 4, kBZero = 5, kC = 6, kYScale = 7,
                 kYZero = 8;

bool trans_a(const Node& node) {
  return node.attribute_or<int64_t>("transA", 0) != 0;
}
bool trans_b(const Node& node) {
  return node.attribute_or<int64_t>("transB", 0) != 0;
}

// The output type: quantized when y_scale is given, f32 otherwise.
ElementType qgemm_output_type(const Node& node) {
  if (!node.has_input(kYScale)) {
    OCTET_CHECK(!node.has_input(kYZero), ErrorCode::kInvalidModel, node.label(),
                ": y_zero_point is given without y_scale");
    return ElementType::kF32;
  }
  return quantized_type_from_zero_point(node, kYZero, ElementType::kU8);
}

void infer_qgemm(Node& node) {
  for (size_t required : {kA, kAScale, kB, kBScale})
    OCTET_CHECK(node.has_input(required), ErrorCode::kInvalidModel, node.label(), ": required input ",
                required, " is missing");
  expect_input_type(node, kA, {ElementType::kU8, ElementType::kI8});
  expect_input_type(node, kB, {ElementType::kU8, ElementType::kI8});
  const Shape& a = input_shape(node, kA);
  const Shape& b = input_shape(node, kB);
  for (const auto& [shape, name] : {std::pair{&a, "A"}, std::pair{&b, "B"}})
    OCTET_CHECK(!shape->rank_known() || shape->rank() == 2, ErrorCode::kInvalidModel, node.label(), ": ",
                name, " has shape ", shape->to_string(), ", expected a matrix");
  const int64_t m = a.rank_known() ? a[trans_a(node) ? 1 : 0] : kDynamicDim;
  const int64_t ka = a.rank_known() ? a[trans_a(node) ? 0 : 1] : kDynamicDim;
  const int64_t kb = b.rank_known() ? b[trans_b(node) ? 1 : 0] : kDynamicDim;
  const int64_t n = b.rank_known() ? b[trans_b(node) ? 0 : 1] : kDynamicDim;
  OCTET_CHECK(ka == kDynamicDim || kb == kDynamicDim || ka == kb, ErrorCode::kInvalidModel, node.label(),
              ": A ", a.to_string(), " and B ", b.to_string(), " do not agree on K");
  expect_per_tensor(node, check_scale_input(node, kAScale, "a_scale"), "a_scale");
  expect_per_tensor(node, check_zero_point_input(node, kAZero, input_type(node, kA), "a_zero_point"),
                    "a_zero_point");
  expect_per_tensor_or_axis(node, check_scale_input(node, kBScale, "b_scale"), n, "b_scale",
                            "one per column N");
  expect_per_tensor_or_axis(node, check_zero_point_input(node, kBZero, input_type(node, kB), "b_zero_point"),
                            n, "b_zero_point", "one per column N");
  if (node.has_input(kC)) {
    expect_input_type(node, kC, {ElementType::kI32});
    const Shape& c = input_shape(node, kC);
    if (c.rank_known() && m != kDynamicDim && n != kDynamicDim) {
      const Shape out = broadcast_shapes(node, Shape{m, n}, c);
      OCTET_CHECK(c.rank() <= 2 && out == Shape({m, n}), ErrorCode::kInvalidModel, node.label(),
                  ": C has shape ", c.to_string(), ", which does not broadcast to [", m, ",", n, "]");
    }
  }
  const ElementType y_type = qgemm_output_type(node);
  if (node.has_input(kYScale)) {
    expect_per_tensor(node, check_scale_input(node, kYScale, "y_scale"), "y_scale");
    expect_per_tensor(node, check_zero_point_input(node, kYZero, y_type, "y_zero_point"), "y_zero_point");
  }
  set_output(node, 0, y_type, Shape{m, n});
}

// Element (row, col) of a matrix stored as [rows, cols], or transposed.
template <typename T>
int32_t element(const Tensor& t, bool transposed, int64_t row, int64_t col) {
  const int64_t cols = t.dims()[1];
  return static_cast<int32_t>(transposed ? t.data<T>()[col * cols + row] : t.data<T>()[row * cols + col]);
}

int32_t element_8bit(const Tensor& t, bool transposed, int64_t row, int64_t col) {
  return t.type() == ElementType::kU8 ? element<uint8_t>(t, transposed, row, col)
                                      : element<int8_t>(t, transposed, row, col);
}

std::vector<Tensor> evaluate_qgemm(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& a = *inputs[kA];
  const Tensor& b = *inputs[kB];
  OCTET_CHECK(a.rank() == 2 && b.rank() == 2, ErrorCode::kInvalidModel, node.label(), ": A ", a.description(),
              " and B ", b.description(), " must be matrices");
  const bool ta = trans_a(node), tb = trans_b(node);
  const int64_t m = a.dims()[ta ? 1 : 0], k = a.dims()[ta ? 0 : 1];
  const int64_t n = b.dims()[tb ? 0 : 1];
  OCTET_CHECK(b.dims()[tb ? 1 : 0] == k, ErrorCode::kInvalidModel, node.label(), ": A ", a.description(),
              " and B ", b.description(), " do not agree on K");
  const std::vector<float> a_scale = scale_values(node, *inputs[kAScale], "a_scale");
  const std::vector<float> b_scale = scale_values(node, *inputs[kBScale], "b_scale");
  const std::vector<int32_t> a_zero = zero_point_values(node, optional_input(inputs, kAZero), "a_zero_point");
  const std::vector<int32_t> b_zero = zero_point_values(node, optional_input(inputs, kBZero), "b_zero_point");
  expect_per_tensor(node, static_cast<int64_t>(a_scale.size()), "a_scale");
  expect_per_tensor(node, static_cast<int64_t>(a_zero.size()), "a_zero_point");
  expect_per_tensor_or_axis(node, static_cast<int64_t>(b_scale.size()), n, "b_scale", "one per column N");
  expect_per_tensor_or_axis(node, static_cast<int64_t>(b_zero.size()), n, "b_zero_point", "one per column N");
  std::vector<int64_t> c_index;
  const Tensor* c = optional_input(inputs, kC);
  if (c) {
    OCTET_CHECK(c->type() == ElementType::kI32 && c->rank() <= 2 &&
                    broadcast_dims(node, Dims{m, n}, c->dims()) == Dims({m, n}),
                ErrorCode::kInvalidModel, node.label(), ": C is ", c->description(),
                ", expected i32 broadcasting to [", m, ",", n, "]");
    c_index = broadcast_index_map({m, n}, c->dims());
  }
  const float alpha = node.attribute_or<float>("alpha", 1.0f);
  const Tensor* y_scale_tensor = optional_input(inputs, kYScale);
  std::vector<float> multipliers;
  float y_scale = 1.0f;
  if (y_scale_tensor) {
    const std::vector<float> y = scale_values(node, *y_scale_tensor, "y_scale");
    expect_per_tensor(node, static_cast<int64_t>(y.size()), "y_scale");
    y_scale = y[0];
  }
  for (float s : b_scale) multipliers.push_back(alpha * a_scale[0] * s / y_scale);
  const Tensor* y_zero_tensor = optional_input(inputs, kYZero);
  const ElementType y_type = !y_scale_tensor ? ElementType::kF32
                             : y_zero_tensor ? y_zero_tensor->type()
                                             : ElementType::kU8;
  const int32_t y_zero = y_zero_tensor ? zero_point_values(node, y_zero_tensor, "y_zero_point").at(0) : 0;
  Tensor y(y_type, {m, n});
  for (int64_t row = 0; row < m; ++row) {
    for (int64_t col = 0; col < n; ++col) {
      int64_t acc = 0;
      const int32_t bz = param_at(b_zero, col);
      for (int64_t i = 0; i < k; ++i)
        acc += static_cast<int64_t>(element_8bit(a, ta, row, i) - a_zero[0]) *
               (element_8bit(b, tb, i, col) - bz);
      if (c) acc += c->data<int32_t>()[c_index[static_cast<size_t>(row * n + col)]];
      const float multiplier = param_at(multipliers, col);
      const int64_t at = row * n + col;
      switch (y_type) {
        case ElementType::kF32:
          y.data<float>()[at] = static_cast<float>(acc) * multiplier;
          break;
        case ElementType::kU8:
          y.data<uint8_t>()[at] = requantize<uint8_t>(acc, multiplier, y_zero);
          break;
        default:
          y.data<int8_t>()[at] = requantize<int8_t>(acc, multiplier, y_zero);
          break;
      }
    }
  }
  return {y};
}

}  // namespace

void register_qgemm_op(OpRegistry& registry) {
  registry.add({"QGemm", 5, 9, 1, 1, infer_qgemm, evaluate_qgemm});
}

}  // namespace octet
