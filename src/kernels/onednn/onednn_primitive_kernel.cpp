#include "kernels/onednn/onednn_primitive_kernel.h"

#include "cpu/buffer_desc.h"
#include "kernels/onednn/onednn_primitive.h"

namespace octet::cpu {

PrimitiveKernel::PrimitiveKernel(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
                                 PrimitiveArguments arguments, std::string exec_type)
    : primitive_(std::move(primitive)),
      arguments_(std::move(arguments)),
      scratchpad_(pd.scratchpad_desc()),
      exec_type_(std::move(exec_type)) {}

std::unique_ptr<BoundKernel> PrimitiveKernel::bind(std::span<void* const> inputs,
                                                   std::span<void* const> outputs,
                                                   BindContext& context) const {
  std::unordered_map<int, dnnl::memory> args = arguments_.constants;
  for (size_t i = 0; i < arguments_.inputs.size(); ++i) {
    const PrimitiveArgument& argument = arguments_.inputs[i];
    args.emplace(argument.id, dnnl::memory(argument.desc, context.engine, inputs[i]));
  }
  for (size_t i = 0; i < arguments_.outputs.size(); ++i) {
    const PrimitiveArgument& argument = arguments_.outputs[i];
    args.emplace(argument.id, dnnl::memory(argument.desc, context.engine, outputs[i]));
  }
  if (scratchpad_.get_size() > 0) args.emplace(DNNL_ARG_SCRATCHPAD, scratchpad_memory(scratchpad_, context));
  return std::make_unique<BoundPrimitive>(primitive_, context.stream, std::move(args));
}

KernelChoice make_primitive_choice(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
                                   PrimitiveArguments arguments, int in_place_input) {
  KernelChoice choice;
  for (const PrimitiveArgument& input : arguments.inputs)
    choice.inputs.push_back(BufferDesc::from_dnnl(ElementType::kF32, input.desc));
  for (const PrimitiveArgument& output : arguments.outputs)
    choice.outputs.push_back(BufferDesc::from_dnnl(ElementType::kF32, output.desc));
  choice.in_place_input = in_place_input;
  choice.kernel = std::make_shared<PrimitiveKernel>(pd, std::move(primitive), std::move(arguments),
                                                    onednn_exec_type(pd, ElementType::kF32));
  return choice;
}

dnnl::memory constant_memory(const void* value, const dnnl::memory::dims& dims,
                             const dnnl::memory::desc& desc, const dnnl::engine& engine) {
  const dnnl::memory::desc plain(dims, dnnl::memory::data_type::f32, plain_tag(dims.size()));
  dnnl::memory source(plain, engine, const_cast<void*>(value));
  dnnl::memory target(desc, engine);
  dnnl::stream stream(engine);
  dnnl::reorder(source, target).execute(stream, source, target);
  stream.wait();
  return target;
}

bool is_simple_f32_request(const KernelRequest& request, std::string& why_not) {
  if (!request.post_ops.empty()) {
    why_not = "post-ops are not supported";
    return false;
  }
  for (const BufferDesc& input : request.inputs) {
    if (input.type != ElementType::kF32) {
      why_not = "only f32 inputs, got " + std::string(to_string(input.type));
      return false;
    }
    if (!input.has_dnnl_desc()) {
      why_not = "an input is a scalar or empty (" + to_string(input.dims) + ")";
      return false;
    }
  }
  for (const BufferDesc& output : request.outputs) {
    if (output.type != ElementType::kF32 || !output.has_dnnl_desc()) {
      why_not = "only non-empty f32 outputs";
      return false;
    }
  }
  return true;
}

}  // namespace octet::cpu
