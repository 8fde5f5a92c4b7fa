#include "graph/constant_values.h"

namespace octet {

bool is_f32_constant(const Value* value) {
  return value && value->is_constant() && value->constant().type() == ElementType::kF32;
}

std::optional<float> scalar_constant(const Value* value) {
  if (!value || !value->is_constant() || value->constant().element_count() != 1) return std::nullopt;
  return static_cast<float>(value->constant().value_as_double(0));
}

}  // namespace octet
