// Pad (opset 18): inputs data, pads ([x1_begin, x2_begin, ..., x1_end, x2_end] for the padded axes),
// constant_value (optional scalar, default 0) and axes (optional, default all); modes constant, reflect,
// edge. Negative pads remove elements.
#include <algorithm>
#include <string>

#include "ops/axis_index_maps.h"
#include "ops/shape_ops_common.h"

namespace octet {
namespace {

enum class PadMode { kConstant, kReflect, kEdge };

PadMode pad_mode(const Node& node) {
  const std::string mode = node.attribute_or<std::string>("mode", "constant");
  if (mode == "constant") return PadMode::kConstant;
  if (mode == "reflect") return PadMode::kReflect;
  if (mode == "edge") return PadMode::kEdge;
  fail(ErrorCode::kUnsupported, node.label(), ": pad mode '", mode,
       "' is not supported (constant, reflect, edge)");
}

// Pads before and after every axis of a tensor of `rank` (zero for axes not in `axes`).
struct AxisPads {
  Dims begin, end;
};

AxisPads axis_pads(const Node& node, const std::vector<int64_t>& pads,
                   const std::optional<std::vector<int64_t>>& axes, int64_t rank) {
  std::vector<int64_t> normalized;
  if (axes) {
    normalized = normalize_axes(node, *axes, rank);
  } else {
    for (int64_t i = 0; i < rank; ++i) normalized.push_back(i);
  }
  OCTET_CHECK(pads.size() == 2 * normalized.size(), ErrorCode::kInvalidModel, node.label(), ": pads ",
              to_string(pads), " must have 2 entries per padded axis (", normalized.size(), " axes)");
  AxisPads result{Dims(static_cast<size_t>(rank), 0), Dims(static_cast<size_t>(rank), 0)};
  for (size_t i = 0; i < normalized.size(); ++i) {
    result.begin[static_cast<size_t>(normalized[i])] = pads[i];
    result.end[static_cast<size_t>(normalized[i])] = pads[i + normalized.size()];
  }
  return result;
}

Dims padded_dims(const Node& node, const Dims& in, const AxisPads& pads, ErrorCode code) {
  Dims out(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == kDynamicDim) {
      out[i] = kDynamicDim;
      continue;
    }
    out[i] = in[i] + pads.begin[i] + pads.end[i];
    OCTET_CHECK(out[i] >= 0, code, node.label(), ": pads remove more than the ", in[i], " elements of axis ",
                i);
  }
  return out;
}

// The input index read for index i (possibly outside [0, dim)) of the padded axis, or -1 for the constant.
int64_t source_index(int64_t i, int64_t dim, PadMode mode) {
  if (i >= 0 && i < dim) return i;
  switch (mode) {
    case PadMode::kConstant:
      return -1;
    case PadMode::kEdge:
      return std::clamp<int64_t>(i, 0, dim - 1);
    case PadMode::kReflect: {
      // Reflection without repeating the edge has period 2*(dim-1); pads wider than the axis keep reflecting,
      // as numpy.pad does. A single-element axis reflects onto itself.
      if (dim == 1) return 0;
      const int64_t period = 2 * (dim - 1);
      int64_t j = i % period;
      if (j < 0) j += period;
      return j < dim ? j : period - j;
    }
  }
  return -1;
}

std::vector<Tensor> evaluate_pad(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[0];
  const PadMode mode = pad_mode(node);
  std::optional<std::vector<int64_t>> axes;
  if (inputs.size() > 3 && inputs[3]) axes = int_values(node, *inputs[3], "axes");
  const AxisPads pads =
      axis_pads(node, int_values(node, *inputs[1], "pads"), axes, static_cast<int64_t>(x.rank()));
  const Dims out_dims = padded_dims(node, x.dims(), pads, ErrorCode::kInvalidArgument);

  // The fill element: constant_value's bytes (same type as the data), or zero.
  Tensor fill(x.type(), {});
  if (inputs.size() > 2 && inputs[2] && inputs[2]->element_count() > 0) {
    const Tensor& value = *inputs[2];
    OCTET_CHECK(value.type() == x.type() && value.element_count() == 1, ErrorCode::kInvalidArgument,
                node.label(), ": constant_value must be a scalar of the data type ", to_string(x.type()),
                ", got ", value.description());
    fill = value.reshaped({});
  }

  const bool grows = element_count(out_dims) > 0;
  for (size_t i = 0; i < x.rank(); ++i) {
    const bool reads_outside = pads.begin[i] > 0 || pads.end[i] > 0;
    OCTET_CHECK(!(grows && reads_outside && mode != PadMode::kConstant && x.dims()[i] == 0),
                ErrorCode::kInvalidArgument, node.label(), ": cannot pad the empty axis ", i, " in ",
                mode == PadMode::kEdge ? "edge" : "reflect", " mode");
  }

  const Dims in_strides = strides_of(x.dims());
  std::vector<int64_t> source;
  for_each_coordinate(out_dims, [&](const Dims& c) {
    int64_t offset = 0;
    for (size_t i = 0; i < c.size() && offset >= 0; ++i) {
      const int64_t s = source_index(c[i] - pads.begin[i], x.dims()[i], mode);
      offset = s < 0 ? -1 : offset + s * in_strides[i];
    }
    source.push_back(offset);
  });
  return {copy_elements(x, out_dims, source, static_cast<const std::byte*>(fill.raw_data()))};
}

}  // namespace

