// NormalizeL2 (OpenVINO opset1) and MVN (opset6): normalization over the axes given by a second, integer
// input. Both keep the shape of data. Sums accumulate in double so that this reference is a trustworthy
// oracle for f32 kernels.
//   NormalizeL2: y = x / sqrt(sum(x^2) + eps)      (eps_mode "add")
//                y = x / sqrt(max(sum(x^2), eps))  (eps_mode "max")
//   MVN:         y = x - mean(x), and with normalize_variance, divided by sqrt(var + eps) (eps_mode
//                "inside_sqrt") or sqrt(var) + eps ("outside_sqrt"), var the population variance.
// Sums and means run over the axes, separately for every index of the other axes; empty axes make every
// element its own group.
#include <cmath>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/openvino_attributes.h"
#include "ops/openvino_ops.h"

namespace octet {
namespace {

using namespace openvino;

constexpr size_t kData = 0, kAxes = 1;

// Which axes the sums run over: each in [-rank, rank), none twice.
std::vector<bool> reduced_axes(const Node& node, const Tensor& axes, int64_t rank) {
  OCTET_CHECK(axes.rank() <= 1, ErrorCode::kInvalidModel, node.label(),
              ": axes must be a scalar or 1-d, got ", axes.description());
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  for (int64_t a : axes.to_int64_vector()) {
    const auto axis = static_cast<size_t>(normalize_axis(node, a, rank));
    OCTET_CHECK(!reduced[axis], ErrorCode::kInvalidModel, node.label(), ": axis ", a, " is repeated in axes");
    reduced[axis] = true;
  }
  return reduced;
}

// Shape inference shared by both ops: f32 data, integer axes (checked now if constant), same shape out.
void infer_axes_normalization(Node& node) {
  const ElementType type = input_type(node, kData);
  OCTET_CHECK(type == ElementType::kF32,
              is_floating(type) ? ErrorCode::kUnsupported : ErrorCode::kInvalidModel, node.label(),
              ": data has type ", to_string(type), ", only f32 is supported");
  const ElementType axes_type = input_type(node, kAxes);
  OCTET_CHECK(is_integral(axes_type) && axes_type != ElementType::kBool, ErrorCode::kInvalidModel,
              node.label(), ": axes must be an integer tensor, got ", to_string(axes_type));
  const Shape& axes_shape = input_shape(node, kAxes);
  OCTET_CHECK(!axes_shape.rank_known() || axes_shape.rank() <= 1, ErrorCode::kInvalidModel, node.label(),
              ": axes must be a scalar or 1-d, got ", axes_shape.to_string());
  const Shape& x = input_shape(node, kData);
  if (const Tensor* axes = constant_input(node, kAxes); axes && x.rank_known())
    reduced_axes(node, *axes, static_cast<int64_t>(x.rank()));
  set_output(node, 0, ElementType::kF32, x);
}

// For every element, the flat index of its group (the elements that share one sum), and the group count.
struct Groups {
  std::vector<int64_t> of;
  size_t count = 0;
};

Groups groups_of(const Node& node, const Tensor& x, const Tensor& axes) {
  const std::vector<bool> reduced = reduced_axes(node, axes, static_cast<int64_t>(x.rank()));
  Dims kept = x.dims();
  for (size_t d = 0; d < kept.size(); ++d)
    if (reduced[d]) kept[d] = 1;
  return {broadcast_index_map(x.dims(), kept), static_cast<size_t>(element_count(kept))};
}

// --- NormalizeL2 ---

void infer_normalize_l2(Node& node) {
  float_attribute(node, "eps");
  const std::string mode = lower_string_attribute_or(node, "eps_mode", "");
  OCTET_CHECK(mode == "add" || mode == "max", ErrorCode::kInvalidModel, node.label(), ": eps_mode '", mode,
              "' is not add or max");
  infer_axes_normalization(node);
}

std::vector<Tensor> evaluate_normalize_l2(const Node& node, const std::vector<const Tensor*>& inputs) {
  const double eps = float_attribute(node, "eps");
  const bool add = lower_string_attribute_or(node, "eps_mode", "") == "add";
  const Tensor& x = *inputs[kData];
  const Groups groups = groups_of(node, x, *inputs[kAxes]);
  const float* in = x.data<float>();
  std::vector<double> sum_of_squares(groups.count, 0.0);
  for (size_t i = 0; i < groups.of.size(); ++i)
    sum_of_squares[static_cast<size_t>(groups.of[i])] += static_cast<double>(in[i]) * in[i];
  Tensor y(ElementType::kF32, x.dims());
  float* out = y.data<float>();
  for (size_t i = 0; i < groups.of.size(); ++i) {
    const double s = sum_of_squares[static_cast<size_t>(groups.of[i])];
    out[i] = static_cast<float>(in[i] / std::sqrt(add ? s + eps : std::max(s, eps)));
  }
  return {y};
}

// --- MVN (opset6) ---

bool normalizes_variance(const Node& node) {
  OCTET_CHECK(node.has_attribute("normalize_variance"), ErrorCode::kInvalidModel, node.label(),
              ": attribute 'normalize_variance' is missing");
  return bool_attribute_or(node, "normalize_variance", false);
}

bool eps_inside_sqrt(const Node& node) {
  const std::string mode = lower_string_attribute_or(node, "eps_mode", "");
  OCTET_CHECK(mode == "inside_sqrt" || mode == "outside_sqrt", ErrorCode::kInvalidModel, node.label(),
              ": eps_mode '", mode, "' is not inside_sqrt or outside_sqrt");
  return mode == "inside_sqrt";
}

void infer_mvn6(Node& node) {
  normalizes_variance(node);
  float_attribute(node, "eps");
  eps_inside_sqrt(node);
  infer_axes_normalization(node);
}

std::vector<Tensor> evaluate_mvn6(const Node& node, const std::vector<const Tensor*>& inputs) {
  const bool normalize_variance = normalizes_variance(node);
  const double eps = float_attribute(node, "eps");
  const bool inside = eps_inside_sqrt(node);
  const Tensor& x = *inputs[kData];
  const Groups groups = groups_of(node, x, *inputs[kAxes]);
  const float* in = x.data<float>();
  std::vector<double> mean(groups.count, 0.0), variance(groups.count, 0.0);
  std::vector<int64_t> count(groups.count, 0);
  for (size_t i = 0; i < groups.of.size(); ++i) {
    mean[static_cast<size_t>(groups.of[i])] += in[i];
    ++count[static_cast<size_t>(groups.of[i])];
  }
  for (size_t g = 0; g < groups.count; ++g) mean[g] /= static_cast<double>(std::max<int64_t>(count[g], 1));
  for (size_t i = 0; i < groups.of.size(); ++i) {
    const auto g = static_cast<size_t>(groups.of[i]);
    variance[g] += (in[i] - mean[g]) * (in[i] - mean[g]);
  }
  for (size_t g = 0; g < groups.count; ++g)
    variance[g] /= static_cast<double>(std::max<int64_t>(count[g], 1));
  Tensor y(ElementType::kF32, x.dims());
  float* out = y.data<float>();
  for (size_t i = 0; i < groups.of.size(); ++i) {
    const auto g = static_cast<size_t>(groups.of[i]);
    double value = in[i] - mean[g];
    if (normalize_variance) value /= inside ? std::sqrt(variance[g] + eps) : std::sqrt(variance[g]) + eps;
    out[i] = static_cast<float>(value);
  }
  return {y};
}

}  // namespace

void register_openvino_normalization_ops(OpRegistry& registry) {
  registry.add({"NormalizeL2", 2, 2, 1, 1, infer_normalize_l2, evaluate_normalize_l2});
  registry.add({"MVN", 2, 2, 1, 1, infer_mvn6, evaluate_mvn6});
}

}  // namespace octet
