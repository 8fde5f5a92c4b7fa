// Variadic elementwise ops (Sum, Max, Min, Mean): one or more inputs, all broadcast together.
#include <cmath>
#include <string>
#include <type_traits>

#include "ops/elementwise_common.h"

namespace octet {
namespace {

template <typename T>
T nan_propagating_max(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();  // like numpy.maximum
  }
  return a < b ? b : a;
}
template <typename T>
T nan_propagating_min(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
  }
  return b < a ? b : a;
}

// Folds the inputs left to right with `combine`; a broadcast of all inputs is the same as the chain of
// pairwise broadcasts, so the result has the shape numpy would give.
template <typename Combine>
Tensor fold_inputs(const Node& node, const std::vector<const Tensor*>& inputs, Combine combine) {
  return dispatch_arithmetic(node, inputs[0]->type(), [&](auto tag) {
    using T = decltype(tag);
    Tensor acc = inputs[0]->clone();
    for (size_t i = 1; i < inputs.size(); ++i)
      acc = broadcast_binary<T, T, T>(node, acc, *inputs[i], acc.type(),
                                      [&](T a, T b) { return combine(a, b); });
    return acc;
  });
}

template <typename Combine>
void add_variadic(OpRegistry& registry, const std::string& type, std::span<const ElementType> allowed,
                  bool mean, Combine combine) {
  OpDefinition def;
  def.type = type;
  def.min_inputs = 1;
  def.max_inputs = kUnboundedCount;
  def.infer = [allowed](Node& node) {
    expect_input_type(node, 0, allowed);
    const ElementType element_type = expect_same_input_types(node);
    Shape shape = input_shape(node, 0);
    for (size_t i = 1; i < node.input_count(); ++i) {
      OCTET_CHECK(node.has_input(i), ErrorCode::kInvalidModel, node.label(), ": input ", i, " is missing");
      shape = broadcast_shapes(node, shape, input_shape(node, i));
    }
    set_output(node, 0, element_type, shape);
  };
  def.evaluate =
      with_f16_through_f32([combine, mean](const Node& node, const std::vector<const Tensor*>& inputs) {
        Tensor out = fold_inputs(node, inputs, combine);
        if (mean) {  // Mean is float-only (see infer), so the division is a float one
          const float n = static_cast<float>(inputs.size());
          for (float& v : out.values<float>()) v /= n;
        }
        return std::vector<Tensor>{out};
      });
  registry.add(std::move(def));
}

}  // namespace

void register_elementwise_variadic_ops(OpRegistry& registry) {
  add_variadic(registry, "Sum", kArithmeticTypes, false, [](auto a, auto b) { return wrapping_add(a, b); });
  add_variadic(registry, "Mean", kFloatTypes, true, [](auto a, auto b) { return a + b; });
  add_variadic(registry, "Max", kArithmeticTypes, false,
               [](auto a, auto b) { return nan_propagating_max(a, b); });
  add_variadic(registry, "Min", kArithmeticTypes, false,
               [](auto a, auto b) { return nan_propagating_min(a, b); });
}

}  // namespace octet
