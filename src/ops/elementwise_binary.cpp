// Binary elementwise ops with numpy broadcasting: arithmetic (Add, Sub, Mul, Div, Pow, Mod), comparisons
// (Equal, Less, ... -> bool) and logic (And, Or, Xor on bool).
#include <cmath>
#include <string>
#include <type_traits>

#include "ops/elementwise_common.h"

namespace octet {
namespace {

void infer_broadcast(Node& node, ElementType out_type) {
  set_output(node, 0, out_type, broadcast_shapes(node, input_shape(node, 0), input_shape(node, 1)));
}

// Arithmetic op whose output has the input type; `kernel(node, a, b)` is a generic lambda.
template <typename Kernel>
void add_arithmetic(OpRegistry& registry, const std::string& type, Kernel kernel) {
  OpDefinition def;
  def.type = type;
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, kArithmeticTypes);
    infer_broadcast(node, expect_same_input_types(node));
  };
  def.evaluate = with_f16_through_f32([kernel](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& a = *inputs[0];
    const Tensor& b = *inputs[1];
    return dispatch_arithmetic(node, a.type(), [&](auto tag) {
      using T = decltype(tag);
      return std::vector<Tensor>{
          broadcast_binary<T, T, T>(node, a, b, a.type(), [&](T x, T y) { return kernel(node, x, y); })};
    });
  });
  registry.add(std::move(def));
}

template <typename T>
T divide(const Node& node, T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    OCTET_CHECK(b != 0, ErrorCode::kInvalidArgument, node.label(), ": integer division by zero");
    if constexpr (std::is_signed_v<T>) {
      if (b == T{-1}) return wrapping_sub(T{0}, a);  // INT_MIN / -1 overflows in C++; wrap like numpy
    }
    return static_cast<T>(a / b);  // C++ integer division truncates toward zero, as ONNX wants
  } else {
    return a / b;
  }
}

