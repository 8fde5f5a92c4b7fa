#include "kernels/onednn/onednn_concat.h"

#include "kernels/onednn/onednn_primitive_kernel.h"
#include "ops/op_helpers.h"

namespace octet::cpu {
namespace {

// The concat of `sources` along `axis`, writing `dst` (or a layout oneDNN picks when dst is a zero desc).
std::optional<dnnl::concat::primitive_desc> try_concat(const std::vector<dnnl::memory::desc>& sources,
                                                       int axis, const dnnl::memory::desc& dst,
                                                       const dnnl::engine& engine, std::string& why_not) {
  try {
    const dnnl::primitive_attr attr = make_primitive_attr({});
    if (dst.data.ndims == 0) return dnnl::concat::primitive_desc(axis, sources, engine, attr);
    return dnnl::concat::primitive_desc(dst, axis, sources, engine, attr);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
}

bool all_same_layout(const std::vector<BufferDesc>& inputs) {
  for (const BufferDesc& input : inputs) {
    if (input.layout_name() != inputs[0].layout_name()) return false;
  }
  return true;
}

}  // namespace

std::optional<KernelChoice> create_onednn_concat(const KernelRequest& request, std::string& why_not) {
  if (!is_simple_f32_request(request, why_not)) return std::nullopt;
  const Node& node = request.node;
  if (request.inputs.size() != node.input_count()) {
    why_not = "a constant input (only runtime inputs are supported)";
    return std::nullopt;
  }
  const auto rank = static_cast<int64_t>(request.outputs[0].dims.size());
  const int axis = static_cast<int>(normalize_axis(node, node.attribute<int64_t>("axis"), rank));

  std::optional<dnnl::concat::primitive_desc> pd;
  std::vector<dnnl::memory::desc> sources;
  if (!request.inputs[0].is_plain() && all_same_layout(request.inputs)) {
    for (const BufferDesc& input : request.inputs) sources.push_back(input.md);
    pd = try_concat(sources, axis, dnnl::memory::desc(), request.engine, why_not);
  }
  if (!pd) {
    sources.clear();
    for (const BufferDesc& input : request.inputs)
      sources.push_back(BufferDesc::plain(input.type, input.dims).md);
    pd = try_concat(sources, axis, request.outputs[0].md, request.engine, why_not);
    if (!pd) return std::nullopt;
  }
  PrimitiveArguments arguments;
  for (size_t i = 0; i < sources.size(); ++i)
    arguments.inputs.push_back({DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), sources[i]});
  arguments.outputs.push_back({DNNL_ARG_DST, pd->dst_desc()});
  return make_primitive_choice(*pd, dnnl::concat(*pd), std::move(arguments));
}

}  // namespace octet::cpu
