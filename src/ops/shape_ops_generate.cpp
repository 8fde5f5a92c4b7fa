// Ops whose output is made from dims or scalars rather than copied from data: Shape, Size, ConstantOfShape,
// Range.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "ops/shape_ops_common.h"

namespace octet {
namespace {

// Shape's [start, end) range of axes for a tensor of `rank`: negative values count from the back, then both
// are clamped to [0, rank].
std::pair<int64_t, int64_t> shape_range(const Node& node, int64_t rank) {
  auto clamp_axis = [rank](int64_t a) { return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank); };
  const int64_t start = clamp_axis(node.attribute_or<int64_t>("start", 0));
  const int64_t end = clamp_axis(node.attribute_or<int64_t>("end", rank));
  return {start, std::max(start, end)};
}

void register_shape_and_size(OpRegistry& registry) {
  OpDefinition shape;
  shape.type = "Shape";
  shape.min_inputs = shape.max_inputs = 1;
  shape.infer = [](Node& node) {
    const Shape& in = input_shape(node, 0);
    Shape out{kDynamicDim};
    if (in.rank_known()) {
      const auto [start, end] = shape_range(node, static_cast<int64_t>(in.rank()));
      out = Shape{end - start};
    }
    set_output(node, 0, ElementType::kI64, out);
  };
  shape.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Dims& dims = inputs[0]->dims();
    const auto [start, end] = shape_range(node, static_cast<int64_t>(dims.size()));
    const std::vector<int64_t> values(dims.begin() + start, dims.begin() + end);
    return std::vector<Tensor>{Tensor::from_vector<int64_t>({end - start}, values)};
  };
  registry.add(std::move(shape));

  OpDefinition size;
  size.type = "Size";
  size.min_inputs = size.max_inputs = 1;
  size.infer = [](Node& node) { set_output(node, 0, ElementType::kI64, Shape(Dims{})); };
  size.evaluate = [](const Node&, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{Tensor::scalar<int64_t>(inputs[0]->element_count())};
  };
  registry.add(std::move(size));
}

// ConstantOfShape's fill value: the one-element `value` attribute, or f32 0.
Tensor fill_value(const Node& node) {
  if (!node.has_attribute("value")) return Tensor(ElementType::kF32, {});
  const Tensor& value = node.attribute<Tensor>("value");
  OCTET_CHECK(value.element_count() == 1, ErrorCode::kInvalidModel, node.label(),
              ": value must have exactly one element, got ", value.description());
  return value;
}

std::vector<int64_t> requested_dims(const Node& node, const Tensor& shape) {
  std::vector<int64_t> dims = int_values(node, shape, "shape");
  for (int64_t d : dims)
    OCTET_CHECK(d >= 0, ErrorCode::kInvalidModel, node.label(), ": shape ", to_string(dims),
                " has a negative dim");
  return dims;
}

void register_constant_of_shape(OpRegistry& registry) {
  OpDefinition def;
  def.type = "ConstantOfShape";
  def.min_inputs = def.max_inputs = 1;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, {ElementType::kI64});
    const Tensor* shape = constant_input(node, 0);
    const Shape& shape_shape = input_shape(node, 0);
    Shape out;
    if (shape) {
      out = requested_dims(node, *shape);
    } else if (shape_shape.is_static() && shape_shape.rank() == 1) {
      out = dynamic_shape_of_rank(node, shape_shape[0]);
    }
    set_output(node, 0, fill_value(node).type(), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor value = fill_value(node);
    Tensor out(value.type(), requested_dims(node, *inputs[0]));
    const size_t size = size_of(value.type());
    auto* dst = static_cast<std::byte*>(out.raw_data());
    for (int64_t i = 0; i < out.element_count(); ++i) std::memcpy(dst + i * size, value.raw_data(), size);
    return std::vector<Tensor>{out};
  };
  registry.add(std::move(def));
}

