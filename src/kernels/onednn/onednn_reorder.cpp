#include "kernels/onednn/onednn_reorder.h"

#include <cstring>

#include "cpu/kernel_factory.h"
#include "kernels/onednn/onednn_primitive.h"
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

// Same bytes, no oneDNN descriptor (i64, bool, scalars): a copy.
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
      void execute() override { std::memcpy(to, from, bytes); }
    };
    return std::make_unique<Bound>(inputs[0], outputs[0], bytes_);
  }

 private:
  size_t bytes_;
  ElementType type_;
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
  return std::make_shared<CopyKernel>(source.byte_size(), source.type);
}

}  // namespace octet::cpu
