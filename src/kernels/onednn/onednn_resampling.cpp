#include "kernels/onednn/onednn_resampling.h"

#include <algorithm>
#include <cmath>

#include "kernels/onednn/onednn_primitive.h"
#include "kernels/onednn/onednn_primitive_kernel.h"
#include "ops/op_helpers.h"

namespace octet::cpu {
namespace {

// An omitted optional input and an empty constant mean the same in Resize.
const Tensor* nonempty_constant(const Node& node, size_t index) {
  const Tensor* t = constant_input(node, index);
  return t && t->element_count() > 0 ? t : nullptr;
}

// The scale ONNX uses in its coordinate formulas for every axis (1 for axes not resized), or nullopt with a
// reason when it cannot be known here.
std::optional<std::vector<double>> onnx_scales(const Node& node, const Dims& in, std::string& why_not) {
  const auto rank = static_cast<int64_t>(in.size());
  std::vector<int64_t> axes(in.size());
  for (size_t i = 0; i < in.size(); ++i) axes[i] = static_cast<int64_t>(i);
  axes = node.attribute_or<std::vector<int64_t>>("axes", axes);
  for (int64_t& axis : axes) axis = normalize_axis(node, axis, rank);
  std::vector<double> scales(in.size(), 1.0);
  const Tensor* given_scales = nonempty_constant(node, 2);
  const Tensor* sizes = nonempty_constant(node, 3);
  if (given_scales && given_scales->element_count() == static_cast<int64_t>(axes.size())) {
    for (size_t i = 0; i < axes.size(); ++i)
      scales[static_cast<size_t>(axes[i])] = given_scales->value_as_double(static_cast<int64_t>(i));
    return scales;
  }
  if (!sizes || sizes->element_count() != static_cast<int64_t>(axes.size())) {
    why_not = "scales / sizes are not constants";
    return std::nullopt;
  }
  const std::string policy = node.attribute_or<std::string>("keep_aspect_ratio_policy", "stretch");
  double shared = policy == "not_larger" ? HUGE_VAL : 0.0;
  for (size_t i = 0; i < axes.size(); ++i) {
    const auto d = static_cast<size_t>(axes[i]);
    const double s =
        static_cast<double>(sizes->value_as_int64(static_cast<int64_t>(i))) / static_cast<double>(in[d]);
    scales[d] = s;
    shared = policy == "not_larger" ? std::min(shared, s) : std::max(shared, s);
  }
  if (policy != "stretch") {
    for (int64_t axis : axes) scales[static_cast<size_t>(axis)] = shared;
  }
  return scales;
}

bool is_nearest_floor_of_integer_factor(const std::string& transform, const std::string& nearest_mode) {
  const bool rounds = nearest_mode == "round_prefer_floor" || nearest_mode == "round_prefer_ceil";
  if (transform == "half_pixel" || transform == "pytorch_half_pixel") return rounds;
  if (transform == "asymmetric" || transform == "tf_half_pixel_for_nn") return nearest_mode == "floor";
  return false;
}

// Why oneDNN's resampling differs from ONNX for this node, or "" when it computes the same.
std::string mismatch(const Node& node, const Dims& in, const Dims& out, const std::vector<double>& scales) {
  const std::string mode = node.attribute_or<std::string>("mode", "nearest");
  const std::string transform =
      node.attribute_or<std::string>("coordinate_transformation_mode", "half_pixel");
  const std::string nearest_mode = node.attribute_or<std::string>("nearest_mode", "round_prefer_floor");
  if (in.size() < 3 || in.size() > 5) return "only 1-d, 2-d and 3-d spatial resizing";
  if (in[0] != out[0] || in[1] != out[1] || scales[0] != 1.0 || scales[1] != 1.0)
    return "the batch or channel axis is resized";
  for (size_t d = 2; d < in.size(); ++d) {
    // oneDNN's factor is output / input length; ONNX's formulas use the given scale.
    if (scales[d] != static_cast<double>(out[d]) / static_cast<double>(in[d]))
      return "a scale differs from output / input length";
  }
  if (mode == "linear") {
    if (node.attribute_or<int64_t>("antialias", 0) != 0) return "antialias";
    if (node.attribute_or<int64_t>("exclude_outside", 0) != 0) return "exclude_outside";
    if (transform == "half_pixel") return "";
    if (transform == "pytorch_half_pixel") {
      for (size_t d = 2; d < out.size(); ++d) {
        if (out[d] == 1) return "pytorch_half_pixel with an output length of 1";
      }
      return "";
    }
    return "linear with coordinate_transformation_mode " + transform;
  }
  if (mode != "nearest") return "mode " + mode;
  for (size_t d = 2; d < in.size(); ++d) {
    if (out[d] % in[d] != 0) return "nearest with a non-integer upsampling factor";
  }
  if (!is_nearest_floor_of_integer_factor(transform, nearest_mode))
    return "nearest with " + transform + " / " + nearest_mode;
  return "";
}

}  // namespace

std::optional<KernelChoice> create_onednn_resampling(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  // Nearest resampling only copies values, so u8/i8 tensors (a quantized int8 island) take it too.
  const bool int8 =
      request.inputs.size() >= 1 && request.post_ops.empty() && request.inputs[0].has_dnnl_desc() &&
      (request.inputs[0].type == ElementType::kU8 || request.inputs[0].type == ElementType::kI8) &&
      request.outputs[0].type == request.inputs[0].type && request.outputs[0].has_dnnl_desc() &&
      node.attribute_or<std::string>("mode", "nearest") == "nearest";
  if (!int8 && !is_simple_f32_request(request, why_not)) return std::nullopt;
  if (request.inputs.size() != 1 || request.input_indices[0] != 0) {
    why_not = "roi, scales and sizes must be constants";
    return std::nullopt;
  }
  const BufferDesc& input = request.inputs[0];
  const Dims& out = request.outputs[0].dims;
  const auto scales = onnx_scales(node, input.dims, why_not);
  if (!scales) return std::nullopt;
  why_not = mismatch(node, input.dims, out, *scales);
  if (!why_not.empty()) return std::nullopt;
  const dnnl::algorithm algorithm = node.attribute_or<std::string>("mode", "nearest") == "linear"
                                        ? dnnl::algorithm::resampling_linear
                                        : dnnl::algorithm::resampling_nearest;
  const dnnl::memory::desc any_dst(to_dnnl_dims(out), to_dnnl(input.type), dnnl::memory::format_tag::any);
  const auto pd = in_own_layout_or_plain<dnnl::resampling_forward::primitive_desc>(
      input,
      [&](const dnnl::memory::desc& data) {
        return dnnl::resampling_forward::primitive_desc(
            dnnl::resampling_forward::desc(dnnl::prop_kind::forward_inference, algorithm, data, any_dst),
            make_primitive_attr({}), request.engine);
      },
      why_not);
  if (!pd) return std::nullopt;
  PrimitiveArguments arguments;
  arguments.inputs.push_back({DNNL_ARG_SRC, pd->src_desc()});
  arguments.outputs.push_back({DNNL_ARG_DST, pd->dst_desc()});
  if (!int8) return make_primitive_choice(*pd, dnnl::resampling_forward(*pd), std::move(arguments));
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::from_dnnl(input.type, pd->src_desc()));
  choice.outputs.push_back(BufferDesc::from_dnnl(input.type, pd->dst_desc()));
  choice.kernel = std::make_shared<PrimitiveKernel>(*pd, dnnl::resampling_forward(*pd), std::move(arguments),
                                                    onednn_exec_type(*pd, ElementType::kI8));
  return choice;
}

}  // namespace octet::cpu
