#include "ops/quantization_params.h"

#include <cmath>

#include "octet/error.h"
#include "ops/op_helpers.h"

namespace octet {

namespace {

// Element count of a rank-0/1 parameter input, or kDynamicDim if its shape is not known.
int64_t parameter_count(const Node& node, size_t index, std::string_view what) {
  const Shape& shape = input_shape(node, index);
  if (!shape.rank_known()) return kDynamicDim;
  // Later opsets allow more (blocked quantization, QLinearMatMul's [D1, D2, 1, N] per batch and column):
  // valid models that Octet does not handle.
  OCTET_CHECK(shape.rank() <= 1, ErrorCode::kUnsupported, node.label(), ": ", what, " of shape ",
              shape.to_string(), " is not supported, only a scalar or 1-d tensor");
  return shape.rank() == 0 ? 1 : shape[0];
}

}  // namespace

int64_t check_scale_input(const Node& node, size_t index, std::string_view what) {
  OCTET_CHECK(input_type(node, index) == ElementType::kF32, ErrorCode::kInvalidModel, node.label(), ": ",
              what, " has type ", to_string(input_type(node, index)), ", expected f32");
  if (const Tensor* constant = constant_input(node, index)) scale_values(node, *constant, what);
  return parameter_count(node, index, what);
}

int64_t check_zero_point_input(const Node& node, size_t index, ElementType expected, std::string_view what) {
  if (!node.has_input(index)) return 1;
  const ElementType type = input_type(node, index);
  OCTET_CHECK(type == expected, ErrorCode::kInvalidModel, node.label(), ": ", what, " has type ",
              to_string(type), ", expected ", to_string(expected), " (the type of the tensor it describes)");
  return parameter_count(node, index, what);
}

ElementType quantized_type_from_zero_point(const Node& node, size_t index, ElementType fallback) {
  if (!node.has_input(index)) return fallback;
  const ElementType type = input_type(node, index);
  OCTET_CHECK(type == ElementType::kU8 || type == ElementType::kI8, ErrorCode::kInvalidModel, node.label(),
              ": zero point input ", index, " has type ", to_string(type), ", expected u8 or i8");
  return type;
}

void expect_per_tensor(const Node& node, int64_t count, std::string_view what) {
  OCTET_CHECK(count == 1 || count == kDynamicDim, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " must have one element (per-tensor quantization), got ", count);
}

void expect_per_tensor_or_axis(const Node& node, int64_t count, int64_t channels, std::string_view what,
                               std::string_view along) {
  OCTET_CHECK(count == 1 || count == kDynamicDim || channels == kDynamicDim || count == channels,
              ErrorCode::kInvalidModel, node.label(), ": ", what, " has ", count, " elements, expected 1 or ",
              channels, " (", along, ")");
}

int64_t dim_or_dynamic(const Shape& shape, int64_t axis) {
  if (!shape.rank_known() || shape.rank() == 0) return kDynamicDim;
  const int64_t rank = static_cast<int64_t>(shape.rank());
  const int64_t i = axis < 0 ? axis + rank : axis;
  return i >= 0 && i < rank ? shape[static_cast<size_t>(i)] : kDynamicDim;
}

std::vector<float> scale_values(const Node& node, const Tensor& scale, std::string_view what) {
  OCTET_CHECK(scale.type() == ElementType::kF32, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " has type ", to_string(scale.type()), ", expected f32");
  OCTET_CHECK(scale.element_count() >= 1, ErrorCode::kInvalidModel, node.label(), ": ", what, " is empty");
  std::vector<float> values(scale.values<float>().begin(), scale.values<float>().end());
  for (size_t i = 0; i < values.size(); ++i)
    OCTET_CHECK(std::isfinite(values[i]) && values[i] > 0.0f, ErrorCode::kInvalidModel, node.label(), ": ",
                what, "[", i, "] is ", values[i], ", a scale must be positive and finite");
  return values;
}

std::vector<int32_t> zero_point_values(const Node& node, const Tensor* zero_point, std::string_view what) {
  if (!zero_point) return {0};
  OCTET_CHECK(zero_point->element_count() >= 1, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " is empty");
  std::vector<int32_t> values(static_cast<size_t>(zero_point->element_count()));
  for (int64_t i = 0; i < zero_point->element_count(); ++i)
    values[static_cast<size_t>(i)] = static_cast<int32_t>(zero_point->value_as_int64(i));
  return values;
}

AxisIndexer::AxisIndexer(const Dims& dims, int64_t axis) {
  axis_dim = dims.at(static_cast<size_t>(axis));
  for (size_t i = static_cast<size_t>(axis) + 1; i < dims.size(); ++i) inner *= dims[i];
}

}  // namespace octet
