#include "kernels/onednn/onednn_reorder.h"

#include "cpu/kernel_factory.h"
#include "kernels/onednn/onednn_primitive.h"
#include "kernels/ref/copy_kernel.h"
#include "octet/error.h"

namespace octet::cpu {
namespace {

class ReorderKernel : public Kernel {
 public:
  ReorderKernel(const BufferDesc& source, const BufferDesc& target, const dnnl::engine& engine)
      : source_(source.md), target_(target.md), precision_(target.type) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    pd_ = dnnl::reorder::primitive_desc(engine, source.md, engine, target.md, attr);
    primitive_ = dnnl::reorder(pd_);
  }
  std::string exec_type() const override { return "reorder_" + precision_name(precision_); }
  size_t scratchpad_bytes() const override { return pd_.scratchpad_desc().get_size(); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override {
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_FROM, dnnl::memory(source_, context.engine, inputs[0])},
        {DNNL_ARG_TO, dnnl::memory(target_, context.engine, outputs[0])},
        {DNNL_ARG_SCRATCHPAD, scratchpad_memory(pd_.scratchpad_desc(), context)}};
    return std::make_unique<BoundPrimitive>(primitive_, context.stream, std::move(args));
  }

 private:
  dnnl::memory::desc source_, target_;
  ElementType precision_;
  dnnl::reorder::primitive_desc pd_;
  dnnl::reorder primitive_;
};

}  // namespace

std::shared_ptr<const Kernel> make_reorder_kernel(const BufferDesc& source, const BufferDesc& target,
                                                  const dnnl::engine& engine) {
  OCTET_CHECK(source.dims == target.dims, ErrorCode::kInternal, "reorder between dims ",
              to_string(source.dims), " and ", to_string(target.dims));
  if (source.has_dnnl_desc() && target.has_dnnl_desc())
    return std::make_shared<ReorderKernel>(source, target, engine);
  OCTET_CHECK(source.type == target.type && source.is_plain() && target.is_plain(), ErrorCode::kInternal,
              "cannot convert a ", to_string(source.type), " buffer to ", to_string(target.type));
  return make_byte_copy_kernel(source.byte_size(), source.type);
}

}  // namespace octet::cpu