std::optional<AxisIndexMaps> pad_index_maps(const Node& node, const Dims& in_dims) {
  const auto pads = constant_int_values(node, 1, "pads");
  const auto axes = constant_int_values(node, 3, "axes");
  if (!pads || (!axes && node.has_input(3))) return std::nullopt;
  const PadMode mode = pad_mode(node);
  const AxisPads axis = axis_pads(node, *pads, axes, static_cast<int64_t>(in_dims.size()));
  AxisIndexMaps maps{padded_dims(node, in_dims, axis, ErrorCode::kInvalidModel), {}};
  for (size_t a = 0; a < in_dims.size(); ++a) {
    OCTET_CHECK(mode == PadMode::kConstant || in_dims[a] > 0 || maps.out_dims[a] == 0,
                ErrorCode::kInvalidModel, node.label(), ": cannot pad the empty axis ", a);
    std::vector<int64_t> map(static_cast<size_t>(maps.out_dims[a]));
    for (int64_t k = 0; k < maps.out_dims[a]; ++k)
      map[static_cast<size_t>(k)] = source_index(k - axis.begin[a], in_dims[a], mode);
    maps.source_index.push_back(std::move(map));
  }
  return maps;
}

void register_pad_op(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Pad";
  def.min_inputs = 2;
  def.max_inputs = 4;
  def.infer = [](Node& node) {
    pad_mode(node);
    expect_input_type(node, 1, {ElementType::kI64});
    if (node.has_input(2)) {
      OCTET_CHECK(input_type(node, 2) == input_type(node, 0), ErrorCode::kInvalidModel, node.label(),
                  ": constant_value has type ", to_string(input_type(node, 2)), ", the data has ",
                  to_string(input_type(node, 0)));
    }
    if (node.has_input(3)) expect_input_type(node, 3, {ElementType::kI32, ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    const auto pads = constant_int_values(node, 1, "pads");
    const auto axes = constant_int_values(node, 3, "axes");
    Shape out;
    if (in.rank_known() && pads && (axes || !node.has_input(3))) {
      out = padded_dims(node, in.dims(), axis_pads(node, *pads, axes, static_cast<int64_t>(in.rank())),
                        ErrorCode::kInvalidModel);
    } else if (in.rank_known()) {
      out = Shape::dynamic(in.rank());
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = evaluate_pad;
  registry.add(std::move(def));
}

}  // namespace octet
