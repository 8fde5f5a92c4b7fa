#include "kernels/ref/constant_kernel.h"

#include <cstring>

#include "cpu/kernel_factory.h"

namespace octet::cpu {
namespace {

class ConstantKernel : public Kernel {
 public:
  explicit ConstantKernel(Tensor value) : value_(std::move(value)) {}
  std::string exec_type() const override { return "constant_" + precision_name(value_.type()); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const>, std::span<void* const> outputs,
                                    BindContext&) const override {
    struct Bound : BoundKernel {
      const Tensor& value;
      void* to;
      Bound(const Tensor& v, void* t) : value(v), to(t) {}
      void execute() override { std::memcpy(to, value.raw_data(), value.byte_size()); }
    };
    return std::make_unique<Bound>(value_, outputs[0]);
  }

 private:
  Tensor value_;
};

}  // namespace

std::shared_ptr<const Kernel> make_constant_kernel(const Tensor& value) {
  return std::make_shared<ConstantKernel>(value);
}

}  // namespace octet::cpu
