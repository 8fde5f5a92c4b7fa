#include "kernels/onednn/onednn_batch_norm.h"

#include "kernels/onednn/onednn_primitive_kernel.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_batch_norm(const KernelRequest& request, std::string& why_not) {
  if (!is_simple_f32_request(request, why_not)) return std::nullopt;
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != 0 || node.input_count() != 5) {
    why_not = "scale, B, mean and var must be constants";
    return std::nullopt;
  }
  const BufferDesc& input = request.inputs[0];
  if (input.dims.size() < 2) {
    why_not = "needs an input with a channel axis";
    return std::nullopt;
  }
  const int64_t channels = input.dims[1];
  for (size_t i = 1; i < 5; ++i) {
    const Tensor& param = node.input(i)->constant();
    if (param.type() != ElementType::kF32 || param.dims() != Dims{channels}) {
      why_not = "parameter " + std::to_string(i) + " is not f32 of [" + std::to_string(channels) + "]";
      return std::nullopt;
    }
  }
  const float epsilon = node.attribute_or<float>("epsilon", 1e-5f);
  const auto flags = dnnl::normalization_flags::use_global_stats | dnnl::normalization_flags::use_scale |
                     dnnl::normalization_flags::use_shift;
  const auto pd = in_own_layout_or_plain<dnnl::batch_normalization_forward::primitive_desc>(
      input,
      [&](const dnnl::memory::desc& data) {
        return dnnl::batch_normalization_forward::primitive_desc(
            dnnl::batch_normalization_forward::desc(dnnl::prop_kind::forward_inference, data, epsilon, flags),
            make_primitive_attr({}), request.engine);
      },
      why_not);
  if (!pd) return std::nullopt;
  PrimitiveArguments arguments;
  arguments.inputs.push_back({DNNL_ARG_SRC, pd->src_desc()});
  arguments.outputs.push_back({DNNL_ARG_DST, pd->dst_desc()});
  const dnnl::memory::desc channel_md({channels}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a);
  const int ids[] = {DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE};  // ONNX input order
  for (size_t i = 1; i < 5; ++i) {
    arguments.constants.emplace(ids[i - 1], constant_memory(node.input(i)->constant().raw_data(), {channels},
                                                            channel_md, request.engine));
  }
  return make_primitive_choice(*pd, dnnl::batch_normalization_forward(*pd), std::move(arguments), 0);
}

}  // namespace octet::cpu
