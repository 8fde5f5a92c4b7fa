#include "ops/op_families.h"
#include "ops/op_registry.h"

namespace octet {

void register_shape_ops(OpRegistry& /*registry*/) {}

}  // namespace octet
