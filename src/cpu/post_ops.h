// Work fused into a kernel's output, oneDNN post-op style (fusion is data, not new kernel classes): a
// convolution followed by ReLU and a residual Add is one kernel with the post-ops [sum(input 1),
// eltwise(relu)]. `absorbed` names the graph nodes each post-op replaced, for the performance counters.
#pragma once

#include <cstdint>
#include <dnnl.hpp>
#include <string>
#include <vector>

namespace octet::cpu {

// The quantization parameters of a fused QLinearAdd C = A + B: `a` is the head's output, `b` the operand.
struct QuantizedSumParams {
  float a_scale = 1;
  int32_t a_zero = 0;
  float b_scale = 1;
  int32_t b_zero = 0;
  float c_scale = 1;
  int32_t c_zero = 0;
};

struct PostOp {
  enum class Kind {
    kEltwise,  // y = f(y) with oneDNN's eltwise algorithm, alpha, beta
    kSum,      // y += input[sum_input] (same dims and layout as y): a residual Add
    // y = QLinearAdd(y, input[sum_input]) on u8/i8 tensors with the parameters in `quantized_sum`: the
    // residual Add of an int8 network, fused only by the int8 convolution (other kernels decline it).
    kQuantizedSum,
  };
  Kind kind = Kind::kEltwise;
  dnnl::algorithm algorithm = dnnl::algorithm::undef;
  float alpha = 0;
  float beta = 0;
  size_t sum_input = 0;                // index into the kernel's runtime inputs
  std::string absorbed;                // name of the graph node this post-op replaced
  QuantizedSumParams quantized_sum{};  // kQuantizedSum only
};

// Both sum kinds read a runtime operand (input[sum_input]) and accumulate into y in place.
inline bool reads_sum_operand(const PostOp& op) {
  return op.kind == PostOp::Kind::kSum || op.kind == PostOp::Kind::kQuantizedSum;
}

using PostOps = std::vector<PostOp>;

// The oneDNN attribute for a list of post-ops (scratchpad is user-managed: every request owns its own).
dnnl::primitive_attr make_primitive_attr(const PostOps& post_ops);

// y = f(y) for one element, as oneDNN computes the eltwise algorithms used in post-ops (for kernels that
// apply post-ops themselves, e.g. the reference fallback).
float apply_eltwise(dnnl::algorithm algorithm, float alpha, float beta, float y);

}  // namespace octet::cpu
