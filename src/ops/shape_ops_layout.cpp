// Ops that move or repeat elements: Transpose, Expand, Tile, DepthToSpace, SpaceToDepth. Each evaluation
// builds the flat source index of every output element and copies whole elements (any element type).
#include <algorithm>
#include <numeric>
#include <string>

#include "ops/shape_ops_common.h"

namespace octet {
namespace {

// The permutation of a Transpose for a tensor of `rank` (default: reversed axes), validated.
std::vector<int64_t> transpose_permutation(const Node& node, size_t rank) {
  std::vector<int64_t> perm(rank);
  if (!node.has_attribute("perm")) {
    for (size_t i = 0; i < rank; ++i) perm[i] = static_cast<int64_t>(rank - 1 - i);
    return perm;
  }
  perm = node.attribute<std::vector<int64_t>>("perm");
  OCTET_CHECK(perm.size() == rank, ErrorCode::kInvalidModel, node.label(), ": perm ", to_string(perm),
              " has ", perm.size(), " entries but the input has rank ", rank);
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < rank; ++i)
    OCTET_CHECK(sorted[i] == static_cast<int64_t>(i), ErrorCode::kInvalidModel, node.label(), ": perm ",
                to_string(perm), " is not a permutation of 0..", rank - 1);
  return perm;
}

Dims permute(const Dims& dims, const std::vector<int64_t>& perm) {
  Dims out(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) out[i] = dims[static_cast<size_t>(perm[i])];
  return out;
}

void register_transpose(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Transpose";
  def.min_inputs = def.max_inputs = 1;
  def.infer = [](Node& node) {
    const Shape& in = input_shape(node, 0);
    Shape out;
    if (in.rank_known()) {
      out = permute(in.dims(), transpose_permutation(node, in.rank()));
    } else if (node.has_attribute("perm")) {
      out = Shape::dynamic(node.attribute<std::vector<int64_t>>("perm").size());
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const std::vector<int64_t> perm = transpose_permutation(node, x.rank());
    const Dims out_dims = permute(x.dims(), perm);
    // Output axis i walks input axis perm[i], so its stride in the input is that axis' stride.
    const Dims in_strides = permute(strides_of(x.dims()), perm);
    std::vector<int64_t> source;
    source.reserve(static_cast<size_t>(element_count(out_dims)));
    for_each_coordinate(out_dims, [&](const Dims& c) { source.push_back(flat_offset(c, in_strides)); });
    return std::vector<Tensor>{copy_elements(x, out_dims, source)};
  };
  registry.add(std::move(def));
}

std::vector<int64_t> non_negative_values(const Node& node, const Tensor& t, std::string_view what) {
  std::vector<int64_t> values = int_values(node, t, what);
  for (int64_t v : values)
    OCTET_CHECK(v >= 0, ErrorCode::kInvalidModel, node.label(), ": ", what, " ", to_string(values),
                " has a negative entry");
  return values;
}

// Shape-valued second input (Expand's shape, Tile's repeats): with a non-constant value, the output rank is
// still known from the input's length when that is static.
std::optional<size_t> length_of_input(const Node& node, size_t index) {
  const Shape& s = input_shape(node, index);
  if (s.is_static() && s.rank() == 1) return static_cast<size_t>(s[0]);
  return std::nullopt;
}

void register_expand(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Expand";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 1, {ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    const Tensor* shape = constant_input(node, 1);
    const std::optional<size_t> length = length_of_input(node, 1);
    Shape out;
    if (shape) {
      out = broadcast_shapes(node, in, Shape(non_negative_values(node, *shape, "shape")));
    } else if (in.rank_known() && length) {
      out = Shape::dynamic(std::max(in.rank(), *length));
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const Dims requested = non_negative_values(node, *inputs[1], "shape");
    const Dims out_dims = broadcast_dims(node, x.dims(), requested);
    return std::vector<Tensor>{copy_elements(x, out_dims, broadcast_index_map(out_dims, x.dims()))};
  };
  registry.add(std::move(def));
}

std::vector<int64_t> tile_repeats(const Node& node, const Tensor& repeats, size_t rank) {
  std::vector<int64_t> values = non_negative_values(node, repeats, "repeats");
  OCTET_CHECK(values.size() == rank, ErrorCode::kInvalidModel, node.label(), ": repeats ", to_string(values),
              " must have one entry per input axis (rank ", rank, ")");
  return values;
}

void register_tile(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Tile";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 1, {ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    const Tensor* repeats = constant_input(node, 1);
    Shape out;
    if (in.rank_known() && repeats) {
      const std::vector<int64_t> r = tile_repeats(node, *repeats, in.rank());
      Dims dims(in.rank());
      for (size_t i = 0; i < dims.size(); ++i) {
        if (in[i] == kDynamicDim) {
          dims[i] = r[i] == 0 ? 0 : kDynamicDim;
        } else {
          OCTET_CHECK(!__builtin_mul_overflow(in[i], r[i], &dims[i]), ErrorCode::kInvalidModel, node.label(),
                      ": dim ", i, " (", in[i], ") repeated ", r[i], " times does not fit in 64 bits");
        }
      }
      out = dims;
    } else if (in.rank_known()) {
      out = Shape::dynamic(in.rank());
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const std::vector<int64_t> r = tile_repeats(node, *inputs[1], x.rank());
    Dims out_dims(x.rank());
    for (size_t i = 0; i < out_dims.size(); ++i) out_dims[i] = x.dims()[i] * r[i];
    const Dims in_strides = strides_of(x.dims());
    std::vector<int64_t> source;
    for_each_coordinate(out_dims, [&](const Dims& c) {
      int64_t offset = 0;
      for (size_t i = 0; i < c.size(); ++i) offset += (c[i] % x.dims()[i]) * in_strides[i];
      source.push_back(offset);
    });
    return std::vector<Tensor>{copy_elements(x, out_dims, source)};
  };
  registry.add(std::move(def));
}

// --- DepthToSpace / SpaceToDepth (NCHW) ---

int64_t block_size(const Node& node) {
  const int64_t b = node.attribute<int64_t>("blocksize");
  // The upper bound keeps b*b far from overflow; no real model comes near it.
  OCTET_CHECK(b >= 1 && b <= 65536, ErrorCode::kInvalidModel, node.label(), ": blocksize ", b,
              " is out of range [1, 65536]");
  return b;
}

bool depth_to_space_is_crd(const Node& node) {
  const std::string mode = node.attribute_or<std::string>("mode", "DCR");
  OCTET_CHECK(mode == "DCR" || mode == "CRD", ErrorCode::kInvalidModel, node.label(),
              ": mode must be DCR or CRD, got '", mode, "'");
  return mode == "CRD";
}

// Divides a dim by the block size factor, checking divisibility; dynamic stays dynamic.
int64_t divide_dim(const Node& node, int64_t dim, int64_t factor, const char* what, ErrorCode code) {
  if (dim == kDynamicDim) return kDynamicDim;
  OCTET_CHECK(dim % factor == 0, code, node.label(), ": ", what, " ", dim, " is not divisible by ", factor);
  return dim / factor;
}
int64_t multiply_dim(int64_t dim, int64_t factor) {
  return dim == kDynamicDim ? kDynamicDim : dim * factor;
}

Dims depth_to_space_dims(const Node& node, const Dims& in, ErrorCode code) {
  const int64_t b = block_size(node);
  OCTET_CHECK(in.size() == 4, ErrorCode::kInvalidModel, node.label(), ": input must be 4-D (NCHW), got ",
              to_string(in));
  return {in[0], divide_dim(node, in[1], b * b, "channel count", code), multiply_dim(in[2], b),
          multiply_dim(in[3], b)};
}

Dims space_to_depth_dims(const Node& node, const Dims& in, ErrorCode code) {
  const int64_t b = block_size(node);
  OCTET_CHECK(in.size() == 4, ErrorCode::kInvalidModel, node.label(), ": input must be 4-D (NCHW), got ",
              to_string(in));
  return {in[0], multiply_dim(in[1], b * b), divide_dim(node, in[2], b, "height", code),
          divide_dim(node, in[3], b, "width", code)};
}

void register_depth_space(OpRegistry& registry) {
  OpDefinition d2s;
  d2s.type = "DepthToSpace";
  d2s.min_inputs = d2s.max_inputs = 1;
  d2s.infer = [](Node& node) {
    depth_to_space_is_crd(node);
    const Shape& in = input_shape(node, 0);
    set_output(node, 0, input_type(node, 0),
               in.rank_known() ? Shape(depth_to_space_dims(node, in.dims(), ErrorCode::kInvalidModel))
                               : Shape::dynamic(4));
  };
  // out[n, c, h*b + i, w*b + j] = in[n, channel, h, w] where channel is (i*b + j)*C' + c for DCR (depth,
  // column, row: the ONNX reshape [N,b,b,C',H,W]) and c*b*b + i*b + j for CRD (reshape [N,C',b,b,H,W]).
  d2s.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const int64_t b = block_size(node);
    const bool crd = depth_to_space_is_crd(node);
    const Dims out_dims = depth_to_space_dims(node, x.dims(), ErrorCode::kInvalidArgument);
    const Dims in_strides = strides_of(x.dims());
    const int64_t out_channels = out_dims[1];
    std::vector<int64_t> source;
    for_each_coordinate(out_dims, [&](const Dims& o) {
      const int64_t i = o[2] % b, j = o[3] % b;
      const int64_t channel = crd ? o[1] * b * b + i * b + j : (i * b + j) * out_channels + o[1];
      source.push_back(flat_offset({o[0], channel, o[2] / b, o[3] / b}, in_strides));
    });
    return std::vector<Tensor>{copy_elements(x, out_dims, source)};
  };
  registry.add(std::move(d2s));

  OpDefinition s2d;
  s2d.type = "SpaceToDepth";
  s2d.min_inputs = s2d.max_inputs = 1;
  s2d.infer = [](Node& node) {
    const Shape& in = input_shape(node, 0);
    set_output(node, 0, input_type(node, 0),
               in.rank_known() ? Shape(space_to_depth_dims(node, in.dims(), ErrorCode::kInvalidModel))
                               : Shape::dynamic(4));
  };
  // The inverse of DepthToSpace in DCR order: out[n, (i*b + j)*C + c, h, w] = in[n, c, h*b + i, w*b + j].
  s2d.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const int64_t b = block_size(node);
    const Dims out_dims = space_to_depth_dims(node, x.dims(), ErrorCode::kInvalidArgument);
    const Dims in_strides = strides_of(x.dims());
    const int64_t in_channels = x.dims()[1];
    std::vector<int64_t> source;
    for_each_coordinate(out_dims, [&](const Dims& o) {
      const int64_t block = o[1] / in_channels, c = o[1] % in_channels;
      const int64_t i = block / b, j = block % b;
      source.push_back(flat_offset({o[0], c, o[2] * b + i, o[3] * b + j}, in_strides));
    });
    return std::vector<Tensor>{copy_elements(x, out_dims, source)};
  };
  registry.add(std::move(s2d));
}

}  // namespace

void register_layout_ops(OpRegistry& registry) {
  register_transpose(registry);
  register_expand(registry);
  register_tile(registry);
  register_depth_space(registry);
}

}  // namespace octet
