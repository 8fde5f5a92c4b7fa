// Small helpers shared by the op families' shape inference and reference evaluation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "graph/graph.h"
#include "octet/error.h"
#include "octet/tensor.h"

namespace octet {

// --- shape inference ---
void set_output(Node& node, size_t index, ElementType type, Shape shape);
// The constant tensor of input i, or nullptr if the input is absent or not a constant.
const Tensor* constant_input(const Node& node, size_t index);
// Input i's type; throws kInvalidModel naming the node if the input is absent.
ElementType input_type(const Node& node, size_t index);
const Shape& input_shape(const Node& node, size_t index);
// Throws kInvalidModel naming the node unless input i has one of the given types.
void expect_input_type(const Node& node, size_t index, std::span<const ElementType> allowed);
inline void expect_input_type(const Node& node, size_t index, std::initializer_list<ElementType> allowed) {
  expect_input_type(node, index, std::span<const ElementType>(allowed.begin(), allowed.size()));
}
// The output of an op whose rank is the length of a 1-D shape input known only by its shape (Reshape,
// ConstantOfShape, ...): `rank` dynamic dims. The length comes from the file, so it is checked first (0 to
// kMaxRank; oneDNN's own limit is 12), else kInvalidModel naming the node.
constexpr int64_t kMaxRank = 64;
Shape dynamic_shape_of_rank(const Node& node, int64_t rank);
// Maps a possibly negative axis into [0, rank); throws kInvalidModel naming the node if out of range.
int64_t normalize_axis(const Node& node, int64_t axis, int64_t rank);
// Numpy-style broadcast of two shapes (dynamic dims allowed); throws naming the node if incompatible.
Shape broadcast_shapes(const Node& node, const Shape& a, const Shape& b);
Dims broadcast_dims(const Node& node, const Dims& a, const Dims& b);

// --- reference evaluation ---
// Row-major strides of dims (in elements).
Dims strides_of(const Dims& dims);
// For every element of `out_dims`, the flat index of the element it reads in a tensor of `in_dims` broadcast
// to out_dims (numpy rules; in_dims is right-aligned).
std::vector<int64_t> broadcast_index_map(const Dims& out_dims, const Dims& in_dims);
// A tensor converted to another element type (float->int rounds toward zero and saturates as static_cast
// would not: values are clamped to the target range first; used by Cast-like paths in the reference).
Tensor convert_tensor(const Tensor& tensor, ElementType type);

// Calls f(T{}) with T the C++ type of `type` among the numeric types (float, int8_t, uint8_t, int32_t,
// int64_t; bool as uint8_t); throws kUnsupported naming the node for other types.
template <typename F>
decltype(auto) dispatch_numeric(const Node& node, ElementType type, F&& f) {
  switch (type) {
    case ElementType::kF32:
      return f(float{});
    case ElementType::kI8:
      return f(int8_t{});
    case ElementType::kU8:
      return f(uint8_t{});
    case ElementType::kI32:
      return f(int32_t{});
    case ElementType::kI64:
      return f(int64_t{});
    case ElementType::kBool:
      return f(uint8_t{});
    default:
      break;
  }
  fail(ErrorCode::kUnsupported, node.label(), ": element type ", to_string(type), " is not supported");
}

}  // namespace octet
