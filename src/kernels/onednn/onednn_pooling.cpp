#include "kernels/onednn/onednn_pooling.h"

#include "kernels/onednn/onednn_fused_kernel.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

// One pooling problem in oneDNN's terms (spatial rank r each).
struct PoolWindows {
  dnnl::algorithm algorithm = dnnl::algorithm::pooling_max;
  Dims in, kernel, strides, dilations, pads_begin, pads_end, out;
};

// The window extent along an axis: (k - 1) * d + 1.
int64_t extent(const PoolWindows& p, size_t i) {
  return (p.kernel[i] - 1) * p.dilations[i] + 1;
}

// Whether some output position along an axis has no tap inside the input: ONNX gives -inf (max) or NaN
// (average) there, oneDNN its own fill value.
bool has_empty_window(const PoolWindows& p) {
  for (size_t i = 0; i < p.in.size(); ++i) {
    for (int64_t o = 0; o < p.out[i]; ++o) {
      bool any_inside = false;
      for (int64_t k = 0; k < p.kernel[i] && !any_inside; ++k) {
        const int64_t at = o * p.strides[i] - p.pads_begin[i] + k * p.dilations[i];
        any_inside = at >= 0 && at < p.in[i];
      }
      if (!any_inside) return true;
    }
  }
  return false;
}

// MaxPool / AveragePool attributes resolved as the reference does (pooling.cpp), or why oneDNN cannot match.
std::optional<PoolWindows> sliding_windows(const Node& node, const Dims& x, const Dims& y,
                                           std::string& why_not) {
  const size_t rank = x.size() - 2;
  PoolWindows p;
  p.in.assign(x.begin() + 2, x.end());
  p.out.assign(y.begin() + 2, y.end());
  if (!node.has_attribute("kernel_shape")) {
    why_not = "no kernel_shape";
    return std::nullopt;
  }
  p.kernel = spatial_attribute(node, "kernel_shape", rank, 1);
  p.strides = spatial_attribute(node, "strides", rank, 1);
  p.dilations = spatial_attribute(node, "dilations", rank, 1);
  const bool ceil_mode = node.attribute_or<int64_t>("ceil_mode", 0) != 0;
  const ConvPadding padding = conv_padding(node, p.in, p.kernel, p.strides, p.dilations, ceil_mode);
  p.pads_begin = padding.begin;
  p.pads_end = padding.end;
  if (padding.out != p.out) {
    why_not = "output dims " + to_string(y) + " differ from the window geometry's";
    return std::nullopt;
  }
  bool overhang = false;
  for (size_t i = 0; i < rank; ++i) {
    // oneDNN wants out = (in + pads_begin + pads_end - extent) / stride + 1 (floor): ceil_mode's extra window
    // becomes more end padding, and a last window ONNX drops (it would start in the padding) less.
    const int64_t last_end = (p.out[i] - 1) * p.strides[i] + extent(p, i);
    overhang = overhang || last_end > p.in[i] + p.pads_begin[i] + p.pads_end[i];
    const int64_t floor_out = (p.in[i] + p.pads_begin[i] + p.pads_end[i] - extent(p, i)) / p.strides[i] + 1;
    if (floor_out != p.out[i]) p.pads_end[i] = last_end - p.in[i] - p.pads_begin[i];
  }
  if (node.op_type() == "MaxPool") {
    p.algorithm = dnnl::algorithm::pooling_max;
  } else if (node.attribute_or<int64_t>("count_include_pad", 0) != 0) {
    if (overhang) {
      why_not =
          "count_include_pad with a ceil_mode window past the end padding (oneDNN divides by the kernel "
          "size)";
      return std::nullopt;
    }
    p.algorithm = dnnl::algorithm::pooling_avg_include_padding;
  } else {
    p.algorithm = dnnl::algorithm::pooling_avg_exclude_padding;
  }
  if (has_empty_window(p)) {
    why_not = "a window lies entirely in the padding";
    return std::nullopt;
  }
  return p;
}

// Global pools: one window covering every spatial position.
PoolWindows global_window(const Node& node, const Dims& x) {
  PoolWindows p;
  p.algorithm = node.op_type() == "GlobalMaxPool" ? dnnl::algorithm::pooling_max
                                                  : dnnl::algorithm::pooling_avg_exclude_padding;
  p.in.assign(x.begin() + 2, x.end());
  p.kernel = p.in;
  const size_t rank = p.in.size();
  p.strides.assign(rank, 1);
  p.dilations.assign(rank, 1);
  p.pads_begin.assign(rank, 0);
  p.pads_end.assign(rank, 0);
  p.out.assign(rank, 1);
  return p;
}

