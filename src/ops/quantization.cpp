#include "ops/op_families.h"
#include "ops/op_registry.h"
#include "ops/quantization_ops.h"

namespace octet {

void register_quantization_ops(OpRegistry& registry) {
  register_quantize_linear_ops(registry);
  register_dynamic_quantize_linear_op(registry);
  register_fake_quantize_op(registry);
  register_integer_ops(registry);
  register_qlinear_conv_matmul_ops(registry);
  register_qlinear_binary_ops(registry);
  register_qlinear_pool_concat_ops(registry);
  register_qgemm_op(registry);
  register_qlinear_average_pool_op(registry);
  register_qlinear_lookup_op(registry);
  register_qlinear_scale_shift_op(registry);
}

}  // namespace octet