// fmod=1: the remainder has the sign of the dividend (C fmod / %); fmod=0: the sign of the divisor (Python
// %).
template <typename T>
T modulo(const Node& node, T a, T b, bool c_style) {
  if constexpr (std::is_integral_v<T>) {
    OCTET_CHECK(b != 0, ErrorCode::kInvalidArgument, node.label(), ": integer modulo by zero");
    if constexpr (std::is_signed_v<T>) {
      if (b == T{-1}) return T{0};  // INT_MIN % -1 overflows in C++
      T r = static_cast<T>(a % b);
      if (!c_style && r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
      return r;
    } else {
      return static_cast<T>(a % b);
    }
  } else {
    return std::fmod(a, b);  // infer() has rejected fmod=0 for floats
  }
}

// x^n for an integer base and exponent. Products wrap like the other integer ops; a negative exponent gives
// the truncated quotient 1 / x^-n (0 unless |x| = 1).
int64_t integer_power(const Node& node, int64_t base, int64_t exponent) {
  if (exponent < 0) {
    OCTET_CHECK(base != 0, ErrorCode::kInvalidArgument, node.label(), ": 0 raised to a negative power");
    if (base == 1) return 1;
    if (base == -1) return exponent % 2 == 0 ? 1 : -1;
    return 0;
  }
  int64_t result = 1;
  while (exponent > 0) {
    if (exponent & 1) result = wrapping_mul(result, base);
    base = wrapping_mul(base, base);
    exponent >>= 1;
  }
  return result;
}

// Pow: the exponent may have another type than the base (ONNX T1); the output has the base type.
std::vector<Tensor> evaluate_pow(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& base = *inputs[0];
  const Tensor& exponent = *inputs[1];
  if (base.type() == ElementType::kF32) {
    const Tensor e = convert_tensor(exponent, ElementType::kF32);
    return {broadcast_binary<float, float, float>(node, base, e, base.type(),
                                                  [](float x, float y) { return std::pow(x, y); })};
  }
  return dispatch_arithmetic(node, base.type(), [&](auto tag) {
    using T = decltype(tag);
    if (is_integral(exponent.type())) {
      const Tensor e = convert_tensor(exponent, ElementType::kI64);
      return std::vector<Tensor>{broadcast_binary<T, int64_t, T>(
          node, base, e, base.type(),
          [&](T x, int64_t y) { return static_cast<T>(integer_power(node, x, y)); })};
    }
    // Integer base, float exponent: the real power truncated toward zero (NaN and infinities give 0).
    const Tensor e = convert_tensor(exponent, ElementType::kF32);
    return std::vector<Tensor>{broadcast_binary<T, float, T>(node, base, e, base.type(), [](T x, float y) {
      const double p = std::trunc(std::pow(static_cast<double>(x), static_cast<double>(y)));
      return std::isfinite(p) && std::fabs(p) < 9.2e18 ? static_cast<T>(static_cast<int64_t>(p)) : T{0};
    })};
  });
}

void register_pow_and_mod(OpRegistry& registry) {
  OpDefinition pow;
  pow.type = "Pow";
  pow.min_inputs = pow.max_inputs = 2;
  pow.infer = [](Node& node) {
    expect_input_type(node, 0, kArithmeticTypes);
    expect_input_type(node, 1, kArithmeticTypes);
    infer_broadcast(node, input_type(node, 0));
  };
  pow.evaluate = with_f16_through_f32(evaluate_pow);
  registry.add(std::move(pow));

  OpDefinition mod;
  mod.type = "Mod";
  mod.min_inputs = mod.max_inputs = 2;
  mod.infer = [](Node& node) {
    expect_input_type(node, 0, kArithmeticTypes);
    const ElementType type = expect_same_input_types(node);
    OCTET_CHECK(!is_floating(type) || node.attribute_or<int64_t>("fmod", 0) == 1, ErrorCode::kInvalidModel,
                node.label(), ": fmod must be 1 for floating-point inputs");
    infer_broadcast(node, type);
  };
  mod.evaluate = with_f16_through_f32([](const Node& node, const std::vector<const Tensor*>& inputs) {
    const bool c_style = node.attribute_or<int64_t>("fmod", 0) == 1;
    const Tensor& a = *inputs[0];
    return dispatch_arithmetic(node, a.type(), [&](auto tag) {
      using T = decltype(tag);
      return std::vector<Tensor>{broadcast_binary<T, T, T>(
          node, a, *inputs[1], a.type(), [&](T x, T y) { return modulo(node, x, y, c_style); })};
    });
  });
  registry.add(std::move(mod));
}

// Comparison producing bool; bool inputs (allowed for Equal only) compare as their 0/1 bytes.
template <typename Compare>
void add_comparison(OpRegistry& registry, const std::string& type, std::span<const ElementType> allowed,
                    Compare compare) {
  OpDefinition def;
  def.type = type;
  def.min_inputs = def.max_inputs = 2;
  def.infer = [allowed](Node& node) {
    expect_input_type(node, 0, allowed);
    expect_same_input_types(node);
    infer_broadcast(node, ElementType::kBool);
  };
  def.evaluate = with_f16_through_f32([compare](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& a = *inputs[0];
    const ElementType compared = a.type() == ElementType::kBool ? ElementType::kU8 : a.type();
    return dispatch_arithmetic(node, compared, [&](auto tag) {
      using T = decltype(tag);
      return std::vector<Tensor>{broadcast_binary<T, T, uint8_t>(
          node, a, *inputs[1], ElementType::kBool, [&](T x, T y) { return uint8_t{compare(x, y)}; })};
    });
  });
  registry.add(std::move(def));
}

template <typename Logic>
void add_logical(OpRegistry& registry, const std::string& type, Logic logic) {
  OpDefinition def;
  def.type = type;
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 0, kBoolType);
    expect_input_type(node, 1, kBoolType);
    infer_broadcast(node, ElementType::kBool);
  };
  def.evaluate = [logic](const Node& node, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{broadcast_binary<uint8_t, uint8_t, uint8_t>(
        node, *inputs[0], *inputs[1], ElementType::kBool,
        [&](uint8_t x, uint8_t y) { return uint8_t{logic(x != 0, y != 0)}; })};
  };
  registry.add(std::move(def));
}

}  // namespace

void register_elementwise_binary_ops(OpRegistry& registry) {
  add_arithmetic(registry, "Add", [](const Node&, auto a, auto b) { return wrapping_add(a, b); });
  add_arithmetic(registry, "Sub", [](const Node&, auto a, auto b) { return wrapping_sub(a, b); });
  add_arithmetic(registry, "Mul", [](const Node&, auto a, auto b) { return wrapping_mul(a, b); });
  add_arithmetic(registry, "Div", [](const Node& node, auto a, auto b) { return divide(node, a, b); });
  register_pow_and_mod(registry);

  add_comparison(registry, "Equal", kAllTypes, [](auto a, auto b) { return a == b; });
  add_comparison(registry, "Less", kArithmeticTypes, [](auto a, auto b) { return a < b; });
  add_comparison(registry, "Greater", kArithmeticTypes, [](auto a, auto b) { return a > b; });
  add_comparison(registry, "LessOrEqual", kArithmeticTypes, [](auto a, auto b) { return a <= b; });
  add_comparison(registry, "GreaterOrEqual", kArithmeticTypes, [](auto a, auto b) { return a >= b; });

  add_logical(registry, "And", [](bool a, bool b) { return a && b; });
  add_logical(registry, "Or", [](bool a, bool b) { return a || b; });
  add_logical(registry, "Xor", [](bool a, bool b) { return a != b; });
}

}  // namespace octet
