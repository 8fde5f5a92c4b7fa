#include "kernels/onednn/onednn_fused_kernel.h"

#include <cstring>

#include "kernels/onednn/onednn_primitive.h"

namespace octet::cpu {
namespace {

// Puts the sum operand into dst before the primitive accumulates onto it.
class BoundWithSumOperand : public BoundPrimitive {
 public:
  BoundWithSumOperand(const dnnl::primitive& primitive, dnnl::stream& stream,
                      std::unordered_map<int, dnnl::memory> args, const void* operand, void* dst,
                      size_t bytes)
      : BoundPrimitive(primitive, stream, std::move(args)), operand_(operand), dst_(dst), bytes_(bytes) {}
  void execute() override {
    std::memcpy(dst_, operand_, bytes_);
    BoundPrimitive::execute();
  }

 private:
  const void* operand_;
  void* dst_;
  size_t bytes_;
};

}  // namespace

FusedPrimitiveKernel::FusedPrimitiveKernel(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
                                           ElementType precision,
                                           std::vector<RuntimeArgument> runtime_arguments,
                                           std::unordered_map<int, dnnl::memory> constant_arguments,
                                           std::optional<size_t> sum_input)
    : primitive_(std::move(primitive)),
      dst_(pd.dst_desc()),
      scratchpad_(pd.scratchpad_desc()),
      runtime_arguments_(std::move(runtime_arguments)),
      constant_arguments_(std::move(constant_arguments)),
      sum_input_(sum_input),
      exec_type_(onednn_exec_type(pd, precision)) {}

std::unique_ptr<BoundKernel> FusedPrimitiveKernel::bind(std::span<void* const> inputs,
                                                        std::span<void* const> outputs,
                                                        BindContext& context) const {
  std::unordered_map<int, dnnl::memory> args = constant_arguments_;
  for (const RuntimeArgument& argument : runtime_arguments_)
    args.emplace(argument.arg, dnnl::memory(argument.desc, context.engine, inputs[argument.input]));
  args.emplace(DNNL_ARG_DST, dnnl::memory(dst_, context.engine, outputs[0]));
  args.emplace(DNNL_ARG_SCRATCHPAD, scratchpad_memory(scratchpad_, context));
  const void* operand = sum_input_ ? inputs[*sum_input_] : nullptr;
  if (operand && operand != outputs[0]) {
    return std::make_unique<BoundWithSumOperand>(primitive_, context.stream, std::move(args), operand,
                                                 outputs[0], dst_.get_size());
  }
  return std::make_unique<BoundPrimitive>(primitive_, context.stream, std::move(args));
}

std::optional<size_t> sum_post_op_input(const PostOps& post_ops) {
  for (const PostOp& op : post_ops) {
    if (op.kind == PostOp::Kind::kSum) return op.sum_input;
  }
  return std::nullopt;
}

dnnl::memory pack_constant(const dnnl::memory::desc& plain, const void* data,
                           const dnnl::memory::desc& packed, const dnnl::engine& engine) {
  dnnl::memory source(plain, engine, const_cast<void*>(data));
  dnnl::memory target(packed, engine);
  dnnl::stream stream(engine);
  dnnl::reorder(source, target).execute(stream, source, target);
  stream.wait();
  return target;
}

}  // namespace octet::cpu
