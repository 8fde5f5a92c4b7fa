// The kernel shape shared by the compute-heavy oneDNN wrappers (convolution, deconvolution, inner product,
// matmul, pooling): one primitive created at compile time, constant arguments (packed weights, bias) prepared
// once, runtime arguments bound per request, and the residual operand of a sum post-op placed in dst before
// the primitive adds to it (a copy only when the memory planner could not put dst over the operand).
#pragma once

#include <dnnl.hpp>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpu/kernel.h"
#include "cpu/post_ops.h"
#include "octet/element_type.h"

namespace octet::cpu {

// One argument the primitive reads from a runtime input of the kernel.
struct RuntimeArgument {
  int arg = DNNL_ARG_SRC;   // DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, ...
  dnnl::memory::desc desc;  // how the primitive reads it (may view the buffer with other dims, same bytes)
  size_t input = 0;         // index into the kernel's runtime inputs
};

class FusedPrimitiveKernel : public Kernel {
 public:
  // `primitive` was created from `pd` with a user-managed scratchpad; dst is runtime output 0 read as
  // pd.dst_desc(). sum_input: the runtime input holding the sum post-op's operand, if any.
  FusedPrimitiveKernel(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive, ElementType precision,
                       std::vector<RuntimeArgument> runtime_arguments,
                       std::unordered_map<int, dnnl::memory> constant_arguments,
                       std::optional<size_t> sum_input);

  std::string exec_type() const override { return exec_type_; }
  size_t scratchpad_bytes() const override { return scratchpad_.get_size(); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override;

 private:
  dnnl::primitive primitive_;
  dnnl::memory::desc dst_;
  dnnl::memory::desc scratchpad_;
  std::vector<RuntimeArgument> runtime_arguments_;
  std::unordered_map<int, dnnl::memory> constant_arguments_;
  std::optional<size_t> sum_input_;
  std::string exec_type_;
};

// The runtime input of the (single) sum post-op, if the list has one.
std::optional<size_t> sum_post_op_input(const PostOps& post_ops);

// A new memory in layout `packed` holding the constant `data` laid out as `plain` (one reorder, at compile
// time: weights go into the blocked layout the primitive reads fastest).
dnnl::memory pack_constant(const dnnl::memory::desc& plain, const void* data,
                           const dnnl::memory::desc& packed, const dnnl::engine& engine);

}  // namespace octet::cpu
