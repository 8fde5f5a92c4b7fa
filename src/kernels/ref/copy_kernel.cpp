#include "kernels/ref/copy_kernel.h"

#include <cstring>

namespace octet::cpu {
namespace {

class CopyKernel : public Kernel {
 public:
  CopyKernel(size_t bytes, ElementType type) : bytes_(bytes), type_(type) {}
  std::string exec_type() const override { return "copy_" + precision_name(type_); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext&) const override {
    struct Bound : BoundKernel {
      const void* from;
      void* to;
      size_t bytes;
      Bound(const void* f, void* t, size_t b) : from(f), to(t), bytes(b) {}
      void execute() override {
        if (from != to) std::memcpy(to, from, bytes);  // in place: nothing to move
      }
    };
    return std::make_unique<Bound>(inputs[0], outputs[0], bytes_);
  }

 private:
  size_t bytes_;
  ElementType type_;
};

bool changes_only_dims(const std::string& type) {
  return type == "Reshape" || type == "Flatten" || type == "Squeeze" || type == "Unsqueeze" ||
         type == "Identity" || type == "Dropout";
}

}  // namespace

std::shared_ptr<const Kernel> make_byte_copy_kernel(size_t bytes, ElementType type) {
  return std::make_shared<CopyKernel>(bytes, type);
}

std::optional<KernelChoice> create_copy_kernel(const KernelRequest& request, std::string& why_not) {
  if (!changes_only_dims(request.node.op_type())) {
    why_not = "not a reshape-like op";
    return std::nullopt;
  }
  if (!request.post_ops.empty()) {
    why_not = "post-ops are not supported";
    return std::nullopt;
  }
  if (request.inputs.size() != 1 || request.input_indices[0] != 0 || request.outputs.size() != 1) {
    why_not = "needs the data as the only runtime input (shape / axes must be constants)";
    return std::nullopt;
  }
  const BufferDesc& input = request.inputs[0];
  const BufferDesc& output = request.outputs[0];
  if (input.type != output.type || element_count(input.dims) != element_count(output.dims)) {
    why_not = "input and output differ in type or element count";
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::plain(input.type, input.dims));
  choice.outputs.push_back(BufferDesc::plain(output.type, output.dims));
  choice.in_place_input = 0;
  choice.kernel = std::make_shared<CopyKernel>(choice.inputs[0].byte_size(), input.type);
  return choice;
}

}  // namespace octet::cpu
