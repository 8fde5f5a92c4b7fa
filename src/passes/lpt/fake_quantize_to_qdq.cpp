#include "passes/lpt/fake_quantize_to_qdq.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ops/op_helpers.h"
#include "ops/quantization_math.h"
#include "ops/shape_inference.h"
#include "passes/generic/rewrite_helpers.h"
#include "passes/lpt/qdq_utils.h"

namespace octet {
namespace {

using lpt::QuantParams;

// Records why `fq` stays fp32, on the node (for dumps) and in the context (for the plugin's summary).
void keep_fp32(Node* fq, PassContext& context, const std::string& reason) {
  fq->set_attribute(lpt::kFp32ReasonAttribute, reason);
  context.fp32_reasons[fq->name()] = reason;
}

// Scale and integer zero point of a range [low, high] mapped onto `steps` + 1 levels, the level index
// shifted by `offset` (0 for u8, -128 / -127 for i8). nullopt with a reason when the range is unusable.
struct Grid {
  float scale = 1.0f;
  int32_t zero_point = 0;
};
std::optional<Grid> grid_of(float low, float high, float steps, int32_t offset, std::string& reason) {
  const float scale = (high - low) / steps;
  if (!(scale > 0.0f) || !std::isfinite(scale)) {
    reason = "empty or inverted range [" + std::to_string(low) + ", " + std::to_string(high) + "]";
    return std::nullopt;
  }
  // OpenVINO stores the limits in f16 in FP16-INT8 IRs, which moves the zero point off the integer by a few
  // hundredths of a step: rounding it moves the grid by that much, far less than the step the quantization
  // itself may be off by.
  const std::optional<int32_t> zero = lpt::near_integer(-static_cast<double>(low) / scale, 0.05);
  if (!zero) {
    reason = "range [" + std::to_string(low) + ", " + std::to_string(high) + "] has a non-integer zero point";
    return std::nullopt;
  }
  return Grid{scale, *zero + offset};
}

bool rewrite_activation(Graph& graph, PassContext& context, Node* fq, int64_t levels) {
  std::optional<float> limits[4];
  for (size_t i = 0; i < 4; ++i) {
    limits[i] = scalar_constant(fq->input(i + 1));
    if (!limits[i]) {
      keep_fp32(fq, context, "activation ranges are not constant per-tensor values");
      return false;
    }
  }
  if (levels != 256) {
    keep_fp32(fq, context, "levels " + std::to_string(levels) + " on an activation (only 256 maps to u8)");
    return false;
  }
  std::string reason;
  const std::optional<Grid> in = grid_of(*limits[0], *limits[1], 255.0f, 0, reason);
  const std::optional<Grid> out = in ? grid_of(*limits[2], *limits[3], 255.0f, 0, reason) : std::nullopt;
  if (!out) {
    keep_fp32(fq, context, reason);
    return false;
  }
  if (in->zero_point < 0 || in->zero_point > 255 || out->zero_point < 0 || out->zero_point > 255) {
    keep_fp32(fq, context, "range does not contain 0");
    return false;
  }
  const QuantParams q_params{ElementType::kU8, {in->scale}, {in->zero_point}, 1};
  const QuantParams dq_params{ElementType::kU8, {out->scale}, {out->zero_point}, 1};
  const std::string name = fq->name();
  Value* old_output = fq->output(0);
  const std::string output_name = old_output->name();
  const bool was_graph_output = graph.is_graph_output(old_output);
  Node* q = graph.add_node("QuantizeLinear", name,
                           {fq->input(0), lpt::add_scale_constant(graph, name, q_params),
                            lpt::add_zero_point_constant(graph, name, q_params)},
                           {graph.unique_name(output_name + "_quantized")});
  infer_node(*q);
  Value* dq = lpt::add_dequantize(graph, context, q->output(0), dq_params, name + "/dq");
  graph.replace_all_uses(old_output, dq);
  graph.remove_node(fq);
  if (!was_graph_output) graph.rename_value(dq, output_name);
  return true;
}

// A limit tensor broadcast to `dims`, element by element.
std::vector<float> broadcast_limit(const Tensor& limit, const Dims& dims) {
  const Tensor f = convert_tensor(limit, ElementType::kF32);
  std::vector<float> out;
  for (int64_t at : broadcast_index_map(dims, f.dims())) out.push_back(f.data<float>()[at]);
  return out;
}

// The axis along which per-element parameters vary (they must not vary along any other), -1 when they are
// all equal, nullopt when no single axis explains them.
template <typename T>
std::optional<int64_t> varying_axis(const std::vector<T>& params, const Dims& dims) {
  if (std::all_of(params.begin(), params.end(), [&](const T& p) { return p == params[0]; })) return -1;
  for (size_t axis = 0; axis < dims.size(); ++axis) {
    int64_t inner = 1;
    for (size_t d = axis + 1; d < dims.size(); ++d) inner *= dims[d];
    bool ok = true;
    for (size_t i = 0; i < params.size() && ok; ++i) {
      const int64_t coord = (static_cast<int64_t>(i) / inner) % dims[axis];
      ok = params[i] == params[static_cast<size_t>(coord * inner)];
    }
    if (ok) return static_cast<int64_t>(axis);
  }
  return std::nullopt;
}

bool rewrite_weights(Graph& graph, PassContext& context, Node* fq, int64_t levels) {
  for (size_t i = 1; i <= 4; ++i) {
    if (!fq->input(i)->is_constant()) {
      keep_fp32(fq, context, "weight ranges are not constant");
      return false;
    }
  }
  if (levels != 256 && levels != 255) {
    keep_fp32(fq, context, "levels " + std::to_string(levels) + " on weights (only 255 and 256 map to i8)");
    return false;
  }
  const Tensor weights = convert_tensor(fq->input(0)->constant(), ElementType::kF32);
  Dims dims = weights.dims();
  std::vector<float> limits[4];
  for (size_t i = 0; i < 4; ++i) limits[i] = broadcast_limit(fq->input(i + 1)->constant(), dims);

  // GroupConvolution weights [G, M/G, C/G, k...] reach the Conv through a Reshape to [M, C/G, k...]; quantize
  // in the Conv's layout so that the channel axis is the output channel.
  Node* reshape = sole_consumer(graph, fq->output(0));
  if (reshape && reshape->op_type() == "Reshape" && reshape->input(0) == fq->output(0) && reshape->input(1) &&
      reshape->input(1)->is_constant() && reshape->output(0)->shape().is_static()) {
    dims = reshape->output(0)->shape().static_dims();
  } else {
    reshape = nullptr;
  }

  const float steps = static_cast<float>(levels - 1);
  const int32_t offset = levels == 256 ? -128 : -127;
  const int64_t count = weights.element_count();
  Tensor quantized(ElementType::kI8, dims);
  std::vector<std::pair<float, int32_t>> params(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const size_t at = static_cast<size_t>(i);
    const float x = weights.data<float>()[i];
    const float il = limits[0][at], ih = limits[1][at], ol = limits[2][at], oh = limits[3][at];
    // FakeQuantize's own grid index (fake_quantize.cpp), computed once here.
    float level = 0.0f;
    if (x <= std::min(il, ih)) {
      level = 0.0f;
    } else if (x > std::max(il, ih)) {
      level = steps;
    } else {
      level = round_half_to_even((x - il) / (ih - il) * steps);
    }
    if (ol == oh) {
      // Every value maps to ol: exact with any scale when ol is 0 (an all-zero channel).
      if (ol != 0.0f) {
        keep_fp32(fq, context, "constant non-zero output range on weights");
        return false;
      }
      params[at] = {1.0f, 0};
      quantized.data<int8_t>()[i] = 0;
      continue;
    }
    std::string reason;
    const std::optional<Grid> out = grid_of(ol, oh, steps, offset, reason);
    if (!out) {
      keep_fp32(fq, context, reason);
      return false;
    }
    if (out->zero_point < -128 || out->zero_point > 127) {
      keep_fp32(fq, context, "weight output range does not contain 0");
      return false;
    }
    params[at] = {out->scale, out->zero_point};
    quantized.data<int8_t>()[i] = static_cast<int8_t>(level + static_cast<float>(offset));
  }
  const std::optional<int64_t> axis = varying_axis(params, dims);
  if (!axis) {
    keep_fp32(fq, context, "weight ranges vary along more than one axis");
    return false;
  }
  QuantParams p;
  p.type = ElementType::kI8;
  if (*axis < 0) {
    p.scales = {params[0].first};
    p.zero_points = {params[0].second};
  } else {
    p.axis = *axis;
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(*axis) + 1; d < dims.size(); ++d) inner *= dims[d];
    for (int64_t c = 0; c < dims[static_cast<size_t>(*axis)]; ++c) {
      p.scales.push_back(params[static_cast<size_t>(c * inner)].first);
      p.zero_points.push_back(params[static_cast<size_t>(c * inner)].second);
    }
  }

