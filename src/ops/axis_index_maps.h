// Slice and Pad (any mode) read, for every output element, one input element chosen axis by axis: output
// index k along axis a reads input index map[a][k] along that axis (or the fill value, Pad's constant, when
// it is -1). Fast kernels copy with these per-axis maps instead of one offset per element; the reference
// executor computes the same thing element by element on its own (ops/shape_ops_slice.cpp,
// shape_ops_pad.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "graph/graph.h"

namespace octet {

struct AxisIndexMaps {
  Dims out_dims;
  std::vector<std::vector<int64_t>> source_index;  // per axis, per output index: input index or -1 (fill)
};

// The maps of a Slice whose starts, ends, axes and steps are constants, for an input of `in_dims` (static);
// nullopt when a parameter is not a constant. Throws kInvalidModel on invalid parameters, like the reference.
std::optional<AxisIndexMaps> slice_index_maps(const Node& node, const Dims& in_dims);

// The maps of a Pad whose pads and axes are constants; nullopt otherwise. Constant mode uses -1 for the
// padding; edge and reflect map every output index to an input index.
std::optional<AxisIndexMaps> pad_index_maps(const Node& node, const Dims& in_dims);

}  // namespace octet
