// Graph pieces for the low-precision pass tests: FakeQuantize, QuantizeLinear / DequantizeLinear with scalar
// parameters, and running the low-precision passes in pipeline order.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "ops/shape_inference.h"
#include "passes/lpt/fake_quantize_to_qdq.h"
#include "passes/lpt/fold_activation_into_quantize.h"
#include "passes/lpt/fold_lookup_into_binary.h"
#include "passes/lpt/propagate_qdq.h"
#include "passes/lpt/qdq_to_qoperator.h"
#include "passes/lpt/quantize_gathered_table.h"
#include "passes/lpt/remove_redundant_qdq.h"
#include "passes/pass_context.h"
#include "tests/passes/pass_test_support.h"

namespace octet::test {

// FakeQuantize(x) with scalar limits [lo, hi] on input and output.
inline Value* add_fq(Graph& g, const std::string& name, Value* x, float lo, float hi, int64_t levels = 256) {
  auto c = [&](const char* what, float v) { return g.add_constant(name + "." + what, Tensor::scalar(v)); };
  return g
      .add_node("FakeQuantize", name, {x, c("il", lo), c("ih", hi), c("ol", lo), c("oh", hi)},
                {name + "_out"}, {{"levels", levels}})
      ->output(0);
}

// FakeQuantize on constant weights with per-output-channel (axis 0) limits as OpenVINO's POT writes them:
// [-m, m] with 255 levels, [-m * 128 / 127, m] with 256 (so that 0 is a level), m = max|w[c]|.
inline Value* add_weight_fq(Graph& g, const std::string& name, const Tensor& w, int64_t levels = 255) {
  const int64_t channels = w.dims()[0];
  const int64_t per = w.element_count() / channels;
  std::vector<float> lo, hi;
  for (int64_t c = 0; c < channels; ++c) {
    float m = 0.0f;
    for (int64_t i = 0; i < per; ++i) m = std::max(m, std::abs(w.data<float>()[c * per + i]));
    lo.push_back(levels == 256 ? -m * 128.0f / 127.0f : -m);
    hi.push_back(m);
  }
  Dims limit_dims(w.rank(), 1);
  limit_dims[0] = channels;
  auto t = [&](const std::vector<float>& v) { return Tensor::from_vector<float>(limit_dims, std::span(v)); };
  Value* wv = g.add_constant(name + ".w", w);
  return g
      .add_node("FakeQuantize", name,
                {wv, g.add_constant(name + ".il", t(lo)), g.add_constant(name + ".ih", t(hi)),
                 g.add_constant(name + ".ol", t(lo)), g.add_constant(name + ".oh", t(hi))},
                {name + "_out"}, {{"levels", levels}})
      ->output(0);
}

template <typename Z>
Value* add_q(Graph& g, const std::string& name, Value* x, float scale, Z zero_point) {
  return g
      .add_node("QuantizeLinear", name,
                {x, g.add_constant(name + ".s", Tensor::scalar(scale)),
                 g.add_constant(name + ".zp", Tensor::scalar<Z>(zero_point))},
                {name + "_out"})
      ->output(0);
}

inline Value* add_dq(Graph& g, const std::string& name, Value* q, float scale, Value* zero_point) {
  return g
      .add_node("DequantizeLinear", name, {q, g.add_constant(name + ".s", Tensor::scalar(scale)), zero_point},
                {name + "_out"})
      ->output(0);
}

// Q -> DQ with the same scalar parameters (a quantized activation in QDQ form).
template <typename Z>
Value* add_qdq(Graph& g, const std::string& name, Value* x, float scale, Z zero_point) {
  Value* q = add_q(g, name + "_q", x, scale, zero_point);
  return add_dq(g, name + "_dq", q, scale, g.add_constant(name + "_dq.zp", Tensor::scalar<Z>(zero_point)));
}

// DequantizeLinear(i8 constant) of weights quantized symmetrically per channel along `axis` (127 levels each
// side), as onnxruntime's quantize_static writes them.
inline Value* add_qdq_weights(Graph& g, const std::string& name, const Tensor& w, int64_t axis) {
  const Dims& d = w.dims();
  int64_t inner = 1;
  for (size_t i = static_cast<size_t>(axis) + 1; i < d.size(); ++i) inner *= d[i];
  const int64_t channels = d[static_cast<size_t>(axis)];
  std::vector<float> scales(static_cast<size_t>(channels), 0.0f);
  for (int64_t i = 0; i < w.element_count(); ++i) {
    float& s = scales[static_cast<size_t>((i / inner) % channels)];
    s = std::max(s, std::abs(w.data<float>()[i]) / 127.0f);
  }
  Tensor q(ElementType::kI8, d);
  for (int64_t i = 0; i < w.element_count(); ++i)
    q.data<int8_t>()[i] = static_cast<int8_t>(
        std::nearbyint(w.data<float>()[i] / scales[static_cast<size_t>((i / inner) % channels)]));
  std::vector<int8_t> zeros(static_cast<size_t>(channels), 0);
  return g
      .add_node("DequantizeLinear", name,
                {g.add_constant(name + ".q", q),
                 g.add_constant(name + ".s",
                                Tensor::from_vector<float>({channels}, std::span<const float>(scales))),
                 g.add_constant(name + ".zp",
                                Tensor::from_vector<int8_t>({channels}, std::span<const int8_t>(zeros)))},
                {name + "_out"}, {{"axis", axis}})
      ->output(0);
}

// A random f32 tensor in [low, high) for every graph input.
inline TensorMap random_inputs_in(const Graph& graph, uint32_t seed, float low, float high) {
  TensorMap inputs;
  for (const Value* in : graph.inputs())
    inputs[in->name()] = random_f32(in->shape().static_dims(), seed++, low, high);
  return inputs;
}

// A pass context for the low-precision passes: int8 allowed, no graph dumps.
inline PassContext lpt_context() {
  PassContext context;
  context.dump_folder.clear();
  context.low_precision = true;
  return context;
}

// The low-precision passes in pipeline order, then shape inference.
inline PassContext run_lpt(Graph& g) {
  PassContext context = lpt_context();
  fake_quantize_to_qdq(g, context);
  quantize_gathered_table(g, context);
  propagate_qdq(g, context);
  fold_activation_into_quantize(g, context);
  qdq_to_qoperator(g, context);
  fold_lookup_into_binary(g, context);
  remove_redundant_qdq(g, context);
  g.remove_unused();
  infer_shapes(g);
  return context;
}

}  // namespace octet::test
