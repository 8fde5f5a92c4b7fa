#include "kernels/onednn/int8_qlinear_pool_params.h"

#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {

std::optional<QLinearPoolParams> qlinear_pool_params(const KernelRequest& request, std::string& why_not) {
  constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kYScale = 3, kYZero = 4;
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != kX || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty()) {
    why_not = "needs one runtime u8/i8 input and constant parameters";
    return std::nullopt;
  }
  const BufferDesc& x = request.inputs[0];
  const auto x_scale = constant_scales(node, kXScale, why_not);
  const auto y_scale = constant_scales(node, kYScale, why_not);
  const auto x_zero = constant_zero_points(node, kXZero, why_not);
  const auto y_zero = constant_zero_points(node, kYZero, why_not);
  if (!x_scale || !y_scale || !x_zero || !y_zero) return std::nullopt;
  if (x_scale->size() != 1 || y_scale->size() != 1 || x_zero->size() != 1 || y_zero->size() != 1 ||
      x.dims.size() < 3 || element_count(x.dims) == 0) {
    why_not = "needs per-tensor parameters and a non-empty input of rank >= 3";
    return std::nullopt;
  }
  return QLinearPoolParams{(*x_scale)[0], (*y_scale)[0], (*x_zero)[0], (*y_zero)[0]};
}

}  // namespace octet::cpu
