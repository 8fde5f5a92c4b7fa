#include "ops/op_families.h"
#include "ops/op_registry.h"

namespace octet {

void register_matmul_ops(OpRegistry& /*registry*/) {}

}  // namespace octet
