#include "kernels/onednn/onednn_softmax.h"

#include "kernels/onednn/onednn_primitive_kernel.h"
#include "ops/op_helpers.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_softmax(const KernelRequest& request, std::string& why_not) {
  if (!is_simple_f32_request(request, why_not)) return std::nullopt;
  if (request.inputs.size() != 1) {
    why_not = "needs one runtime input";
    return std::nullopt;
  }
  const Node& node = request.node;
  if (node.op_type() != "Softmax" && node.op_type() != "LogSoftmax") {
    why_not = "not a softmax";
    return std::nullopt;
  }
  const dnnl::algorithm algorithm =
      node.op_type() == "Softmax" ? dnnl::algorithm::softmax_accurate : dnnl::algorithm::softmax_log;
  const BufferDesc& input = request.inputs[0];
  const auto rank = static_cast<int64_t>(input.dims.size());
  const int axis = static_cast<int>(normalize_axis(node, node.attribute_or<int64_t>("axis", -1), rank));
  const auto pd = in_own_layout_or_plain<dnnl::softmax_v2_forward::primitive_desc>(
      input,
      [&](const dnnl::memory::desc& data) {
        return dnnl::softmax_v2_forward::primitive_desc(
            dnnl::softmax_v2_forward::desc(dnnl::prop_kind::forward_inference, algorithm, data, data, axis),
            make_primitive_attr({}), request.engine);
      },
      why_not);
  if (!pd) return std::nullopt;
  PrimitiveArguments arguments;
  arguments.inputs.push_back({DNNL_ARG_SRC, pd->src_desc()});
  arguments.outputs.push_back({DNNL_ARG_DST, pd->dst_desc()});
  return make_primitive_choice(*pd, dnnl::softmax_v2_forward(*pd), std::move(arguments));
}

}  // namespace octet::cpu