std::optional<dnnl::pooling_v2_forward::primitive_desc> pooling_pd(const PoolWindows& p,
                                                                   const dnnl::memory::desc& src,
                                                                   const Dims& y_dims,
                                                                   const dnnl::engine& engine) {
  // The destination has the source's element type (f32, or u8/s8 for max pooling of quantized tensors).
  Dims dilations = p.dilations;
  for (int64_t& d : dilations) d -= 1;  // oneDNN counts the gaps between taps
  try {
    const dnnl::pooling_v2_forward::desc desc(
        dnnl::prop_kind::forward_inference, p.algorithm, src,
        dnnl::memory::desc(to_dnnl_dims(y_dims), src.data_type(), dnnl::memory::format_tag::any),
        to_dnnl_dims(p.strides), to_dnnl_dims(p.kernel), to_dnnl_dims(dilations), to_dnnl_dims(p.pads_begin),
        to_dnnl_dims(p.pads_end));
    return dnnl::pooling_v2_forward::primitive_desc(desc, make_primitive_attr({}), engine);
  } catch (const dnnl::error&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<KernelChoice> create_onednn_pooling(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  // Max pooling only selects values, so it also runs on u8/i8 tensors (same scale and zero point in and out).
  const bool max_pool = node.op_type() == "MaxPool" || node.op_type() == "GlobalMaxPool";
  const ElementType type = request.inputs.size() == 1 ? request.inputs[0].type : ElementType::kUndefined;
  const bool int8 = max_pool && (type == ElementType::kU8 || type == ElementType::kI8);
  if (request.inputs.size() != 1 || (type != ElementType::kF32 && !int8)) {
    why_not = "needs one runtime f32 input (u8/i8 for max pooling)";
    return std::nullopt;
  }
  if (node.output_count() != 1) {
    why_not = "MaxPool's Indices output is not supported";
    return std::nullopt;
  }
  if (!request.post_ops.empty()) {
    why_not = "no post-ops on pooling";
    return std::nullopt;
  }
  const BufferDesc& x = request.inputs[0];
  const Dims& y_dims = request.outputs[0].dims;
  if (x.dims.size() < 3 || x.dims.size() > 5 || y_dims.size() != x.dims.size()) {
    why_not = "only 1-d, 2-d and 3-d pooling";
    return std::nullopt;
  }
  const bool global = node.op_type() == "GlobalAveragePool" || node.op_type() == "GlobalMaxPool";
  std::optional<PoolWindows> windows =
      global ? global_window(node, x.dims) : sliding_windows(node, x.dims, y_dims, why_not);
  if (!windows) return std::nullopt;

  // The producer's layout first (no reorder); plain row-major if oneDNN has no implementation for it.
  std::optional<dnnl::pooling_v2_forward::primitive_desc> pd;
  if (x.has_dnnl_desc()) pd = pooling_pd(*windows, x.md, y_dims, request.engine);
  // oneDNN's int8 pooling is jit only channels-last (nchw gets its reference): try that before plain.
  if (int8 && (!pd || std::string(pd->impl_info_str()).rfind("ref", 0) == 0)) {
    using tag = dnnl::memory::format_tag;
    const size_t rank = x.dims.size();
    const tag channels_last = rank == 3 ? tag::acb : rank == 4 ? tag::acdb : tag::acdeb;
    auto last = pooling_pd(*windows, dnnl::memory::desc(to_dnnl_dims(x.dims), to_dnnl(type), channels_last),
                           y_dims, request.engine);
    if (last && std::string(last->impl_info_str()).rfind("ref", 0) != 0) pd = last;
  }
  if (!pd) {
    const BufferDesc plain = BufferDesc::plain(type, x.dims);
    if (plain.has_dnnl_desc()) pd = pooling_pd(*windows, plain.md, y_dims, request.engine);
  }
  if (!pd) {
    why_not = "oneDNN has no pooling implementation for these windows";
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::from_dnnl(type, pd->src_desc()));
  choice.outputs.push_back(BufferDesc::from_dnnl(type, pd->dst_desc()));
  choice.kernel = std::make_shared<FusedPrimitiveKernel>(
      *pd, dnnl::pooling_v2_forward(*pd), int8 ? ElementType::kI8 : type,
      std::vector<RuntimeArgument>{{DNNL_ARG_SRC, pd->src_desc(), 0}},
      std::unordered_map<int, dnnl::memory>{}, std::nullopt);
  return choice;
}

}  // namespace octet::cpu
