#include "kernels/onednn/onednn_lrn.h"

#include "kernels/onednn/onednn_primitive_kernel.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_lrn(const KernelRequest& request, std::string& why_not) {
  if (!is_simple_f32_request(request, why_not)) return std::nullopt;
  if (request.inputs.size() != 1) {
    why_not = "needs one runtime input";
    return std::nullopt;
  }
  const Node& node = request.node;
  const int64_t size = node.attribute<int64_t>("size");
  if (size < 1 || size % 2 == 0) {
    why_not = "size " + std::to_string(size) + ": oneDNN's window matches ONNX's only for odd sizes";
    return std::nullopt;
  }
  const float alpha = node.attribute_or<float>("alpha", 0.0001f);
  const float beta = node.attribute_or<float>("beta", 0.75f);
  const float bias = node.attribute_or<float>("bias", 1.0f);
  const auto pd = in_own_layout_or_plain<dnnl::lrn_forward::primitive_desc>(
      request.inputs[0],
      [&](const dnnl::memory::desc& data) {
        return dnnl::lrn_forward::primitive_desc(
            dnnl::lrn_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::lrn_across_channels,
                                    data, size, alpha, beta, bias),
            make_primitive_attr({}), request.engine);
      },
      why_not);
  if (!pd) return std::nullopt;
  PrimitiveArguments arguments;
  arguments.inputs.push_back({DNNL_ARG_SRC, pd->src_desc()});
  arguments.outputs.push_back({DNNL_ARG_DST, pd->dst_desc()});
  return make_primitive_choice(*pd, dnnl::lrn_forward(*pd), std::move(arguments));
}

}  // namespace octet::cpu
