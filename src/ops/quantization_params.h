// Checks and reads the scale and zero-point inputs that every quantized op takes, so that each op states only
// which of its inputs are per tensor and which may be per axis.
//
// A scale is an f32 tensor of rank 0 or 1 whose values must be positive and finite; a zero point is an
// optional 8-bit (or i32) tensor whose element type is tied to the tensor it describes. "Per tensor" means
// one element (shape [] or [1]); "per axis" means a 1-d tensor with one element per index along an axis.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"

namespace octet {

// --- shape inference ---
// Checks that input `index` (named `what` in messages, e.g. "x_scale") is an f32 tensor of rank 0 or 1 and,
// if it is a constant, that its values are positive and finite. Returns its element count, or kDynamicDim
// when that is not known yet.
int64_t check_scale_input(const Node& node, size_t index, std::string_view what);
// Checks that the optional zero point at `index` has type `expected` (the type of the tensor it describes)
// and rank 0 or 1. Returns its element count (1 when absent), or kDynamicDim when not known.
int64_t check_zero_point_input(const Node& node, size_t index, ElementType expected, std::string_view what);
// The type of the optional zero point at `index` (which must be u8 or i8), or `fallback` when it is absent.
ElementType quantized_type_from_zero_point(const Node& node, size_t index, ElementType fallback);
// Throws kInvalidModel unless `count` (from the checks above) may be 1.
void expect_per_tensor(const Node& node, int64_t count, std::string_view what);
// Throws kInvalidModel unless `count` may be 1 or `channels` (`along` names the axis in the message).
// Either count may be kDynamicDim (unknown), which passes.
void expect_per_tensor_or_axis(const Node& node, int64_t count, int64_t channels, std::string_view what,
                               std::string_view along);

// Dim `axis` (negative: from the end) of a shape, or kDynamicDim if it is not known.
int64_t dim_or_dynamic(const Shape& shape, int64_t axis);

// --- reference evaluation ---
// inputs[index], or nullptr when the optional input is absent or past the end.
inline const Tensor* optional_input(const std::vector<const Tensor*>& inputs, size_t index) {
  return index < inputs.size() ? inputs[index] : nullptr;
}
// The values of a scale tensor; throws kInvalidModel naming the node unless all are positive and finite.
std::vector<float> scale_values(const Node& node, const Tensor& scale, std::string_view what);
// The values of an optional zero point (a single 0 when absent) as int32.
std::vector<int32_t> zero_point_values(const Node& node, const Tensor* zero_point, std::string_view what);
// Entry `i` of a per-tensor (size 1) or per-axis parameter vector.
template <typename T>
T param_at(const std::vector<T>& values, int64_t i) {
  return values.size() == 1 ? values[0] : values[static_cast<size_t>(i)];
}

// Maps a flat row-major index to its coordinate along one axis: (flat / inner) % axis_dim.
struct AxisIndexer {
  int64_t axis_dim = 1, inner = 1;
  AxisIndexer(const Dims& dims, int64_t axis);
  int64_t operator()(int64_t flat) const { return (flat / inner) % axis_dim; }
};

}  // namespace octet