// Range: max(ceil((limit - start) / delta), 0) elements start + i * delta.
template <typename T>
int64_t range_length(const Node& node, T start, T limit, T delta) {
  OCTET_CHECK(delta != T{0}, ErrorCode::kInvalidArgument, node.label(), ": delta cannot be 0");
  if constexpr (std::is_floating_point_v<T>) {
    const double n =
        std::ceil((static_cast<double>(limit) - static_cast<double>(start)) / static_cast<double>(delta));
    OCTET_CHECK(std::isfinite(n) && n < 9.0e18, ErrorCode::kInvalidArgument, node.label(), ": Range(", start,
                ", ", limit, ", ", delta, ") has no usable length");
    return static_cast<int64_t>(std::max(n, 0.0));
  } else {
    // Exact ceil division; the distance is computed in int64 so that it cannot overflow for narrower types.
    const int64_t distance = static_cast<int64_t>(limit) - static_cast<int64_t>(start);
    const int64_t d = delta;
    const bool round_up = distance % d != 0 && ((distance < 0) == (d < 0));
    return std::max<int64_t>(distance / d + (round_up ? 1 : 0), 0);
  }
}

// Calls f(start, limit, delta) with the scalar values of the three inputs in their C++ type.
template <typename F>
decltype(auto) with_range_scalars(const Node& node, const Tensor& start, const Tensor& limit,
                                  const Tensor& delta, F&& f) {
  for (const Tensor* t : {&start, &limit, &delta})
    OCTET_CHECK(t->element_count() == 1, ErrorCode::kInvalidArgument, node.label(),
                ": start, limit and delta must be scalars, got ", t->description());
  switch (start.type()) {
    case ElementType::kF32:
      return f(start.data<float>()[0], limit.data<float>()[0], delta.data<float>()[0]);
    case ElementType::kI32:
      return f(start.data<int32_t>()[0], limit.data<int32_t>()[0], delta.data<int32_t>()[0]);
    case ElementType::kI64:
      return f(start.data<int64_t>()[0], limit.data<int64_t>()[0], delta.data<int64_t>()[0]);
    default:
      break;
  }
  fail(ErrorCode::kUnsupported, node.label(), ": Range of ", to_string(start.type()), " is not supported");
}

void register_range(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Range";
  def.min_inputs = def.max_inputs = 3;
  def.infer = [](Node& node) {
    const ElementType type = input_type(node, 0);
    for (size_t i = 0; i < 3; ++i) {
      expect_input_type(node, i, {ElementType::kF32, ElementType::kI32, ElementType::kI64});
      OCTET_CHECK(input_type(node, i) == type, ErrorCode::kInvalidModel, node.label(),
                  ": start, limit and delta must have the same type");
      const Shape& s = input_shape(node, i);
      OCTET_CHECK(!s.is_static() || element_count(s.dims()) == 1, ErrorCode::kInvalidModel, node.label(),
                  ": input ", i, " must be a scalar, got shape ", s.to_string());
    }
    Shape out{kDynamicDim};
    const Tensor* start = constant_input(node, 0);
    const Tensor* limit = constant_input(node, 1);
    const Tensor* delta = constant_input(node, 2);
    if (start && limit && delta) {
      out = Shape{with_range_scalars(node, *start, *limit, *delta,
                                     [&](auto s, auto l, auto d) { return range_length(node, s, l, d); })};
    }
    set_output(node, 0, type, out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{
        with_range_scalars(node, *inputs[0], *inputs[1], *inputs[2], [&](auto s, auto l, auto d) {
          using T = decltype(s);
          const int64_t length = range_length(node, s, l, d);
          Tensor out(element_type_of<T>(), {length});
          T* values = out.data<T>();
          for (int64_t i = 0; i < length; ++i) values[i] = static_cast<T>(s + static_cast<T>(i) * d);
          return out;
        })};
  };
  registry.add(std::move(def));
}

}  // namespace

void register_shape_source_ops(OpRegistry& registry) {
  register_shape_and_size(registry);
  register_constant_of_shape(registry);
  register_range(registry);
}

}  // namespace octet
