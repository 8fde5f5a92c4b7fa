// The integer operands of a QOperator node made from a node unit: constant weights with their per-tensor or
// per-output-channel parameters, and an f32 bias quantized to i32.
//
// Weights come as DequantizeLinear(i8/u8 constant) (QDQ graphs, or fake_quantize_to_qdq's output), or as an
// f32 constant that lies on an int8 grid: OpenVINO's compressed weights (i8 Const -> Convert -> Subtract(zp)
// -> Multiply(scale)) arrive folded into f32 by the IR reader's constant folding, and are exactly
// (q - zp) * scale per output channel. Such weights are recognised by finding, per channel (or for the whole
// tensor), a scale max|w| / 127 (or / 128) under which every value is within 1e-3 of an integer in
// [-128, 127]; the recovered DequantizeLinear reproduces them up to float rounding. An f32 constant not on
// such a grid is not quantized (the unit stays fp32): weights that were never quantized are left alone.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "graph/graph.h"
#include "passes/lpt/qdq_utils.h"

namespace octet::lpt {

struct IntegerWeights {
  Value* values = nullptr;  // an i8/u8 constant
  QuantParams params;       // per tensor, or per axis along the channel axis
};

// The weights `w` (a constant, or DequantizeLinear of one) as integers whose output channels run along
// `channel_axis` (non-negative); nullopt if they are not quantized (or quantized along another axis).
std::optional<IntegerWeights> integer_weights(Graph& graph, Value* w, int64_t channel_axis);

// An f32 constant's values recovered on an int8 grid as above: per channel along `channel_axis`, or per
// tensor. nullopt when no grid fits.
std::optional<std::pair<Tensor, QuantParams>> weights_on_int8_grid(const Tensor& w, int64_t channel_axis);

// round(bias[c] / (x_scale * w_scales[c])) as i32 [channels], the bias given per channel in `values`;
// nullopt when a value does not fit in int32.
std::optional<Tensor> quantize_bias(const std::vector<double>& values, float x_scale,
                                    const std::vector<float>& w_scales, int64_t channels);

// A bias input (f32 constant of `channels` values, or DequantizeLinear of an i32 constant) as per-channel
// f32 values; nullopt otherwise.
std::optional<std::vector<double>> bias_values(const Value* bias, int64_t channels);

}  // namespace octet::lpt
