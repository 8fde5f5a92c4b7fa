#include "cpu/post_ops.h"

#include <algorithm>
#include <cmath>

#include "octet/error.h"

namespace octet::cpu {

dnnl::primitive_attr make_primitive_attr(const PostOps& post_ops) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::post_ops ops;
  for (const PostOp& op : post_ops) {
    OCTET_CHECK(op.kind != PostOp::Kind::kQuantizedSum, ErrorCode::kInternal, "post-op of '", op.absorbed,
                "': a quantized sum has no plain oneDNN form (only the int8 convolution builds it)");
    if (op.kind == PostOp::Kind::kSum) {
      ops.append_sum(1.0f);
    } else {
      ops.append_eltwise(1.0f, op.algorithm, op.alpha, op.beta);
    }
  }
  attr.set_post_ops(ops);
  return attr;
}

float apply_eltwise(dnnl::algorithm algorithm, float alpha, float beta, float y) {
  using alg = dnnl::algorithm;
  switch (algorithm) {
    case alg::eltwise_relu:
      return y > 0 ? y : alpha * y;
    case alg::eltwise_clip:
      return std::min(std::max(y, alpha), beta);
    case alg::eltwise_logistic:
      return 1.0f / (1.0f + std::exp(-y));
    case alg::eltwise_tanh:
      return std::tanh(y);
    case alg::eltwise_elu:
      return y > 0 ? y : alpha * (std::exp(y) - 1.0f);
    case alg::eltwise_hardswish:
      return y * std::min(std::max(y + 3.0f, 0.0f), 6.0f) / 6.0f;
    case alg::eltwise_swish:
      return y / (1.0f + std::exp(-alpha * y));
    case alg::eltwise_linear:
      return alpha * y + beta;
    case alg::eltwise_abs:
      return std::fabs(y);
    case alg::eltwise_exp:
      return std::exp(y);
    default:
      fail(ErrorCode::kInternal, "apply_eltwise: algorithm ", static_cast<int>(algorithm), " not handled");
  }
}

}  // namespace octet::cpu
