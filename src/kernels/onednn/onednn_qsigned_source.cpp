#include "kernels/onednn/onednn_qsigned_source.h"

#include <vector>

#include "kernels/onednn/onednn_primitive.h"

namespace octet::cpu {
namespace {

constexpr size_t kAlignment = 64;

size_t aligned(size_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

class BoundShifted : public BoundKernel {
 public:
  BoundShifted(const dnnl::primitive& shift, dnnl::stream& stream, std::unordered_map<int, dnnl::memory> args,
               std::unique_ptr<BoundKernel> inner)
      : shift_(shift), stream_(stream), args_(std::move(args)), inner_(std::move(inner)) {}
  void execute() override {
    shift_.execute(stream_, args_);
    inner_->execute();
  }

 private:
  const dnnl::primitive& shift_;
  dnnl::stream& stream_;
  std::unordered_map<int, dnnl::memory> args_;
  std::unique_ptr<BoundKernel> inner_;
};

class SignedSourceKernel : public Kernel {
 public:
  SignedSourceKernel(std::shared_ptr<const Kernel> inner, const dnnl::memory::desc& s8_source,
                     const dnnl::memory::desc& u8_source, const dnnl::engine& engine)
      : inner_(std::move(inner)), s8_(s8_source), u8_(u8_source) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    attr.set_zero_points(DNNL_ARG_DST, 0, {DNNL_RUNTIME_S32_VAL});
    pd_ = dnnl::reorder::primitive_desc(engine, s8_, engine, u8_, attr);
    shift_ = dnnl::reorder(pd_);
    zero_point_ = dnnl::memory({{1}, dnnl::memory::data_type::s32, dnnl::memory::format_tag::x}, engine);
    *static_cast<int32_t*>(zero_point_.get_data_handle()) = 128;
  }

  std::string exec_type() const override { return inner_->exec_type(); }
  // [inner kernel's scratchpad | the shifted source | the reorder's scratchpad]
  size_t scratchpad_bytes() const override {
    return aligned(inner_->scratchpad_bytes()) + aligned(u8_.get_size()) + pd_.scratchpad_desc().get_size();
  }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override {
    auto* base = static_cast<char*>(context.scratchpad);
    void* shifted = base + aligned(inner_->scratchpad_bytes());
    void* own_scratchpad = static_cast<char*>(shifted) + aligned(u8_.get_size());
    BindContext inner_context{context.engine, context.stream, base};
    std::vector<void*> inner_inputs(inputs.begin(), inputs.end());
    inner_inputs[0] = shifted;
    std::unique_ptr<BoundKernel> inner = inner_->bind(inner_inputs, outputs, inner_context);
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_FROM, dnnl::memory(s8_, context.engine, inputs[0])},
        {DNNL_ARG_TO, dnnl::memory(u8_, context.engine, shifted)},
        {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST, zero_point_},
        {DNNL_ARG_SCRATCHPAD, dnnl::memory(pd_.scratchpad_desc(), context.engine, own_scratchpad)}};
    return std::make_unique<BoundShifted>(shift_, context.stream, std::move(args), std::move(inner));
  }

 private:
  std::shared_ptr<const Kernel> inner_;
  dnnl::memory::desc s8_, u8_;
  dnnl::reorder::primitive_desc pd_;
  dnnl::reorder shift_;
  dnnl::memory zero_point_;
};

}  // namespace

std::shared_ptr<const Kernel> make_signed_source_kernel(std::shared_ptr<const Kernel> inner,
                                                        const dnnl::memory::desc& s8_source,
                                                        const dnnl::memory::desc& u8_source,
                                                        const dnnl::engine& engine) {
  return std::make_shared<SignedSourceKernel>(std::move(inner), s8_source, u8_source, engine);
}

}  // namespace octet::cpu
