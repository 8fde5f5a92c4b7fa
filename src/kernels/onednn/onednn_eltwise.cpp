#include "kernels/onednn/onednn_eltwise.h"

#include "cpu/fuse_post_ops.h"
#include "kernels/onednn/onednn_primitive_kernel.h"

namespace octet::cpu {
namespace {

// The activations a post-op can be (eltwise_form) plus the unary math that only runs standalone. Each
// mapping was checked against the op's reference evaluation (tests/cpu/eltwise_kernel_test.cpp); ops whose
// oneDNN 2.6 counterpart computes something else (HardSigmoid has none, Selu's has another form) stay out.
std::optional<EltwiseForm> standalone_eltwise_form(const Node& node) {
  using alg = dnnl::algorithm;
  if (const auto form = eltwise_form(node)) return form;
  const std::string& type = node.op_type();
  if (type == "Sqrt") return EltwiseForm{alg::eltwise_sqrt};
  if (type == "Log") return EltwiseForm{alg::eltwise_log};
  if (type == "Softplus")
    return EltwiseForm{alg::eltwise_soft_relu};  // log(1 + exp(x)), no parameters in 2.6
  if (type == "Neg") return EltwiseForm{alg::eltwise_linear, -1.0f, 0.0f};
  if (type == "Reciprocal") return EltwiseForm{alg::eltwise_pow, 1.0f, -1.0f};  // alpha * x^beta
  if (type == "Round") return EltwiseForm{alg::eltwise_round};                  // half to even, as ONNX
  return std::nullopt;
}

}  // namespace

std::optional<KernelChoice> create_onednn_eltwise(const KernelRequest& request, std::string& why_not) {
  if (!is_simple_f32_request(request, why_not)) return std::nullopt;
  if (request.inputs.size() != 1 || request.input_indices[0] != 0) {
    why_not = "needs exactly one runtime input (Clip limits must be constants)";
    return std::nullopt;
  }
  const auto form = standalone_eltwise_form(request.node);
  if (!form) {
    why_not = "no oneDNN eltwise algorithm computes " + request.node.op_type() + " with these inputs";
    return std::nullopt;
  }
  const auto pd = in_own_layout_or_plain<dnnl::eltwise_forward::primitive_desc>(
      request.inputs[0],
      [&](const dnnl::memory::desc& data) {
        return dnnl::eltwise_forward::primitive_desc(
            dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, form->algorithm, data,
                                        form->alpha, form->beta),
            make_primitive_attr({}), request.engine);
      },
      why_not);
  if (!pd) return std::nullopt;
  PrimitiveArguments arguments;
  arguments.inputs.push_back({DNNL_ARG_SRC, pd->src_desc()});
  arguments.outputs.push_back({DNNL_ARG_DST, pd->dst_desc()});
  // oneDNN eltwise may overwrite its source: the planner reuses the input's memory when it dies here.
  return make_primitive_choice(*pd, dnnl::eltwise_forward(*pd), std::move(arguments), 0);
}

}  // namespace octet::cpu
