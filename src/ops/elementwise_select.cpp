// Elementwise ops that choose between values: Where (by a bool condition), Clip (into [min, max]) and PRelu
// (x or slope * x by the sign of x).
#include <cstring>
#include <limits>
#include <string>

#include "ops/elementwise_common.h"

namespace octet {
namespace {

void register_where(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Where";
  def.min_inputs = def.max_inputs = 3;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, kBoolType);
    expect_input_type(node, 1, kAllTypes);
    OCTET_CHECK(input_type(node, 1) == input_type(node, 2), ErrorCode::kInvalidModel, node.label(),
                ": X has type ", to_string(input_type(node, 1)), " but Y has ",
                to_string(input_type(node, 2)));
    const Shape xy = broadcast_shapes(node, input_shape(node, 1), input_shape(node, 2));
    set_output(node, 0, input_type(node, 1), broadcast_shapes(node, input_shape(node, 0), xy));
  };
  // Copies whole elements, so it works for every type without conversions.
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& condition = *inputs[0];
    const Tensor& x = *inputs[1];
    const Tensor& y = *inputs[2];
    OCTET_CHECK(condition.type() == ElementType::kBool && x.type() == y.type(), ErrorCode::kInvalidArgument,
                node.label(), ": expected a boolean condition and X, Y of one type, got ",
                condition.description(), ", ", x.description(), ", ", y.description());
    const Dims out_dims = broadcast_dims(node, condition.dims(), broadcast_dims(node, x.dims(), y.dims()));
    const std::vector<int64_t> map_c = broadcast_index_map(out_dims, condition.dims());
    const std::vector<int64_t> map_x = broadcast_index_map(out_dims, x.dims());
    const std::vector<int64_t> map_y = broadcast_index_map(out_dims, y.dims());
    Tensor out(x.type(), out_dims);
    const size_t size = size_of(x.type());
    const auto* px = static_cast<const std::byte*>(x.raw_data());
    const auto* py = static_cast<const std::byte*>(y.raw_data());
    auto* po = static_cast<std::byte*>(out.raw_data());
    for (size_t i = 0; i < map_c.size(); ++i) {
      const std::byte* source =
          condition.data<uint8_t>()[map_c[i]] != 0 ? px + map_x[i] * size : py + map_y[i] * size;
      std::memcpy(po + i * size, source, size);
    }
    return std::vector<Tensor>{out};
  };
  registry.add(std::move(def));
}

void register_clip(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Clip";
  def.min_inputs = 1;
  def.max_inputs = 3;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, kArithmeticTypes);
    expect_same_input_types(node);
    for (size_t i = 1; i < 3; ++i) {
      if (!node.has_input(i)) continue;
      const Shape& bound = input_shape(node, i);
      OCTET_CHECK(!bound.is_static() || element_count(bound.dims()) == 1, ErrorCode::kInvalidModel,
                  node.label(), ": ", i == 1 ? "min" : "max", " must be a scalar, got shape ",
                  bound.to_string());
    }
    set_output(node, 0, input_type(node, 0), input_shape(node, 0));
  };
  def.evaluate = with_f16_through_f32([](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    for (size_t i = 1; i < inputs.size(); ++i)
      OCTET_CHECK(!inputs[i] || inputs[i]->element_count() == 1, ErrorCode::kInvalidArgument, node.label(),
                  ": ", i == 1 ? "min" : "max", " must be a scalar, got ", inputs[i]->description());
    Tensor out(x.type(), x.dims());
    dispatch_arithmetic(node, x.type(), [&](auto tag) {
      using T = decltype(tag);
      const bool has_min = inputs.size() > 1 && inputs[1];
      const bool has_max = inputs.size() > 2 && inputs[2];
      const T lo = has_min ? inputs[1]->data<T>()[0] : std::numeric_limits<T>::lowest();
      const T hi = has_max ? inputs[2]->data<T>()[0] : std::numeric_limits<T>::max();
      const T* px = x.data<T>();
      T* po = out.data<T>();
      for (int64_t i = 0; i < x.element_count(); ++i) {
        // In this order, min > max gives max everywhere (as the spec says) and NaN stays NaN.
        T v = px[i] < lo ? lo : px[i];
        po[i] = v > hi ? hi : v;
      }
    });
    return std::vector<Tensor>{out};
  });
  registry.add(std::move(def));
}

void register_prelu(OpRegistry& registry) {
  OpDefinition def;
  def.type = "PRelu";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, kSignedTypes);
    expect_same_input_types(node);
    const Shape& x = input_shape(node, 0);
    const Shape& slope = input_shape(node, 1);
    // The slope broadcasts to X, never the other way (unidirectional broadcasting).
    if (x.rank_known() && slope.rank_known()) {
      const Shape joint = broadcast_shapes(node, x, slope);
      OCTET_CHECK(slope.rank() <= x.rank() && (!x.is_static() || joint == x), ErrorCode::kInvalidModel,
                  node.label(), ": slope of shape ", slope.to_string(), " does not broadcast to X of shape ",
                  x.to_string());
    }
    set_output(node, 0, input_type(node, 0), x);
  };
  def.evaluate = with_f16_through_f32([](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    const Tensor& slope = *inputs[1];
    OCTET_CHECK(slope.rank() <= x.rank() && broadcast_dims(node, x.dims(), slope.dims()) == x.dims(),
                ErrorCode::kInvalidArgument, node.label(), ": slope ", slope.description(),
                " does not broadcast to X ", x.description());
    return dispatch_arithmetic(node, x.type(), [&](auto tag) {
      using T = decltype(tag);
      return std::vector<Tensor>{broadcast_binary<T, T, T>(
          node, x, slope, x.type(), [](T v, T s) { return v < T{0} ? wrapping_mul(s, v) : v; })};
    });
  });
  registry.add(std::move(def));
}

}  // namespace

void register_elementwise_select_ops(OpRegistry& registry) {
  register_where(registry);
  register_clip(registry);
  register_prelu(registry);
}

}  // namespace octet
