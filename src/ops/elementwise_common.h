// Pieces shared by the elementwise op files (unary, binary, variadic, Cast): type sets, type checks, the
// numpy-broadcast loop, and the f16-through-f32 evaluation wrapper. Internal to src/ops/elementwise_*.cpp.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {

// Registration functions of the elementwise files, called by register_elementwise_ops (elementwise.cpp).
void register_elementwise_unary_ops(OpRegistry& registry);
void register_elementwise_binary_ops(OpRegistry& registry);
void register_elementwise_variadic_ops(OpRegistry& registry);
void register_elementwise_select_ops(OpRegistry& registry);  // Where, Clip, PRelu
void register_cast_op(OpRegistry& registry);

// Upper bound for ops that take any number of inputs (Sum, Concat, ...).
inline constexpr size_t kUnboundedCount = std::numeric_limits<size_t>::max();

inline constexpr ElementType kFloatTypes[] = {ElementType::kF32, ElementType::kF16};
inline constexpr ElementType kArithmeticTypes[] = {ElementType::kF32, ElementType::kF16, ElementType::kI8,
                                                   ElementType::kU8,  ElementType::kI32, ElementType::kI64};
inline constexpr ElementType kSignedTypes[] = {ElementType::kF32, ElementType::kF16, ElementType::kI8,
                                               ElementType::kI32, ElementType::kI64};
inline constexpr ElementType kBoolType[] = {ElementType::kBool};
inline constexpr ElementType kAllTypes[] = {ElementType::kF32, ElementType::kF16, ElementType::kI8,
                                            ElementType::kU8,  ElementType::kI32, ElementType::kI64,
                                            ElementType::kBool};

// Throws kInvalidModel naming the node unless every present input has the type of input 0; returns that type.
ElementType expect_same_input_types(const Node& node);

// Calls f(T{}) for the arithmetic C++ types: float, int8_t, uint8_t, int32_t, int64_t. f16 and bool are not
// dispatched here: f16 is evaluated through f32 (evaluate_f16_through_f32), bool only by the logical ops.
template <typename F>
decltype(auto) dispatch_arithmetic(const Node& node, ElementType type, F&& f) {
  switch (type) {
    case ElementType::kF32:
      return f(float{});
    case ElementType::kI8:
      return f(int8_t{});
    case ElementType::kU8:
      return f(uint8_t{});
    case ElementType::kI32:
      return f(int32_t{});
    case ElementType::kI64:
      return f(int64_t{});
    default:
      break;
  }
  fail(ErrorCode::kUnsupported, node.label(), ": element type ", to_string(type), " is not supported here");
}

// If any input is f16, converts every f16 input to f32 and evaluates; if input 0 was f16, every f32 output is
// converted back to f16 (f16 math is f32 math rounded once at the end). Outputs follow input 0 because it is
// the one that sets the output type in these ops (Pow's exponent may be f16 for an f32 base). Returns false
// (and does nothing) if no input is f16.
bool evaluate_f16_through_f32(const Node& node, const std::vector<const Tensor*>& inputs,
                              const EvaluateFunction& evaluate, std::vector<Tensor>& outputs);
// Wraps an evaluation that handles no f16 into one that handles f16 inputs through evaluate_f16_through_f32.
EvaluateFunction with_f16_through_f32(EvaluateFunction evaluate);
// Infer function for ops whose single output has the type and shape of input 0, after checking that input 0
// has one of the allowed types.
InferFunction infer_like_input(std::span<const ElementType> allowed);

// out[i] = f(a[map_a[i]], b[map_b[i]]) over the numpy broadcast of a and b; A, B and Out are the C++ types of
// a, b and the output.
template <typename A, typename B, typename Out, typename F>
Tensor broadcast_binary(const Node& node, const Tensor& a, const Tensor& b, ElementType out_type, F&& f) {
  const Dims out_dims = broadcast_dims(node, a.dims(), b.dims());
  const std::vector<int64_t> map_a = broadcast_index_map(out_dims, a.dims());
  const std::vector<int64_t> map_b = broadcast_index_map(out_dims, b.dims());
  Tensor out(out_type, out_dims);
  const A* pa = a.data<A>();
  const B* pb = b.data<B>();
  Out* po = reinterpret_cast<Out*>(out.raw_data());
  for (size_t i = 0; i < map_a.size(); ++i) po[i] = f(pa[map_a[i]], pb[map_b[i]]);
  return out;
}

// Integer add/sub/mul that wrap around like two's complement hardware instead of overflowing (which is
// undefined behaviour for signed types in C++); numpy and ONNX Runtime wrap the same way.
template <typename T>
T wrapping_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}
template <typename T>
T wrapping_sub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
  } else {
    return a - b;
  }
}
template <typename T>
T wrapping_mul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    // 8-bit operands are widened to unsigned, where their product cannot overflow (a uint8 product would
    // otherwise promote to signed int); 32/64-bit unsigned products wrap by definition.
    using U = std::make_unsigned_t<T>;
    using Wide = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, U>;
    return static_cast<T>(
        static_cast<U>(static_cast<Wide>(static_cast<U>(a)) * static_cast<Wide>(static_cast<U>(b))));
  } else {
    return a * b;
  }
}

}  // namespace octet
