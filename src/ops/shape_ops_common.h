// Pieces shared by the shape op files (shape_ops_*.cpp): reading integer-list inputs, walking coordinates,
// and the one data-movement primitive they all use: copy element source[i] of the input to element i of the
// output, whatever the element type (whole elements of size_of(type) bytes, no conversions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {

// Registration functions of the shape op files, called by register_shape_ops (shape_ops.cpp).
void register_reshape_ops(OpRegistry& registry);       // Reshape, Flatten, Squeeze, Unsqueeze
void register_layout_ops(OpRegistry& registry);        // Transpose, Expand, Tile, DepthToSpace, SpaceToDepth
void register_slice_ops(OpRegistry& registry);         // Slice, Split, Concat
void register_pad_op(OpRegistry& registry);            // Pad
void register_gather_ops(OpRegistry& registry);        // Gather, GatherElements
void register_shape_source_ops(OpRegistry& registry);  // Shape, Size, ConstantOfShape, Range

// The values of an integer tensor (i32 or i64) as int64; throws kInvalidModel naming the node and `what`
// otherwise.
std::vector<int64_t> int_values(const Node& node, const Tensor& tensor, std::string_view what);
// The values of constant input i, or nullopt if the input is absent or not a constant.
std::optional<std::vector<int64_t>> constant_int_values(const Node& node, size_t index,
                                                        std::string_view what);
// Normalizes a list of possibly negative axes for a tensor of `rank` and rejects duplicates (kInvalidModel).
std::vector<int64_t> normalize_axes(const Node& node, const std::vector<int64_t>& axes, int64_t rank);
// Product of dims, or kDynamicDim if any of them is dynamic.
int64_t product_or_dynamic(const Dims& dims, size_t begin, size_t end);

// Output element i is input element source[i]; an element whose source is negative is set to `fill` (one
// element's bytes), or left zero if fill is null.
Tensor copy_elements(const Tensor& input, const Dims& out_dims, const std::vector<int64_t>& source,
                     const std::byte* fill = nullptr);

// Calls f(coordinates) for every coordinate of `dims` in row-major order.
template <typename F>
void for_each_coordinate(const Dims& dims, F&& f) {
  const int64_t count = element_count(dims);
  Dims coords(dims.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    f(static_cast<const Dims&>(coords));
    for (size_t axis = dims.size(); axis-- > 0;) {
      if (++coords[axis] < dims[axis]) break;
      coords[axis] = 0;
    }
  }
}

// Flat row-major offset of coordinates with the given strides.
inline int64_t flat_offset(const Dims& coords, const Dims& strides) {
  int64_t offset = 0;
  for (size_t i = 0; i < coords.size(); ++i) offset += coords[i] * strides[i];
  return offset;
}

}  // namespace octet
