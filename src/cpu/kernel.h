// The CPU plugin's unit of execution. A Kernel is created once, at compile time, for one step of the plan
// (a graph node with its fused post-ops, or an inserted reorder): it owns its oneDNN primitive and its
// weights in the layout the primitive wants, and is shared read-only by every infer request. Each request
// binds it once to that request's buffers (bind()), so an inference is a walk over bound kernels with no
// allocation, primitive creation or graph lookup.
#pragma once

#include <dnnl.hpp>
#include <memory>
#include <span>
#include <string>

namespace octet::cpu {

// What a request lends a kernel when binding: its oneDNN engine and stream, and a scratchpad of at least
// Kernel::scratchpad_bytes() that only this request uses.
struct BindContext {
  const dnnl::engine& engine;
  dnnl::stream& stream;
  void* scratchpad = nullptr;
};

class BoundKernel {
 public:
  virtual ~BoundKernel() = default;
  virtual void execute() = 0;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Implementation and precision, as the performance counters show it: "jit_avx2_FP32", "ref_FP32".
  virtual std::string exec_type() const = 0;
  virtual size_t scratchpad_bytes() const { return 0; }
  // inputs/outputs: this request's memory of the step's runtime input and output buffers, in the layouts the
  // kernel asked for when it was chosen; valid for the life of the bound kernel.
  virtual std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                            BindContext& context) const = 0;
};

}  // namespace octet::cpu
