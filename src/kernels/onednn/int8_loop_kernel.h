// The shape of the int8 kernels that are plain loops of ours rather than a oneDNN primitive (QLinearAdd /
// QLinearMul, QLinearConcat, QLinearGlobalAveragePool): everything is decided at compile time, binding only
// remembers the request's buffers, and execute() runs the loop on them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cpu/kernel.h"

namespace octet::cpu {

class Int8LoopKernel : public Kernel {
 public:
  explicit Int8LoopKernel(std::string exec_type) : exec_type_(std::move(exec_type)) {}
  std::string exec_type() const override { return exec_type_; }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override;
  // One inference: reads `inputs`, writes `outputs` (the runtime buffers in the layouts the kernel chose).
  virtual void run(std::span<const void* const> inputs, std::span<void* const> outputs) const = 0;

 private:
  std::string exec_type_;
};

// Calls f(x, y) with x, y typed as int8_t buffers when `is_signed`, else as uint8_t ones: the loops of the
// kernels that read and write one 8-bit type (pooling) are written once as templates.
template <typename F>
void with_8bit_buffers(bool is_signed, const void* x, void* y, F&& f) {
  if (is_signed) {
    f(static_cast<const int8_t*>(x), static_cast<int8_t*>(y));
  } else {
    f(static_cast<const uint8_t*>(x), static_cast<uint8_t*>(y));
  }
}

}  // namespace octet::cpu
