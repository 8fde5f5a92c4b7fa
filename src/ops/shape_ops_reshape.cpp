// Ops that change the dims but not the data order: Reshape, Flatten, Squeeze, Unsqueeze. Their evaluation is
// a copy of the input with new dims; all the work is computing the dims, which infer and evaluate share.
#include <algorithm>
#include <string>

#include "ops/shape_ops_common.h"

namespace octet {
namespace {

// Output dims of Reshape for input dims `in` (entries may be dynamic during inference). `code` is the error
// code for an element-count mismatch: kInvalidModel at inference, kInvalidArgument at evaluation.
Dims reshape_dims(const Node& node, const Dims& in, const std::vector<int64_t>& requested, bool allow_zero,
                  ErrorCode code) {
  Dims out(requested.size());
  std::optional<size_t> inferred_axis;
  bool has_zero = false;
  for (size_t i = 0; i < requested.size(); ++i) {
    const int64_t r = requested[i];
    if (r == -1) {
      OCTET_CHECK(!inferred_axis, ErrorCode::kInvalidModel, node.label(), ": shape ", to_string(requested),
                  " has more than one -1");
      inferred_axis = i;
    } else if (r == 0 && !allow_zero) {
      OCTET_CHECK(i < in.size(), ErrorCode::kInvalidModel, node.label(), ": shape ", to_string(requested),
                  " copies dim ", i, " (0) but the input has rank ", in.size());
      out[i] = in[i];
    } else {
      OCTET_CHECK(r >= 0, ErrorCode::kInvalidModel, node.label(), ": shape ", to_string(requested),
                  " has a negative dim other than -1");
      has_zero = has_zero || r == 0;
      out[i] = r;
    }
  }
  OCTET_CHECK(!(allow_zero && has_zero && inferred_axis), ErrorCode::kInvalidModel, node.label(),
              ": with allowzero=1 the shape cannot have both 0 and -1, got ", to_string(requested));
  const int64_t in_count = product_or_dynamic(in, 0, in.size());
  if (inferred_axis) {
    out[*inferred_axis] = 1;
    const int64_t others = product_or_dynamic(out, 0, out.size());
    if (in_count == kDynamicDim || others == kDynamicDim) {
      out[*inferred_axis] = kDynamicDim;
    } else {
      OCTET_CHECK(others != 0 && in_count % others == 0, code, node.label(), ": cannot reshape ",
                  to_string(in), " to ", to_string(requested));
      out[*inferred_axis] = in_count / others;
    }
  }
  const int64_t out_count = product_or_dynamic(out, 0, out.size());
  OCTET_CHECK(in_count == kDynamicDim || out_count == kDynamicDim || in_count == out_count, code,
              node.label(), ": cannot reshape ", to_string(in), " (", in_count, " elements) to ",
              to_string(requested), " (", out_count, " elements)");
  return out;
}

void register_reshape(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Reshape";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 1, {ElementType::kI64});
    const bool allow_zero = node.attribute_or<int64_t>("allowzero", 0) != 0;
    const Shape& in = input_shape(node, 0);
    const auto requested = constant_int_values(node, 1, "shape");
    Shape out;
    if (requested && (in.rank_known() || allow_zero ||
                      std::find(requested->begin(), requested->end(), 0) == requested->end())) {
      // With unknown input rank, only a shape that copies no input dim can be resolved.
      const Dims in_dims = in.rank_known() ? in.dims() : Dims{kDynamicDim};
      out = reshape_dims(node, in_dims, *requested, allow_zero, ErrorCode::kInvalidModel);
    } else if (input_shape(node, 1).is_static() && input_shape(node, 1).rank() == 1) {
      out = dynamic_shape_of_rank(node, input_shape(node, 1)[0]);
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const bool allow_zero = node.attribute_or<int64_t>("allowzero", 0) != 0;
    const Dims dims = reshape_dims(node, inputs[0]->dims(), int_values(node, *inputs[1], "shape"), allow_zero,
                                   ErrorCode::kInvalidArgument);
    return std::vector<Tensor>{inputs[0]->clone().reshaped(dims)};
  };
  registry.add(std::move(def));
}

Dims flatten_dims(const Node& node, const Dims& in) {
  const int64_t rank = static_cast<int64_t>(in.size());
  int64_t axis = node.attribute_or<int64_t>("axis", 1);
  OCTET_CHECK(axis >= -rank && axis <= rank, ErrorCode::kInvalidModel, node.label(), ": axis ", axis,
              " is out of range for rank ", rank);
  if (axis < 0) axis += rank;
  const size_t split = static_cast<size_t>(axis);
  return {product_or_dynamic(in, 0, split), product_or_dynamic(in, split, in.size())};
}

void register_flatten(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Flatten";
  def.min_inputs = def.max_inputs = 1;
  def.infer = [](Node& node) {
    const Shape& in = input_shape(node, 0);
    set_output(node, 0, input_type(node, 0),
               in.rank_known() ? Shape(flatten_dims(node, in.dims())) : Shape::dynamic(2));
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{inputs[0]->clone().reshaped(flatten_dims(node, inputs[0]->dims()))};
  };
  registry.add(std::move(def));
}

// Squeeze: without axes, every dim of 1 goes; with axes, exactly those, which must be 1 (dynamic dims are
// assumed to be 1 during inference and checked at evaluation).
Dims squeeze_dims(const Node& node, const Dims& in, const std::optional<std::vector<int64_t>>& axes,
                  ErrorCode code) {
  Dims out;
  if (!axes) {
    for (int64_t d : in)
      if (d != 1) out.push_back(d);
    return out;
  }
  const std::vector<int64_t> normalized = normalize_axes(node, *axes, static_cast<int64_t>(in.size()));
  for (size_t i = 0; i < in.size(); ++i) {
    const bool squeezed =
        std::find(normalized.begin(), normalized.end(), static_cast<int64_t>(i)) != normalized.end();
    if (!squeezed) {
      out.push_back(in[i]);
      continue;
    }
    OCTET_CHECK(in[i] == 1 || in[i] == kDynamicDim, code, node.label(), ": cannot squeeze axis ", i,
                " of dims ", to_string(in), ": it is not 1");
  }
  return out;
}

void register_squeeze(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Squeeze";
  def.min_inputs = 1;
  def.max_inputs = 2;
  def.infer = [](Node& node) {
    if (node.has_input(1)) expect_input_type(node, 1, {ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    const auto axes = constant_int_values(node, 1, "axes");
    const bool axes_known = !node.has_input(1) || axes;
    // Without axes, a dynamic dim may or may not be 1, so only a static shape gives a known output rank.
    const bool dims_decidable = axes || (in.rank_known() && in.is_static());
    Shape out;
    if (in.rank_known() && axes_known && dims_decidable)
      out = squeeze_dims(node, in.dims(), axes, ErrorCode::kInvalidModel);
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    std::optional<std::vector<int64_t>> axes;
    if (inputs.size() > 1 && inputs[1]) axes = int_values(node, *inputs[1], "axes");
    return std::vector<Tensor>{inputs[0]->clone().reshaped(
        squeeze_dims(node, inputs[0]->dims(), axes, ErrorCode::kInvalidArgument))};
  };
  registry.add(std::move(def));
}

// Unsqueeze: axes index the output, whose rank is the input rank plus the number of axes.
Dims unsqueeze_dims(const Node& node, const Dims& in, const std::vector<int64_t>& axes) {
  const int64_t out_rank = static_cast<int64_t>(in.size() + axes.size());
  const std::vector<int64_t> normalized = normalize_axes(node, axes, out_rank);
  Dims out;
  size_t next_input = 0;
  for (int64_t i = 0; i < out_rank; ++i) {
    if (std::find(normalized.begin(), normalized.end(), i) != normalized.end()) {
      out.push_back(1);
    } else {
      out.push_back(in[next_input++]);
    }
  }
  return out;
}

void register_unsqueeze(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Unsqueeze";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 1, {ElementType::kI64});
    const Shape& in = input_shape(node, 0);
    const Shape& axes_shape = input_shape(node, 1);
    const auto axes = constant_int_values(node, 1, "axes");
    Shape out;
    if (in.rank_known() && axes) {
      out = unsqueeze_dims(node, in.dims(), *axes);
    } else if (in.rank_known() && axes_shape.is_static() && axes_shape.rank() == 1) {
      out = Shape::dynamic(in.rank() + static_cast<size_t>(axes_shape[0]));
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Dims dims = unsqueeze_dims(node, inputs[0]->dims(), int_values(node, *inputs[1], "axes"));
    return std::vector<Tensor>{inputs[0]->clone().reshaped(dims)};
  };
  registry.add(std::move(def));
}

}  // namespace

void register_reshape_ops(OpRegistry& registry) {
  register_reshape(registry);
  register_flatten(registry);
  register_squeeze(registry);
  register_unsqueeze(registry);
}

}  // namespace octet
