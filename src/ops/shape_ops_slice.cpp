// Ops that cut tensors apart or join them along axes: Slice, Split, Concat.
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "ops/axis_index_maps.h"
#include "ops/shape_ops_common.h"

namespace octet {
namespace {

// --- Slice ---

// One sliced axis after ONNX's clamping rules: element k of the output along it is input start + k*step.
struct SliceAxis {
  int64_t start;
  int64_t step;
  int64_t count;
};

struct SliceParameters {
  std::vector<int64_t> starts, ends, axes, steps;  // axes normalized, steps defaulted
};

SliceParameters slice_parameters(const Node& node, const std::vector<int64_t>& starts,
                                 const std::vector<int64_t>& ends,
                                 const std::optional<std::vector<int64_t>>& axes,
                                 const std::optional<std::vector<int64_t>>& steps, int64_t rank) {
  SliceParameters p{starts, ends, {}, {}};
  OCTET_CHECK(starts.size() == ends.size(), ErrorCode::kInvalidModel, node.label(), ": starts ",
              to_string(starts), " and ends ", to_string(ends), " differ in length");
  if (axes) {
    p.axes = normalize_axes(node, *axes, rank);
  } else {
    for (size_t i = 0; i < starts.size(); ++i) p.axes.push_back(static_cast<int64_t>(i));
    OCTET_CHECK(static_cast<int64_t>(starts.size()) <= rank, ErrorCode::kInvalidModel, node.label(),
                ": starts ", to_string(starts), " has more entries than the input rank ", rank);
  }
  p.steps = steps ? *steps : std::vector<int64_t>(starts.size(), 1);
  OCTET_CHECK(p.axes.size() == starts.size() && p.steps.size() == starts.size(), ErrorCode::kInvalidModel,
              node.label(), ": starts, ends, axes and steps must have the same length");
  for (int64_t step : p.steps)
    OCTET_CHECK(step != 0, ErrorCode::kInvalidModel, node.label(), ": a slice step cannot be 0");
  return p;
}

// ONNX opset 13 rules: negative start/end count from the back; then positive steps clamp to [0, dim] and
// negative steps to [0, dim-1] for start and [-1, dim-1] for end (so that end = -1 after clamping means
// "through index 0").
SliceAxis resolve_slice_axis(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  int64_t count = 0;  // written as 1 + (distance - 1) / |step| so that a huge step cannot overflow
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    if (end > start) count = 1 + (end - start - 1) / step;
  } else if (dim > 0) {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    step = std::max(step, -std::numeric_limits<int64_t>::max());  // so that -step exists
    if (start > end) count = 1 + (start - end - 1) / -step;
  }
  return {start, step, count};
}

void register_slice(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Slice";
  def.min_inputs = 3;
  def.max_inputs = 5;
  def.infer = [](Node& node) {
    for (size_t i = 1; i < 5; ++i)
      if (node.has_input(i)) expect_input_type(node, i, {ElementType::kI32, ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    Shape out;
    if (in.rank_known()) {
      const int64_t rank = static_cast<int64_t>(in.rank());
      const auto starts = constant_int_values(node, 1, "starts");
      const auto ends = constant_int_values(node, 2, "ends");
      const auto axes = constant_int_values(node, 3, "axes");
      const auto steps = constant_int_values(node, 4, "steps");
      const bool all_known = starts && ends && (axes || !node.has_input(3)) && (steps || !node.has_input(4));
      Dims dims = in.dims();
      if (all_known) {
        const SliceParameters p = slice_parameters(node, *starts, *ends, axes, steps, rank);
        for (size_t i = 0; i < p.axes.size(); ++i) {
          const size_t axis = static_cast<size_t>(p.axes[i]);
          dims[axis] = dims[axis] == kDynamicDim
                           ? kDynamicDim
                           : resolve_slice_axis(dims[axis], p.starts[i], p.ends[i], p.steps[i]).count;
        }
      } else if (axes) {  // the sliced axes are known, their new sizes are not
        for (int64_t axis : normalize_axes(node, *axes, rank)) dims[static_cast<size_t>(axis)] = kDynamicDim;
      } else {
        dims.assign(dims.size(), kDynamicDim);
      }
      out = dims;
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    auto optional_values = [&](size_t i, std::string_view what) -> std::optional<std::vector<int64_t>> {
      if (i < inputs.size() && inputs[i]) return int_values(node, *inputs[i], what);
      return std::nullopt;
    };
    const SliceParameters p = slice_parameters(
        node, int_values(node, *inputs[1], "starts"), int_values(node, *inputs[2], "ends"),
        optional_values(3, "axes"), optional_values(4, "steps"), static_cast<int64_t>(x.rank()));
    // Unsliced axes are the full range: start 0, step 1.
    Dims out_dims = x.dims();
    Dims starts(x.rank(), 0), steps(x.rank(), 1);
    for (size_t i = 0; i < p.axes.size(); ++i) {
      const size_t axis = static_cast<size_t>(p.axes[i]);
      const SliceAxis s = resolve_slice_axis(x.dims()[axis], p.starts[i], p.ends[i], p.steps[i]);
      out_dims[axis] = s.count;
      starts[axis] = s.start;
      steps[axis] = s.step;
    }
    const Dims in_strides = strides_of(x.dims());
    std::vector<int64_t> source;
    for_each_coordinate(out_dims, [&](const Dims& c) {
      int64_t offset = 0;
      for (size_t i = 0; i < c.size(); ++i) offset += (starts[i] + c[i] * steps[i]) * in_strides[i];
      source.push_back(offset);
    });
    return std::vector<Tensor>{copy_elements(x, out_dims, source)};
  };
  registry.add(std::move(def));
}

// --- Split ---

// Sizes of the outputs along the axis of length `dim` (which must be static), from the `split` input if
// given, else from num_outputs (ceil-sized chunks, the last one smaller), else equal parts.
std::vector<int64_t> split_sizes(const Node& node, int64_t dim,
                                 const std::optional<std::vector<int64_t>>& split, ErrorCode code) {
  const size_t outputs = node.output_count();
  if (split) {
    OCTET_CHECK(split->size() == outputs, ErrorCode::kInvalidModel, node.label(), ": split ",
                to_string(*split), " has ", split->size(), " entries for ", outputs, " outputs");
    int64_t sum = 0;
    for (int64_t s : *split) {
      OCTET_CHECK(s >= 0, ErrorCode::kInvalidModel, node.label(), ": split ", to_string(*split),
                  " has a negative entry");
      // Untrusted sizes: the IR reader's VariadicSplit overflowed this way (docs/robustness.md, finding 5).
      OCTET_CHECK(!__builtin_add_overflow(sum, s, &sum), ErrorCode::kInvalidModel, node.label(), ": split ",
                  to_string(*split), " adds up to more than a 64-bit count holds");
    }
    OCTET_CHECK(sum == dim, code, node.label(), ": split ", to_string(*split), " sums to ", sum,
                " but the axis has length ", dim);
    return *split;
  }
  const int64_t n = static_cast<int64_t>(outputs);
  if (node.has_attribute("num_outputs")) {
    OCTET_CHECK(node.attribute<int64_t>("num_outputs") == n, ErrorCode::kInvalidModel, node.label(),
                ": num_outputs ", node.attribute<int64_t>("num_outputs"), " differs from the node's ", n,
                " outputs");
    const int64_t chunk = (dim + n - 1) / n;
    const int64_t last = dim - chunk * (n - 1);
    OCTET_CHECK(last >= 0, code, node.label(), ": an axis of length ", dim, " cannot be split into ", n,
                " parts");
    std::vector<int64_t> sizes(outputs, chunk);
    sizes.back() = last;
    return sizes;
  }
  OCTET_CHECK(dim % n == 0, code, node.label(), ": an axis of length ", dim, " cannot be split into ", n,
              " equal parts");
  return std::vector<int64_t>(outputs, dim / n);
}

void register_split(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Split";
  def.min_inputs = 1;
  def.max_inputs = 2;
  def.min_outputs = 1;
  def.max_outputs = std::numeric_limits<size_t>::max();
  def.infer = [](Node& node) {
    if (node.has_input(1)) expect_input_type(node, 1, {ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    const ElementType type = input_type(node, 0);
    if (!in.rank_known()) {
      for (size_t i = 0; i < node.output_count(); ++i) set_output(node, i, type, Shape::unknown());
      return;
    }
    const size_t axis = static_cast<size_t>(
        normalize_axis(node, node.attribute_or<int64_t>("axis", 0), static_cast<int64_t>(in.rank())));
    const auto split = constant_int_values(node, 1, "split");
    const bool sizes_known = in[axis] != kDynamicDim && (split || !node.has_input(1));
    const std::vector<int64_t> sizes = sizes_known
                                           ? split_sizes(node, in[axis], split, ErrorCode::kInvalidModel)
                                           : std::vector<int64_t>(node.output_count(), kDynamicDim);
    for (size_t i = 0; i < node.output_count(); ++i) {
      Dims dims = in.dims();
      dims[axis] = sizes[i];
      set_output(node, i, type, dims);
    }
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const size_t axis = static_cast<size_t>(
        normalize_axis(node, node.attribute_or<int64_t>("axis", 0), static_cast<int64_t>(x.rank())));
    std::optional<std::vector<int64_t>> split;
    if (inputs.size() > 1 && inputs[1]) split = int_values(node, *inputs[1], "split");
    const std::vector<int64_t> sizes = split_sizes(node, x.dims()[axis], split, ErrorCode::kInvalidArgument);
    const Dims in_strides = strides_of(x.dims());
    std::vector<Tensor> outputs;
    int64_t offset = 0;  // where this output starts along the axis
    for (int64_t size : sizes) {
      Dims out_dims = x.dims();
      out_dims[axis] = size;
      std::vector<int64_t> source;
      for_each_coordinate(out_dims, [&](const Dims& c) {
        Dims in_coords = c;
        in_coords[axis] += offset;
        source.push_back(flat_offset(in_coords, in_strides));
      });
      outputs.push_back(copy_elements(x, out_dims, source));
      offset += size;
    }
    return outputs;
  };
  registry.add(std::move(def));
}

// --- Concat ---

void register_concat(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Concat";
  def.min_inputs = 1;
  def.max_inputs = std::numeric_limits<size_t>::max();
  def.infer = [](Node& node) {
    const ElementType type = input_type(node, 0);
    std::optional<Dims> merged;  // dims so far, from the inputs of known rank
    bool axis_dim_unknown = false;
    int64_t axis_dim = 0;
    size_t axis = 0;
    for (size_t i = 0; i < node.input_count(); ++i) {
      OCTET_CHECK(node.has_input(i), ErrorCode::kInvalidModel, node.label(), ": input ", i, " is missing");
      OCTET_CHECK(input_type(node, i) == type, ErrorCode::kInvalidModel, node.label(), ": input ", i,
                  " has type ", to_string(input_type(node, i)), ", input 0 has ", to_string(type));
      const Shape& s = input_shape(node, i);
      if (!s.rank_known()) {
        axis_dim_unknown = true;
        continue;
      }
      if (!merged) {
        OCTET_CHECK(s.rank() >= 1, ErrorCode::kInvalidModel, node.label(), ": cannot concatenate scalars");
        axis = static_cast<size_t>(
            normalize_axis(node, node.attribute<int64_t>("axis"), static_cast<int64_t>(s.rank())));
        merged = s.dims();
      }
      OCTET_CHECK(s.rank() == merged->size(), ErrorCode::kInvalidModel, node.label(), ": input ", i,
                  " has shape ", s.to_string(), ", other inputs have rank ", merged->size());
      for (size_t d = 0; d < s.rank(); ++d) {
        if (d == axis) continue;
        if ((*merged)[d] == kDynamicDim) {
          (*merged)[d] = s[d];
        } else {
          OCTET_CHECK(s[d] == kDynamicDim || s[d] == (*merged)[d], ErrorCode::kInvalidModel, node.label(),
                      ": input ", i, " has shape ", s.to_string(),
                      ", which differs from the others outside axis ", axis);
        }
      }
      if (s[axis] == kDynamicDim)
        axis_dim_unknown = true;
      else
        axis_dim += s[axis];
    }
    Shape out;
    if (merged) {
      (*merged)[axis] = axis_dim_unknown ? kDynamicDim : axis_dim;
      out = *merged;
    }
    set_output(node, 0, type, out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& first = *inputs[0];
    OCTET_CHECK(first.rank() >= 1, ErrorCode::kInvalidArgument, node.label(), ": cannot concatenate scalars");
    const size_t axis = static_cast<size_t>(
        normalize_axis(node, node.attribute<int64_t>("axis"), static_cast<int64_t>(first.rank())));
    Dims out_dims = first.dims();
    out_dims[axis] = 0;
    for (const Tensor* t : inputs) {
      Dims expected = first.dims();
      expected[axis] = t->rank() == first.rank() ? t->dims()[axis] : 0;
      OCTET_CHECK(t->type() == first.type() && t->dims() == expected, ErrorCode::kInvalidArgument,
                  node.label(), ": cannot concatenate ", t->description(), " with ", first.description(),
                  " along axis ", axis);
      out_dims[axis] += t->dims()[axis];
    }
    // Rows of the output are blocks of `inner` elements: the part of each input from the axis inward.
    const int64_t outer = product_or_dynamic(out_dims, 0, axis);
    const size_t size = size_of(first.type());
    Tensor out(first.type(), out_dims);
    auto* dst = static_cast<std::byte*>(out.raw_data());
    for (int64_t o = 0; o < outer; ++o) {
      for (const Tensor* t : inputs) {
        const size_t block = static_cast<size_t>(product_or_dynamic(t->dims(), axis, t->rank())) * size;
        std::memcpy(dst, static_cast<const std::byte*>(t->raw_data()) + o * block, block);
        dst += block;
      }
    }
    return std::vector<Tensor>{out};
  };
  registry.add(std::move(def));
}

}  // namespace

std::optional<AxisIndexMaps> slice_index_maps(const Node& node, const Dims& in_dims) {
  const auto starts = constant_int_values(node, 1, "starts");
  const auto ends = constant_int_values(node, 2, "ends");
  const auto axes = constant_int_values(node, 3, "axes");
  const auto steps = constant_int_values(node, 4, "steps");
  if (!starts || !ends || (!axes && node.has_input(3)) || (!steps && node.has_input(4))) return std::nullopt;
  const SliceParameters p =
      slice_parameters(node, *starts, *ends, axes, steps, static_cast<int64_t>(in_dims.size()));
  AxisIndexMaps maps{in_dims, {}};
  for (int64_t dim : in_dims) {  // unsliced axes read every index
    std::vector<int64_t> identity(static_cast<size_t>(dim));
    for (int64_t k = 0; k < dim; ++k) identity[static_cast<size_t>(k)] = k;
    maps.source_index.push_back(std::move(identity));
  }
  for (size_t i = 0; i < p.axes.size(); ++i) {
    const size_t axis = static_cast<size_t>(p.axes[i]);
    const SliceAxis s = resolve_slice_axis(in_dims[axis], p.starts[i], p.ends[i], p.steps[i]);
    maps.out_dims[axis] = s.count;
    std::vector<int64_t>& map = maps.source_index[axis];
    map.resize(static_cast<size_t>(s.count));
    for (int64_t k = 0; k < s.count; ++k) map[static_cast<size_t>(k)] = s.start + k * s.step;
  }
  return maps;
}

void register_slice_ops(OpRegistry& registry) {
  register_slice(registry);
  register_split(registry);
  register_concat(registry);
}

}  // namespace octet