  Node* last = reshape ? reshape : fq;
  Value* old_output = last->output(0);
  const std::string output_name = old_output->name();
  const bool was_graph_output = graph.is_graph_output(old_output);
  const std::string name = fq->name();
  Value* q = graph.add_constant(graph.unique_name(fq->input(0)->name() + "_i8"), std::move(quantized));
  Attributes attributes;
  if (!p.per_tensor()) attributes["axis"] = p.axis;
  Node* dq = graph.add_node(
      "DequantizeLinear", name,
      {q, lpt::add_scale_constant(graph, name, p), lpt::add_zero_point_constant(graph, name, p)},
      {graph.unique_name(output_name + "_dq")}, std::move(attributes));
  infer_node(*dq);
  graph.replace_all_uses(old_output, dq->output(0));
  if (reshape) {
    const std::string reshape_name = reshape->name();
    graph.remove_node(reshape);
    context.note_absorbed(reshape_name, name);
  }
  graph.remove_node(fq);
  if (!was_graph_output) graph.rename_value(dq->output(0), output_name);
  return true;
}

}  // namespace

size_t fake_quantize_to_qdq(Graph& graph, PassContext& context) {
  size_t rewritten = 0;
  // Collected first: a weight rewrite removes the Reshape after it, which comes later in the order.
  std::vector<Node*> fake_quantizes;
  for (Node* node : graph.topological_order())
    if (node->op_type() == "FakeQuantize") fake_quantizes.push_back(node);
  for (Node* fq : fake_quantizes) {
    if (fq->input_count() != 5) continue;
    const int64_t levels = fq->attribute_or<int64_t>("levels", 0);
    if (fq->input(0)->type() != ElementType::kF32) {
      keep_fp32(fq, context, "input is not f32");
      continue;
    }
    const bool done = fq->input(0)->is_constant() ? rewrite_weights(graph, context, fq, levels)
                                                  : rewrite_activation(graph, context, fq, levels);
    rewritten += done;
  }
  return rewritten;
}

}  // namespace octet
