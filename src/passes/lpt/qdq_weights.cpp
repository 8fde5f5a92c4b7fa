#include "passes/lpt/qdq_weights.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "ops/op_helpers.h"

namespace octet::lpt {

namespace {

// Scale candidates for a group of values: max|w| / 127 (symmetric, the usual case) and max|w| / 128 (the
// largest magnitude is -128).
bool fits_grid(const std::vector<float>& values, float scale, std::vector<int8_t>& out) {
  out.clear();
  for (float v : values) {
    const double r = static_cast<double>(v) / scale;
    const double q = std::round(r);
    if (std::abs(r - q) > 1e-3 || q < -128.0 || q > 127.0) return false;
    out.push_back(static_cast<int8_t>(q));
  }
  return true;
}

std::optional<float> grid_scale(const std::vector<float>& values, std::vector<int8_t>& out) {
  float amax = 0.0f;
  for (float v : values) {
    if (!std::isfinite(v)) return std::nullopt;
    amax = std::max(amax, std::abs(v));
  }
  if (amax == 0.0f) {
    out.assign(values.size(), 0);
    return 1.0f;
  }
  for (float divisor : {127.0f, 128.0f}) {
    const float scale = amax / divisor;
    if (scale > 0.0f && fits_grid(values, scale, out)) return scale;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::pair<Tensor, QuantParams>> weights_on_int8_grid(const Tensor& w, int64_t channel_axis) {
  if (w.type() != ElementType::kF32 || w.rank() < 1 || channel_axis >= static_cast<int64_t>(w.rank()))
    return std::nullopt;
  const Dims& dims = w.dims();
  const int64_t channels = dims[static_cast<size_t>(channel_axis)];
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < dims.size(); ++d) inner *= dims[d];
  const int64_t outer = w.element_count() / std::max<int64_t>(1, channels * inner);
  Tensor q(ElementType::kI8, dims);
  QuantParams p;
  p.type = ElementType::kI8;
  p.axis = channel_axis;
  std::vector<float> group;
  std::vector<int8_t> ints;
  const float* in = w.data<float>();
  bool per_channel = true;
  for (int64_t c = 0; c < channels && per_channel; ++c) {
    group.clear();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) group.push_back(in[(o * channels + c) * inner + i]);
    const std::optional<float> scale = grid_scale(group, ints);
    if (!scale) {
      per_channel = false;
      break;
    }
    p.scales.push_back(*scale);
    p.zero_points.push_back(0);
    size_t k = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) q.data<int8_t>()[(o * channels + c) * inner + i] = ints[k++];
  }
  if (per_channel) return std::pair{q, p};
  // A per-tensor grid whose step some channel does not reach at 127.
  group.assign(in, in + w.element_count());
  const std::optional<float> scale = grid_scale(group, ints);
  if (!scale) return std::nullopt;
  std::copy(ints.begin(), ints.end(), q.data<int8_t>());
  p.scales = {*scale};
  p.zero_points = {0};
  return std::pair{q, p};
}

std::optional<IntegerWeights> integer_weights(Graph& graph, Value* w, int64_t channel_axis) {
  if (!w) return std::nullopt;
  if (const Node* dq = dequantize_producer(w)) {
    Value* values = dq->input(0);
    if (!values->is_constant()) return std::nullopt;
    std::optional<QuantParams> p = qdq_params(*dq);
    if (!p || (p->type != ElementType::kI8 && p->type != ElementType::kU8)) return std::nullopt;
    if (!p->per_tensor()) {
      const int64_t rank = static_cast<int64_t>(values->constant().rank());
      const int64_t axis = p->axis < 0 ? p->axis + rank : p->axis;
      if (axis != channel_axis) return std::nullopt;
      p->axis = axis;
    }
    return IntegerWeights{values, *p};
  }
  if (!w->is_constant()) return std::nullopt;
  auto grid = weights_on_int8_grid(w->constant(), channel_axis);
  if (!grid) return std::nullopt;
  Value* values = graph.add_constant(graph.unique_name(w->name() + "_i8"), std::move(grid->first));
  return IntegerWeights{values, grid->second};
}

std::optional<Tensor> quantize_bias(const std::vector<double>& values, float x_scale,
                                    const std::vector<float>& w_scales, int64_t channels) {
  Tensor bias(ElementType::kI32, {channels});
  for (int64_t c = 0; c < channels; ++c) {
    const float w_scale = w_scales.size() == 1 ? w_scales[0] : w_scales[static_cast<size_t>(c)];
    const double v = values.size() == 1 ? values[0] : values[static_cast<size_t>(c)];
    const double q = std::nearbyint(v / static_cast<double>(x_scale * w_scale));
    if (!(std::abs(q) < 2147483647.0)) return std::nullopt;
    bias.data<int32_t>()[c] = static_cast<int32_t>(q);
  }
  return bias;
}

std::optional<std::vector<double>> bias_values(const Value* bias, int64_t channels) {
  if (!bias) return std::nullopt;
  const Tensor* t = nullptr;
  std::vector<float> scales = {1.0f};
  if (const Node* dq = dequantize_producer(bias)) {
    // ONNX Runtime writes the i32 bias with scale x_scale * w_scale, per tensor or per channel.
    const std::optional<QuantParams> p = qdq_params(*dq);
    if (!p || !dq->input(0)->is_constant() || dq->input(0)->constant().rank() > 1) return std::nullopt;
    for (int32_t z : p->zero_points)
      if (z != 0) return std::nullopt;
    if (!p->per_tensor() && static_cast<int64_t>(p->scales.size()) != channels) return std::nullopt;
    t = &dq->input(0)->constant();
    scales = p->scales;
  } else if (bias->is_constant()) {
    t = &bias->constant();
  } else {
    return std::nullopt;
  }
  if (t->element_count() != channels && t->element_count() != 1) return std::nullopt;
  std::vector<double> values;
  for (int64_t i = 0; i < channels; ++i)
    values.push_back(t->value_as_double(t->element_count() == 1 ? 0 : i) *
                     static_cast<double>(scales.size() == 1 ? scales[0] : scales[static_cast<size_t>(i)]));
  return values;
}

}  // namespace octet::lpt
