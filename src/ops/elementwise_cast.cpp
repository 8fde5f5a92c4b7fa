// Cast: conversion between the element types, with ONNX semantics where ONNX defines them:
// - float -> integer truncates toward zero; integer -> narrower integer wraps (keeps the low bits), like C;
// - anything -> bool is "nonzero" (NaN is nonzero, so true); bool -> anything is 0 or 1.
// Float -> integer is undefined in ONNX for NaN and out-of-range values. We pick: NaN -> 0; otherwise
// truncate, saturate to the int64 range, then wrap to the target width like an integer narrowing (so 300.0f
// -> i8 is 44, as numpy gives on x86).
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "ops/elementwise_common.h"

namespace octet {
namespace {

// Calls f(T{}) for every element type: the arithmetic ones through dispatch_arithmetic, f16 as Float16, and
// bool as BoolByte so that it is told apart from u8.
template <typename F>
decltype(auto) dispatch_any(const Node& node, ElementType type, F&& f) {
  if (type == ElementType::kF16) return f(Float16{});
  if (type == ElementType::kBool) return f(BoolByte{});
  if (type == ElementType::kUndefined) fail(ErrorCode::kInternal, "Cast of an undefined element type");
  return dispatch_arithmetic(node, type, f);
}

// A source value in the widest form of its kind: double for floats, int64 for integers and bool.
template <typename From>
auto widen(From v) {
  if constexpr (std::is_same_v<From, Float16>) {
    return static_cast<double>(static_cast<float>(v));
  } else if constexpr (std::is_same_v<From, BoolByte>) {
    return static_cast<int64_t>(v.value != 0);
  } else if constexpr (std::is_floating_point_v<From>) {
    return static_cast<double>(v);
  } else {
    return static_cast<int64_t>(v);
  }
}

int64_t float_to_int64(double v) {
  if (std::isnan(v)) return 0;  // undefined in ONNX; see the file comment
  const double t = std::trunc(v);
  if (t >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (t <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(t);
}

template <typename To, typename Wide>
To narrow(Wide v) {
  constexpr bool kFromFloat = std::is_same_v<Wide, double>;
  if constexpr (std::is_same_v<To, BoolByte>) {
    return BoolByte{static_cast<uint8_t>(v != 0)};
  } else if constexpr (std::is_same_v<To, Float16>) {
    return Float16(static_cast<float>(v));
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else if constexpr (kFromFloat) {
    return static_cast<To>(float_to_int64(v));  // integer -> integer static_cast wraps in C++20
  } else {
    return static_cast<To>(v);
  }
}

Tensor cast_tensor(const Node& node, const Tensor& x, ElementType to) {
  Tensor y(to, x.dims());
  dispatch_any(node, x.type(), [&](auto from_tag) {
    using From = decltype(from_tag);
    dispatch_any(node, to, [&](auto to_tag) {
      using To = decltype(to_tag);
      const auto* px = static_cast<const From*>(x.raw_data());
      auto* py = static_cast<To*>(y.raw_data());
      for (int64_t i = 0; i < x.element_count(); ++i) py[i] = narrow<To>(widen(px[i]));
    });
  });
  return y;
}

ElementType target_type(const Node& node) {
  const std::string& name = node.attribute<std::string>("to");
  try {
    return element_type_from_string(name);
  } catch (const Error&) {
    fail(ErrorCode::kUnsupported, node.label(), ": cannot cast to element type '", name, "'");
  }
}

}  // namespace

void register_cast_op(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Cast";
  def.min_inputs = def.max_inputs = 1;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, kAllTypes);
    set_output(node, 0, target_type(node), input_shape(node, 0));
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{cast_tensor(node, *inputs[0], target_type(node))};
  };
  registry.add(std::move(def));
}

}  // namespace octet
