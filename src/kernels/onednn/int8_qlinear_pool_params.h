// What the int8 pooling loops (QLinearAveragePool, QLinearGlobalAveragePool) need from their node: one
// runtime u8/i8 input X of rank >= 3 with elements, and per-tensor constant x_scale, x_zero_point, y_scale,
// y_zero_point at the com.microsoft inputs 1 to 4.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

// Channels the pooling loops sum at once in channels-last memory: a fixed block keeps the sums on the stack
// (no allocation per inference) and in registers.
constexpr int64_t kPoolChannelBlock = 64;

struct QLinearPoolParams {
  float x_scale = 1.0f, y_scale = 1.0f;
  int32_t x_zero = 0, y_zero = 0;
};

// nullopt with why_not when the request does not fit.
std::optional<QLinearPoolParams> qlinear_pool_params(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
