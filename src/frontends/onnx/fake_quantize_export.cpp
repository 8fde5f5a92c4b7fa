#include "frontends/onnx/fake_quantize_export.h"

#include <cmath>

#include "octet/error.h"
#include "ops/quantization_math.h"

namespace octet::onnx_frontend {
namespace {

// How far -input_low / scale may sit from an integer and still count as an integral zero point (in levels).
constexpr double kZeroPointTolerance = 1e-3;

[[noreturn]] void not_exact(const Node& node, const std::string& why) {
  fail(ErrorCode::kUnsupported, node.label(),
       ": FakeQuantize has no exact ONNX QuantizeLinear/DequantizeLinear form: ", why);
}

// The limits as per-channel vectors of length `channels` along `axis` (per tensor: one channel).
struct Limits {
  std::optional<size_t> axis;
  int64_t channels = 1;
  std::vector<float> input_low, input_high, output_low, output_high;
};

Limits read_limits(const Node& node, size_t rank) {
  static constexpr const char* kNames[] = {"", "input_low", "input_high", "output_low", "output_high"};
  Limits limits;
  std::vector<const Tensor*> tensors(5, nullptr);
  for (size_t i = 1; i < 5; ++i) {
    const Value* value = node.input(i);
    if (!value || !value->is_constant()) not_exact(node, std::string(kNames[i]) + " is not a constant");
    const Tensor& t = value->constant();
    if (t.type() != ElementType::kF32) not_exact(node, std::string(kNames[i]) + " is not f32");
    if (t.rank() > rank) not_exact(node, std::string(kNames[i]) + " has a higher rank than X");
    for (size_t j = 0; j < t.rank(); ++j) {
      if (t.dims()[j] == 1) continue;
      const size_t axis = rank - t.rank() + j;
      if ((limits.axis && *limits.axis != axis) || (limits.channels != 1 && limits.channels != t.dims()[j]))
        not_exact(node, "the limits vary along more than one axis");
      limits.axis = axis;
      limits.channels = t.dims()[j];
    }
    tensors[i] = &t;
  }
  auto expand = [&](const Tensor& t) {
    std::vector<float> values(static_cast<size_t>(limits.channels));
    for (int64_t c = 0; c < limits.channels; ++c)
      values[static_cast<size_t>(c)] = t.data<float>()[t.element_count() == 1 ? 0 : c];
    return values;
  };
  limits.input_low = expand(*tensors[1]);
  limits.input_high = expand(*tensors[2]);
  limits.output_low = expand(*tensors[3]);
  limits.output_high = expand(*tensors[4]);
  return limits;
}

Tensor vector_tensor(const std::vector<float>& values, bool per_channel) {
  if (!per_channel) return Tensor::scalar<float>(values[0]);
  return Tensor::from_vector<float>({static_cast<int64_t>(values.size())}, values);
}

template <typename T>
Tensor zero_point_tensor(const std::vector<int64_t>& values, bool per_channel) {
  std::vector<T> typed(values.begin(), values.end());
  if (!per_channel) return Tensor::scalar<T>(typed[0]);
  return Tensor::from_vector<T>({static_cast<int64_t>(typed.size())}, typed);
}

// The levels of a constant X with FakeQuantize's own arithmetic, shifted by `offset` into the integer type.
template <typename T>
Tensor quantize_constant(const Tensor& x, const Limits& limits, int64_t levels, int64_t offset) {
  const float levels_minus_one = static_cast<float>(levels - 1);
  int64_t inner = 1;
  if (limits.axis)
    for (size_t d = *limits.axis + 1; d < x.rank(); ++d) inner *= x.dims()[d];
  Tensor q(element_type_of<T>(), x.dims());
  const float* in = x.data<float>();
  T* out = q.data<T>();
  for (int64_t i = 0; i < x.element_count(); ++i) {
    const auto c = static_cast<size_t>(limits.axis ? (i / inner) % limits.channels : 0);
    const float il = limits.input_low[c];
    const float ih = limits.input_high[c];
    float k = 0.0f;
    if (in[i] <= std::min(il, ih)) {
      k = 0.0f;
    } else if (in[i] > std::max(il, ih)) {
      k = levels_minus_one;
    } else {
      k = round_half_to_even((in[i] - il) / (ih - il) * levels_minus_one);
    }
    out[i] = static_cast<T>(static_cast<int64_t>(k) + offset);
  }
  return q;
}

// Scale and integral zero point per channel of the grid low + k * (high - low) / (levels - 1).
struct Grid {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
};

Grid grid_of(const Node& node, const std::vector<float>& low, const std::vector<float>& high,
             int64_t levels) {
  Grid grid;
  for (size_t c = 0; c < low.size(); ++c) {
    const float scale = (high[c] - low[c]) / static_cast<float>(levels - 1);
    if (!(scale > 0.0f) || !std::isfinite(scale))
      not_exact(node, "the range's high limit is not above its low one");
    const double z = -static_cast<double>(low[c]) / static_cast<double>(scale);
    const double rounded = std::nearbyint(z);
    if (std::abs(z - rounded) > kZeroPointTolerance) not_exact(node, "the zero point is not integral");
    if (rounded < 0 || rounded > static_cast<double>(levels - 1))
      not_exact(node, "the zero point is out of range");
    grid.scales.push_back(scale);
    grid.zero_points.push_back(static_cast<int64_t>(rounded));
  }
  return grid;
}

}  // namespace

QdqExport fake_quantize_to_qdq(const Node& node) {
  const int64_t levels = node.attribute<int64_t>("levels");
  if (levels != 256 && levels != 255)
    not_exact(node, "levels is " + std::to_string(levels) + " (256 or 255 needed)");
  const Value* x = node.input(0);
  OCTET_CHECK(x && x->shape().rank_known(), ErrorCode::kUnsupported, node.label(),
              ": the rank of X is unknown");
  const Limits limits = read_limits(node, x->shape().rank());
  const bool per_channel = limits.axis.has_value();
  QdqExport result;
  const std::string& name = node.name();
  const std::string scale_name = name + "/scale";
  const std::string zero_name = name + "/zero_point";
  const std::string q_name = name + "/quantized";
  const std::optional<int64_t> axis =
      per_channel ? std::optional<int64_t>(static_cast<int64_t>(*limits.axis)) : std::nullopt;
  const std::string& y = node.output(0)->name();
  if (x->is_constant()) {
    // The levels come from the input range (FakeQuantize's arithmetic, here); only the output grid has to be
    // a DequantizeLinear: levels 0..254 as i8 -127..127, levels 0..255 as u8.
    const Grid grid = grid_of(node, limits.output_low, limits.output_high, levels);
    result.initializers.emplace_back(scale_name, vector_tensor(grid.scales, per_channel));
    if (levels == 255) {
      std::vector<int64_t> shifted;
      for (int64_t z : grid.zero_points) shifted.push_back(z - 127);
      result.initializers.emplace_back(q_name,
                                       quantize_constant<int8_t>(x->constant(), limits, levels, -127));
      result.initializers.emplace_back(zero_name, zero_point_tensor<int8_t>(shifted, per_channel));
    } else {
      result.initializers.emplace_back(q_name, quantize_constant<uint8_t>(x->constant(), limits, levels, 0));
      result.initializers.emplace_back(zero_name, zero_point_tensor<uint8_t>(grid.zero_points, per_channel));
    }
    result.nodes.push_back({"DequantizeLinear", name, {q_name, scale_name, zero_name}, {y}, axis});
    return result;
  }
  if (limits.input_low != limits.output_low || limits.input_high != limits.output_high)
    not_exact(node, "the output range differs from the input range");
  // QuantizeLinear saturates u8 at 0 and 255: exactly FakeQuantize's clamps for 256 levels, not for 255.
  if (levels != 256) not_exact(node, "255 levels on a computed input (QuantizeLinear would saturate at 256)");
  const Grid grid = grid_of(node, limits.input_low, limits.input_high, levels);
  result.initializers.emplace_back(scale_name, vector_tensor(grid.scales, per_channel));
  result.initializers.emplace_back(zero_name, zero_point_tensor<uint8_t>(grid.zero_points, per_channel));
  result.nodes.push_back(
      {"QuantizeLinear", name + "/quantize", {x->name(), scale_name, zero_name}, {q_name}, axis});
  result.nodes.push_back({"DequantizeLinear", name, {q_name, scale_name, zero_name}, {y}, axis});
  return result;
}

}  // namespace octet::onnx_frontend
