#include "kernels/onednn/onednn_transpose.h"

#include <algorithm>

#include "kernels/onednn/onednn_primitive.h"
#include "kernels/onednn/onednn_primitive_kernel.h"
#include "ops/op_helpers.h"

namespace octet::cpu {
namespace {

// ONNX's perm (output axis j reads input axis perm[j]; default: reversed axes), or nullopt if malformed.
std::optional<std::vector<int64_t>> permutation(const Node& node, size_t rank) {
  std::vector<int64_t> perm(rank);
  for (size_t i = 0; i < rank; ++i) perm[i] = static_cast<int64_t>(rank - 1 - i);
  perm = node.attribute_or<std::vector<int64_t>>("perm", perm);
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != static_cast<int64_t>(i)) return std::nullopt;
  }
  if (perm.size() != rank) return std::nullopt;
  return perm;
}

}  // namespace

std::optional<KernelChoice> create_onednn_transpose(const KernelRequest& request, std::string& why_not) {
  // A transpose only moves bytes, so u8/i8 tensors (a quantized int8 island) take the same reorder.
  const bool int8 =
      request.inputs.size() == 1 && request.post_ops.empty() && request.inputs[0].has_dnnl_desc() &&
      (request.inputs[0].type == ElementType::kU8 || request.inputs[0].type == ElementType::kI8) &&
      request.outputs[0].type == request.inputs[0].type && request.outputs[0].has_dnnl_desc();
  if (!int8 && !is_simple_f32_request(request, why_not)) return std::nullopt;
  if (request.inputs.size() != 1) {
    // A constant data input (e.g. a transposed int8 weight the passes did not fold) has no runtime buffer.
    why_not = "needs one runtime input";
    return std::nullopt;
  }
  const BufferDesc& input = request.inputs[0];
  const BufferDesc& output = request.outputs[0];
  const auto perm = permutation(request.node, input.dims.size());
  if (!perm) {
    why_not = "perm is not a permutation of the input's axes";
    return std::nullopt;
  }
  // Input axis perm[j] is output axis j, so it advances by output axis j's stride.
  const Dims out_strides = strides_of(output.dims);
  dnnl::memory::dims strides(input.dims.size());
  for (size_t j = 0; j < perm->size(); ++j) strides[static_cast<size_t>((*perm)[j])] = out_strides[j];
  const dnnl::memory::desc permuted(to_dnnl_dims(input.dims), to_dnnl(input.type), strides);
  const auto pd = in_own_layout_or_plain<dnnl::reorder::primitive_desc>(
      input,
      [&](const dnnl::memory::desc& source) {
        return dnnl::reorder::primitive_desc(request.engine, source, request.engine, permuted,
                                             make_primitive_attr({}));
      },
      why_not);
  if (!pd) return std::nullopt;
  PrimitiveArguments arguments;
  arguments.inputs.push_back({DNNL_ARG_FROM, pd->src_desc()});
  arguments.outputs.push_back({DNNL_ARG_TO, permuted});
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::from_dnnl(input.type, pd->src_desc()));
  choice.outputs.push_back(output);
  choice.kernel =
      std::make_shared<PrimitiveKernel>(*pd, dnnl::reorder(*pd), std::move(arguments),
                                        onednn_exec_type(*pd, int8 ? ElementType::kI8 : ElementType::kF32));
  return choice;
}

}  // namespace octet::cpu
