// FakeQuantize (OpenVINO opset1): maps x onto `levels` evenly spaced values of [output_low, output_high].
// The four limits are numpy-broadcast to x (typically per tensor or per channel, e.g. [1, C, 1, 1]).
#include <algorithm>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_math.h"
#include "ops/quantization_ops.h"

namespace octet {

namespace {

constexpr size_t kX = 0;
constexpr const char* kLimitNames[] = {"X", "input_low", "input_high", "output_low", "output_high"};

int64_t levels_of(const Node& node) {
  const int64_t levels = node.attribute<int64_t>("levels");
  OCTET_CHECK(levels >= 2, ErrorCode::kInvalidModel, node.label(), ": levels is ", levels,
              ", must be at least 2");
  return levels;
}

void infer_fake_quantize(Node& node) {
  levels_of(node);
  const Shape& x = input_shape(node, kX);
  for (size_t i = 0; i < 5; ++i) {
    OCTET_CHECK(input_type(node, i) == ElementType::kF32, ErrorCode::kUnsupported, node.label(), ": input ",
                kLimitNames[i], " has type ", to_string(input_type(node, i)), ", only f32 is supported");
    if (i == kX) continue;
    // The limits broadcast to X (broadcast_shapes throws if they cannot); they must not make it larger.
    const Shape& limit = input_shape(node, i);
    const Shape broadcast = broadcast_shapes(node, x, limit);
    const bool fits =
        !x.rank_known() || !limit.rank_known() ||
        (limit.rank() <= x.rank() && (!x.is_static() || !broadcast.is_static() || broadcast == x));
    OCTET_CHECK(fits, ErrorCode::kInvalidModel, node.label(), ": ", kLimitNames[i], " of shape ",
                limit.to_string(), " does not broadcast to X of shape ", x.to_string());
  }
  set_output(node, 0, ElementType::kF32, x);
}

// One element, with the arithmetic order of OpenVINO's reference (ov::reference::fake_quantize), all in
// float:
//   x <= min(il, ih) -> ol;  x > max(il, ih) -> oh;
//   else nearbyint((x - il) / (ih - il) * (levels - 1)) / (levels - 1) * (oh - ol) + ol
// i.e. subtract, divide by the input range, multiply by levels - 1, round half to even; then divide by
// levels - 1 (not multiply by its reciprocal), multiply by the output range, add ol. Each step rounds to
// float, so e.g. (x - il) / (ih - il) is not replaced by (x - il) * (1 / (ih - il)), which rounds
// differently.
float fake_quantize_value(float x, float il, float ih, float ol, float oh, float levels_minus_one) {
  if (x <= std::min(il, ih)) return ol;
  if (x > std::max(il, ih)) return oh;
  const float q = round_half_to_even((x - il) / (ih - il) * levels_minus_one);
  return q / levels_minus_one * (oh - ol) + ol;
}

std::vector<Tensor> evaluate_fake_quantize(const Node& node, const std::vector<const Tensor*>& inputs) {
  const float levels_minus_one = static_cast<float>(levels_of(node) - 1);
  const Tensor& x = *inputs[kX];
  std::vector<std::vector<int64_t>> maps(5);
  for (size_t i = 1; i < 5; ++i) {
    const Dims& limit = inputs[i]->dims();
    OCTET_CHECK(limit.size() <= x.rank() && broadcast_dims(node, x.dims(), limit) == x.dims(),
                ErrorCode::kInvalidModel, node.label(), ": ", kLimitNames[i], " of dims ", to_string(limit),
                " does not broadcast to X of dims ", to_string(x.dims()));
    maps[i] = broadcast_index_map(x.dims(), limit);
  }
  const float* in = x.data<float>();
  const float* il = inputs[1]->data<float>();
  const float* ih = inputs[2]->data<float>();
  const float* ol = inputs[3]->data<float>();
  const float* oh = inputs[4]->data<float>();
  Tensor y(ElementType::kF32, x.dims());
  float* out = y.data<float>();
  for (int64_t i = 0; i < x.element_count(); ++i) {
    const size_t k = static_cast<size_t>(i);
    out[i] = fake_quantize_value(in[i], il[maps[1][k]], ih[maps[2][k]], ol[maps[3][k]], oh[maps[4][k]],
                                 levels_minus_one);
  }
  return {y};
}

}  // namespace

void register_fake_quantize_op(OpRegistry& registry) {
  registry.add({"FakeQuantize", 5, 5, 1, 1, infer_fake_quantize, evaluate_fake_quantize});
}

}  // namespace octet
