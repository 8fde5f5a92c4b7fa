// Unary elementwise ops: float math (Sigmoid, Exp, Erf, ...), the few that also take integers (Relu, Neg,
// Abs, Sign), Not, and the pass-through ops Identity and Dropout (inference only).
#include <cmath>
#include <functional>
#include <string>
#include <type_traits>

#include "ops/elementwise_common.h"

namespace octet {
namespace {

using FloatFunction = std::function<float(float)>;
// Builds the scalar function of a node (reading its attributes once, not per element).
using MakeFloatFunction = std::function<FloatFunction(const Node&)>;

void add_float_unary(OpRegistry& registry, const std::string& type, MakeFloatFunction make) {
  OpDefinition def;
  def.type = type;
  def.min_inputs = def.max_inputs = 1;
  def.infer = infer_like_input(kFloatTypes);
  def.evaluate = with_f16_through_f32([make](const Node& node, const std::vector<const Tensor*>& inputs) {
    const FloatFunction f = make(node);
    const Tensor& x = *inputs[0];
    Tensor y(x.type(), x.dims());
    const float* px = x.data<float>();
    float* py = y.data<float>();
    for (int64_t i = 0; i < x.element_count(); ++i) py[i] = f(px[i]);
    return std::vector<Tensor>{y};
  });
  registry.add(std::move(def));
}

// For ops without attributes.
MakeFloatFunction fixed(float (*f)(float)) {
  return [f](const Node&) { return FloatFunction(f); };
}

// Unary ops that take integer types too; `kernel` is a generic lambda instantiated for every arithmetic type.
template <typename Kernel>
void add_numeric_unary(OpRegistry& registry, const std::string& type, std::span<const ElementType> allowed,
                       Kernel kernel) {
  OpDefinition def;
  def.type = type;
  def.min_inputs = def.max_inputs = 1;
  def.infer = infer_like_input(allowed);
  def.evaluate = with_f16_through_f32([kernel](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    Tensor y(x.type(), x.dims());
    dispatch_arithmetic(node, x.type(), [&](auto tag) {
      using T = decltype(tag);
      const T* px = x.data<T>();
      T* py = y.data<T>();
      for (int64_t i = 0; i < x.element_count(); ++i) py[i] = kernel(px[i]);
    });
    return std::vector<Tensor>{y};
  });
  registry.add(std::move(def));
}

// Relu, Neg, Abs and Sign are written so that NaN stays NaN (as numpy does).
template <typename T>
T relu(T x) {
  if constexpr (std::is_unsigned_v<T>) {
    return x;
  } else {
    return x < T{0} ? T{0} : x;
  }
}
template <typename T>
T negate(T x) {
  return wrapping_sub(T{0}, x);  // -INT_MIN wraps to INT_MIN, as in numpy
}
template <typename T>
T absolute(T x) {
  if constexpr (std::is_unsigned_v<T>) {
    return x;
  } else if constexpr (std::is_floating_point_v<T>) {
    return std::fabs(x);
  } else {
    return x < T{0} ? negate(x) : x;
  }
}
template <typename T>
T sign(T x) {
  if (x > T{0}) return T{1};
  if constexpr (std::is_signed_v<T>) {
    if (x < T{0}) return T{-1};
  }
  return x;  // 0, -0 or NaN
}

float softplus(float x) {
  // log(1 + exp(x)) without overflow for large x: x + log(1 + exp(-x)).
  return x > 0.0f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

void register_float_math(OpRegistry& registry) {
  add_float_unary(registry, "Sigmoid", fixed([](float x) { return 1.0f / (1.0f + std::exp(-x)); }));
  add_float_unary(registry, "Tanh", fixed([](float x) { return std::tanh(x); }));
  add_float_unary(registry, "Exp", fixed([](float x) { return std::exp(x); }));
  add_float_unary(registry, "Log", fixed([](float x) { return std::log(x); }));
  add_float_unary(registry, "Sqrt", fixed([](float x) { return std::sqrt(x); }));
  add_float_unary(registry, "Reciprocal", fixed([](float x) { return 1.0f / x; }));
  add_float_unary(registry, "Floor", fixed([](float x) { return std::floor(x); }));
  add_float_unary(registry, "Ceil", fixed([](float x) { return std::ceil(x); }));
  // nearbyint rounds half to even in the default rounding mode, which ONNX Round requires.
  add_float_unary(registry, "Round", fixed([](float x) { return std::nearbyint(x); }));
  add_float_unary(registry, "Erf", fixed([](float x) { return std::erf(x); }));
  add_float_unary(registry, "Softplus", fixed(softplus));
  add_float_unary(registry, "Softsign", fixed([](float x) { return x / (1.0f + std::fabs(x)); }));
  add_float_unary(registry, "HardSwish",
                  fixed([](float x) { return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f)); }));
  add_float_unary(registry, "LeakyRelu", [](const Node& node) -> FloatFunction {
    const float alpha = node.attribute_or<float>("alpha", 0.01f);
    return [alpha](float x) { return x >= 0.0f ? x : alpha * x; };
  });
  add_float_unary(registry, "HardSigmoid", [](const Node& node) -> FloatFunction {
    const float alpha = node.attribute_or<float>("alpha", 0.2f);
    const float beta = node.attribute_or<float>("beta", 0.5f);
    return [alpha, beta](float x) { return std::max(0.0f, std::min(1.0f, alpha * x + beta)); };
  });
  add_float_unary(registry, "Elu", [](const Node& node) -> FloatFunction {
    const float alpha = node.attribute_or<float>("alpha", 1.0f);
    return [alpha](float x) { return x > 0.0f ? x : alpha * std::expm1(x); };
  });
  add_float_unary(registry, "Selu", [](const Node& node) -> FloatFunction {
    // Defaults are the float32 values of the constants in the ONNX spec.
    const float alpha = node.attribute_or<float>("alpha", 1.67326319217681884765625f);
    const float gamma = node.attribute_or<float>("gamma", 1.05070102214813232421875f);
    return [alpha, gamma](float x) { return x > 0.0f ? gamma * x : gamma * (alpha * std::exp(x) - alpha); };
  });
}

void register_integer_capable(OpRegistry& registry) {
  add_numeric_unary(registry, "Relu", kSignedTypes, [](auto x) { return relu(x); });
  add_numeric_unary(registry, "Neg", kSignedTypes, [](auto x) { return negate(x); });
  add_numeric_unary(registry, "Abs", kArithmeticTypes, [](auto x) { return absolute(x); });
  add_numeric_unary(registry, "Sign", kArithmeticTypes, [](auto x) { return sign(x); });
}

void register_not(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Not";
  def.min_inputs = def.max_inputs = 1;
  def.infer = infer_like_input(kBoolType);
  def.evaluate = [](const Node&, const std::vector<const Tensor*>& inputs) {
    const Tensor& x = *inputs[0];
    Tensor y(ElementType::kBool, x.dims());
    for (int64_t i = 0; i < x.element_count(); ++i) y.data<uint8_t>()[i] = x.data<uint8_t>()[i] == 0;
    return std::vector<Tensor>{y};
  };
  registry.add(std::move(def));
}

void register_pass_through(OpRegistry& registry) {
  OpDefinition identity;
  identity.type = "Identity";
  identity.min_inputs = identity.max_inputs = 1;
  identity.infer = infer_like_input(kAllTypes);
  // A copy, so that no output ever aliases a constant of the graph.
  identity.evaluate = [](const Node&, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{inputs[0]->clone()};
  };
  registry.add(std::move(identity));

  // Inference-only Dropout: the identity. The mask output is rejected by the frontends (max_outputs = 1), and
  // training mode is refused because it would make the output random.
  OpDefinition dropout;
  dropout.type = "Dropout";
  dropout.min_inputs = 1;
  dropout.max_inputs = 3;
  dropout.infer = [](Node& node) {
    expect_input_type(node, 0, kFloatTypes);
    if (node.has_input(2)) {
      const Tensor* training = constant_input(node, 2);
      OCTET_CHECK(training && training->element_count() == 1, ErrorCode::kUnsupported, node.label(),
                  ": training_mode must be a constant scalar (only inference is supported)");
      OCTET_CHECK(training->value_as_int64(0) == 0, ErrorCode::kUnsupported, node.label(),
                  ": training_mode=true is not supported (inference only)");
    }
    set_output(node, 0, input_type(node, 0), input_shape(node, 0));
  };
  dropout.evaluate = [](const Node&, const std::vector<const Tensor*>& inputs) {
    return std::vector<Tensor>{inputs[0]->clone()};
  };
  registry.add(std::move(dropout));
}

}  // namespace

void register_elementwise_unary_ops(OpRegistry& registry) {
  register_float_math(registry);
  register_integer_capable(registry);
  register_not(registry);
  register_pass_through(registry);
}

}  // namespace octet
