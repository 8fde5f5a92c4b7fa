#include "kernels/onednn/int8_loop_kernel.h"

namespace octet::cpu {
namespace {

class BoundLoop : public BoundKernel {
 public:
  BoundLoop(const Int8LoopKernel& kernel, std::span<void* const> inputs, std::span<void* const> outputs)
      : kernel_(kernel), inputs_(inputs.begin(), inputs.end()), outputs_(outputs.begin(), outputs.end()) {}
  void execute() override { kernel_.run(inputs_, outputs_); }

 private:
  const Int8LoopKernel& kernel_;
  std::vector<const void*> inputs_;
  std::vector<void*> outputs_;
};

}  // namespace

std::unique_ptr<BoundKernel> Int8LoopKernel::bind(std::span<void* const> inputs,
                                                  std::span<void* const> outputs,
                                                  BindContext& /*context*/) const {
  return std::make_unique<BoundLoop>(*this, inputs, outputs);
}

}  // namespace octet::cpu
