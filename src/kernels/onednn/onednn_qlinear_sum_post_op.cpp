#include "kernels/onednn/onednn_qlinear_sum_post_op.h"

#include "cpu/buffer_desc.h"

namespace octet::cpu {

dnnl::post_ops quantized_sum_post_ops(const QuantizedSumParams& params, ElementType a_type, int32_t a_zero,
                                      ElementType b_type) {
  const bool a_unsigned = a_type == ElementType::kU8;
  const float a_low = (a_unsigned ? 0.0f : -128.0f) - static_cast<float>(a_zero);
  const float a_high = (a_unsigned ? 255.0f : 127.0f) - static_cast<float>(a_zero);
  dnnl::post_ops ops;
  ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_round, 0.0f, 0.0f);
  ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, a_low, a_high);
  ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, params.a_scale / params.c_scale, 0.0f);
  ops.append_sum(params.b_scale / params.c_scale, params.b_zero, to_dnnl(b_type));
  if (params.c_zero % 2 != 0) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_round, 0.0f, 0.0f);
  return ops;
}

}  // namespace octet::cpu
