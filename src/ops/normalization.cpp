// Normalization ops (BatchNormalization, InstanceNormalization, MeanVarianceNormalization,
// LayerNormalization, LpNormalization) and the softmax family (Softmax, LogSoftmax, Hardmax, opset 13: along
// one axis). Reference evaluation accumulates in double so that it is a trustworthy oracle for f32 kernels.
#include <algorithm>
#include <cmath>

#include "ops/op_families.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {
namespace {

// These ops are float math; integer inputs are a malformed model, f16 is valid ONNX that we do not run.
void expect_float_input(const Node& node, size_t index) {
  const ElementType type = input_type(node, index);
  OCTET_CHECK(type != ElementType::kF16, ErrorCode::kUnsupported, node.label(), ": input ", index,
              " of type f16 is not supported (only f32)");
  expect_input_type(node, index, {ElementType::kF32});
}

// A tensor seen as [outer, axis, inner] around one axis: element (o, a, i) is at (o * axis + a) * inner + i.
struct AxisSplit {
  int64_t outer = 1, axis = 1, inner = 1;
};

AxisSplit split_at_axis(const Dims& dims, size_t axis) {
  AxisSplit s;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (d < axis) s.outer *= dims[d];
    if (d == axis) s.axis = dims[d];
    if (d > axis) s.inner *= dims[d];
  }
  return s;
}

// A 1-d per-channel parameter (scale, bias, mean, var) must have C elements when both shapes are known.
void check_channel_param(const Node& node, size_t index, const Shape& x, const char* what) {
  expect_float_input(node, index);
  const Shape& p = input_shape(node, index);
  if (!p.rank_known()) return;
  OCTET_CHECK(p.rank() == 1, ErrorCode::kInvalidModel, node.label(), ": ", what, " (input ", index,
              ") must be 1-d, got ", p.to_string());
  if (x.rank_known() && x[1] != kDynamicDim && p[0] != kDynamicDim)
    OCTET_CHECK(p[0] == x[1], ErrorCode::kInvalidModel, node.label(), ": ", what, " (input ", index, ") has ",
                p[0], " elements but the input has ", x[1], " channels");
}

void check_channel_tensor(const Node& node, const Tensor& t, int64_t channels, const char* what) {
  OCTET_CHECK(t.rank() == 1 && t.dims()[0] == channels, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " has dims ", to_string(t.dims()), ", expected [", channels, "]");
}

// Rank >= 2 with channels on axis 1 (N x C x D1 ... Dn).
void check_channel_layout(const Node& node, const Shape& x) {
  if (x.rank_known())
    OCTET_CHECK(x.rank() >= 2, ErrorCode::kInvalidModel, node.label(),
                ": input must have rank >= 2 (N, C, ...), got ", x.to_string());
}

// Shape inference shared by BatchNormalization and InstanceNormalization: a float X with channels on axis 1
// and per-channel scale (input 1) and B (input 2). Returns X's shape.
const Shape& infer_channel_input_scale_bias(Node& node) {
  expect_float_input(node, 0);
  const Shape& x = input_shape(node, 0);
  check_channel_layout(node, x);
  check_channel_param(node, 1, x, "scale");
  check_channel_param(node, 2, x, "B");
  return x;
}

// An evaluated X split around its channel axis 1 (outer = N, axis = C, inner = spatial), after checking that
// it has one.
AxisSplit split_at_channels(const Node& node, const Tensor& x) {
  OCTET_CHECK(x.rank() >= 2, ErrorCode::kInvalidModel, node.label(), ": input must have rank >= 2");
  return split_at_axis(x.dims(), 1);
}

// --- BatchNormalization (inference form) ---

void infer_batch_norm(Node& node) {
  OCTET_CHECK(node.attribute_or<int64_t>("training_mode", 0) == 0, ErrorCode::kUnsupported, node.label(),
              ": training_mode=1 is not supported (inference only)");
  OCTET_CHECK(node.output_count() == 1, ErrorCode::kUnsupported, node.label(),
              ": the training outputs (running mean / var) are not supported");
  const Shape& x = infer_channel_input_scale_bias(node);
  check_channel_param(node, 3, x, "input_mean");
  check_channel_param(node, 4, x, "input_var");
  set_output(node, 0, ElementType::kF32, x);
}

std::vector<Tensor> evaluate_batch_norm(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  const AxisSplit s = split_at_channels(node, x);
  const double epsilon = node.attribute_or<float>("epsilon", 1e-5f);
  const char* names[] = {"scale", "B", "input_mean", "input_var"};
  for (size_t i = 1; i <= 4; ++i) check_channel_tensor(node, *in[i], s.axis, names[i - 1]);
  const float* scale = in[1]->data<float>();
  const float* bias = in[2]->data<float>();
  const float* mean = in[3]->data<float>();
  const float* var = in[4]->data<float>();
  Tensor y(ElementType::kF32, x.dims());
  const float* src = x.data<float>();
  float* dst = y.data<float>();
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t c = 0; c < s.axis; ++c) {
      const double inv_std = 1.0 / std::sqrt(static_cast<double>(var[c]) + epsilon);
      for (int64_t i = 0; i < s.inner; ++i) {
        const int64_t at = (o * s.axis + c) * s.inner + i;
        dst[at] = static_cast<float>((src[at] - static_cast<double>(mean[c])) * inv_std * scale[c] + bias[c]);
      }
    }
  }
  return {y};
}

// --- InstanceNormalization ---

void infer_instance_norm(Node& node) {
  set_output(node, 0, ElementType::kF32, infer_channel_input_scale_bias(node));
}

std::vector<Tensor> evaluate_instance_norm(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  const AxisSplit s = split_at_channels(node, x);
  const double epsilon = node.attribute_or<float>("epsilon", 1e-5f);
  check_channel_tensor(node, *in[1], s.axis, "scale");
  check_channel_tensor(node, *in[2], s.axis, "B");
  const float* scale = in[1]->data<float>();
  const float* bias = in[2]->data<float>();
  Tensor y(ElementType::kF32, x.dims());
  const float* src = x.data<float>();
  float* dst = y.data<float>();
  for (int64_t n = 0; n < s.outer; ++n) {
    for (int64_t c = 0; c < s.axis; ++c) {
      const int64_t base = (n * s.axis + c) * s.inner;
      double sum = 0;
      for (int64_t i = 0; i < s.inner; ++i) sum += src[base + i];
      const double mean = sum / static_cast<double>(s.inner);
      double sq = 0;
      for (int64_t i = 0; i < s.inner; ++i) sq += (src[base + i] - mean) * (src[base + i] - mean);
      const double inv_std = 1.0 / std::sqrt(sq / static_cast<double>(s.inner) + epsilon);
      for (int64_t i = 0; i < s.inner; ++i)
        dst[base + i] = static_cast<float>((src[base + i] - mean) * inv_std * scale[c] + bias[c]);
    }
  }
  return {y};
}

// --- MeanVarianceNormalization and LayerNormalization: statistics over a set of axes ---

// The axes attribute resolved against the rank: in range, no repeats.
std::vector<bool> reduced_axis_mask(const Node& node, const std::vector<int64_t>& axes, int64_t rank) {
  std::vector<bool> mask(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    const auto axis = static_cast<size_t>(normalize_axis(node, a, rank));
    OCTET_CHECK(!mask[axis], ErrorCode::kInvalidModel, node.label(), ": axis ", a, " is repeated");
    mask[axis] = true;
  }
  return mask;
}

// The dims with the masked axes set to 1: one element per group of elements that share statistics.
Dims group_dims(const Dims& dims, const std::vector<bool>& mask) {
  Dims kept = dims;
  for (size_t d = 0; d < dims.size(); ++d)
    if (mask[d]) kept[d] = 1;
  return kept;
}

struct GroupStats {
  std::vector<double> mean, variance;  // population variance
};

GroupStats group_stats(const float* x, const std::vector<int64_t>& group_of, size_t groups) {
  GroupStats s{std::vector<double>(groups, 0.0), std::vector<double>(groups, 0.0)};
  std::vector<int64_t> count(groups, 0);
  for (size_t i = 0; i < group_of.size(); ++i) {
    const auto g = static_cast<size_t>(group_of[i]);
    s.mean[g] += x[i];
    ++count[g];
  }
  for (size_t g = 0; g < groups; ++g) s.mean[g] /= static_cast<double>(std::max<int64_t>(count[g], 1));
  for (size_t i = 0; i < group_of.size(); ++i) {
    const auto g = static_cast<size_t>(group_of[i]);
    s.variance[g] += (x[i] - s.mean[g]) * (x[i] - s.mean[g]);
  }
  for (size_t g = 0; g < groups; ++g) s.variance[g] /= static_cast<double>(std::max<int64_t>(count[g], 1));
  return s;
}

std::vector<int64_t> mvn_axes(const Node& node) {
  return node.attribute_or<std::vector<int64_t>>("axes", {0, 2, 3});
}

void infer_mvn(Node& node) {
  expect_float_input(node, 0);
  const Shape& x = input_shape(node, 0);
  if (x.rank_known()) reduced_axis_mask(node, mvn_axes(node), static_cast<int64_t>(x.rank()));
  set_output(node, 0, ElementType::kF32, x);
}

std::vector<Tensor> evaluate_mvn(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  const std::vector<bool> mask = reduced_axis_mask(node, mvn_axes(node), static_cast<int64_t>(x.rank()));
  const Dims groups_dims = group_dims(x.dims(), mask);
  // For each element of x, the flat index of its group.
  const std::vector<int64_t> group_of = broadcast_index_map(x.dims(), groups_dims);
  const auto groups = static_cast<size_t>(element_count(groups_dims));
  const GroupStats stats = group_stats(x.data<float>(), group_of, groups);
  Tensor y(ElementType::kF32, x.dims());
  const float* src = x.data<float>();
  float* dst = y.data<float>();
  // ONNX defines MVN as a function: (X - mean) / (sqrt(variance) + 1e-9), epsilon added to the std, not the
  // var.
  for (size_t i = 0; i < group_of.size(); ++i) {
    const auto g = static_cast<size_t>(group_of[i]);
    dst[i] = static_cast<float>((src[i] - stats.mean[g]) / (std::sqrt(stats.variance[g]) + 1e-9));
  }
  return {y};
}

void infer_layer_norm(Node& node) {
  expect_float_input(node, 0);
  expect_float_input(node, 1);
  if (node.has_input(2)) expect_float_input(node, 2);
  OCTET_CHECK(node.attribute_or<int64_t>("stash_type", 1) == 1, ErrorCode::kUnsupported, node.label(),
              ": only stash_type=1 (f32 statistics) is supported");
  const Shape& x = input_shape(node, 0);
  set_output(node, 0, ElementType::kF32, x);
  if (!x.rank_known()) {
    for (size_t i = 1; i < node.output_count(); ++i) set_output(node, i, ElementType::kF32, Shape::unknown());
    return;
  }
  const auto rank = static_cast<int64_t>(x.rank());
  const int64_t axis = normalize_axis(node, node.attribute_or<int64_t>("axis", -1), rank);
  // Scale and B must broadcast to the normalized part of X without changing it.
  const Dims normalized(x.dims().begin() + axis, x.dims().end());
  for (size_t i = 1; i <= 2 && i < node.input_count(); ++i) {
    if (!node.has_input(i)) continue;
    const Shape& p = input_shape(node, i);
    if (!p.rank_known()) continue;
    const Shape b = broadcast_shapes(node, Shape(normalized), p);
    OCTET_CHECK(b.rank() == normalized.size(), ErrorCode::kInvalidModel, node.label(), ": input ", i,
                " shape ", p.to_string(), " does not broadcast to the normalized dims ",
                to_string(normalized));
  }
  Dims stats_dims = x.dims();
  for (auto d = static_cast<size_t>(axis); d < stats_dims.size(); ++d) stats_dims[d] = 1;
  for (size_t i = 1; i < node.output_count(); ++i) set_output(node, i, ElementType::kF32, Shape(stats_dims));
}

std::vector<Tensor> evaluate_layer_norm(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  const auto rank = static_cast<int64_t>(x.rank());
  const auto axis = static_cast<size_t>(normalize_axis(node, node.attribute_or<int64_t>("axis", -1), rank));
  const double epsilon = node.attribute_or<float>("epsilon", 1e-5f);
  const Dims normalized(x.dims().begin() + static_cast<ptrdiff_t>(axis), x.dims().end());
  const int64_t inner = element_count(normalized);
  const int64_t outer = inner == 0 ? 0 : x.element_count() / inner;
  // Index maps of scale / bias broadcast onto one normalized slice.
  auto param_map = [&](const Tensor* p) {
    if (!p) return std::vector<int64_t>{};
    OCTET_CHECK(p->rank() <= normalized.size() && broadcast_dims(node, normalized, p->dims()) == normalized,
                ErrorCode::kInvalidModel, node.label(), ": parameter dims ", to_string(p->dims()),
                " do not broadcast to the normalized dims ", to_string(normalized));
    return broadcast_index_map(normalized, p->dims());
  };
  const std::vector<int64_t> scale_map = param_map(in[1]);
  const std::vector<int64_t> bias_map = param_map(in.size() > 2 ? in[2] : nullptr);
  Dims stats_dims = x.dims();
  for (size_t d = axis; d < stats_dims.size(); ++d) stats_dims[d] = 1;
  Tensor y(ElementType::kF32, x.dims()), mean_out(ElementType::kF32, stats_dims),
      inv_std_out(ElementType::kF32, stats_dims);
  const float* src = x.data<float>();
  const float* scale = in[1]->data<float>();
  const float* bias = bias_map.empty() ? nullptr : in[2]->data<float>();
  float* dst = y.data<float>();
  for (int64_t o = 0; o < outer; ++o) {
    const float* row = src + o * inner;
    double sum = 0;
    for (int64_t i = 0; i < inner; ++i) sum += row[i];
    const double mean = sum / static_cast<double>(inner);
    double sq = 0;
    for (int64_t i = 0; i < inner; ++i) sq += (row[i] - mean) * (row[i] - mean);
    const double inv_std = 1.0 / std::sqrt(sq / static_cast<double>(inner) + epsilon);
    for (int64_t i = 0; i < inner; ++i) {
      const auto k = static_cast<size_t>(i);
      double v = (row[i] - mean) * inv_std * scale[scale_map[k]];
      if (bias) v += bias[bias_map[k]];
      dst[o * inner + i] = static_cast<float>(v);
    }
    mean_out.data<float>()[o] = static_cast<float>(mean);
    inv_std_out.data<float>()[o] = static_cast<float>(inv_std);
  }
  std::vector<Tensor> out{y, mean_out, inv_std_out};
  out.resize(node.output_count());
  return out;
}

// --- LpNormalization ---

void infer_lp_norm(Node& node) {
  expect_float_input(node, 0);
  const int64_t p = node.attribute_or<int64_t>("p", 2);
  OCTET_CHECK(p == 1 || p == 2, ErrorCode::kInvalidModel, node.label(), ": p must be 1 or 2, got ", p);
  const Shape& x = input_shape(node, 0);
  if (x.rank_known())
    normalize_axis(node, node.attribute_or<int64_t>("axis", -1), static_cast<int64_t>(x.rank()));
  set_output(node, 0, ElementType::kF32, x);
}

std::vector<Tensor> evaluate_lp_norm(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  const int64_t p = node.attribute_or<int64_t>("p", 2);
  const auto axis = static_cast<size_t>(
      normalize_axis(node, node.attribute_or<int64_t>("axis", -1), static_cast<int64_t>(x.rank())));
  const AxisSplit s = split_at_axis(x.dims(), axis);
  Tensor y(ElementType::kF32, x.dims());
  const float* src = x.data<float>();
  float* dst = y.data<float>();
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      double norm = 0;
      for (int64_t a = 0; a < s.axis; ++a) {
        const double v = src[(o * s.axis + a) * s.inner + i];
        norm += p == 1 ? std::abs(v) : v * v;
      }
      if (p == 2) norm = std::sqrt(norm);
      // An all-zero slice stays zero rather than becoming 0/0 = NaN.
      for (int64_t a = 0; a < s.axis; ++a) {
        const int64_t at = (o * s.axis + a) * s.inner + i;
        dst[at] = norm == 0 ? 0.0f : static_cast<float>(src[at] / norm);
      }
    }
  }
  return {y};
}

// --- Softmax, LogSoftmax, Hardmax (opset 13: one axis, default -1) ---

enum class SoftmaxKind { kSoftmax, kLogSoftmax, kHardmax };

void infer_softmax_like(Node& node) {
  expect_float_input(node, 0);
  const Shape& x = input_shape(node, 0);
  if (x.rank_known())
    normalize_axis(node, node.attribute_or<int64_t>("axis", -1), static_cast<int64_t>(x.rank()));
  set_output(node, 0, ElementType::kF32, x);
}

std::vector<Tensor> evaluate_softmax_like(const Node& node, const std::vector<const Tensor*>& in,
                                          SoftmaxKind kind) {
  const Tensor& x = *in[0];
  const auto axis = static_cast<size_t>(
      normalize_axis(node, node.attribute_or<int64_t>("axis", -1), static_cast<int64_t>(x.rank())));
  const AxisSplit s = split_at_axis(x.dims(), axis);
  Tensor y(ElementType::kF32, x.dims());
  const float* src = x.data<float>();
  float* dst = y.data<float>();
  auto at = [&](int64_t o, int64_t a, int64_t i) { return (o * s.axis + a) * s.inner + i; };
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      // Subtracting the max keeps exp() finite for large inputs; Hardmax marks its first occurrence.
      int64_t arg_max = 0;
      for (int64_t a = 1; a < s.axis; ++a)
        if (src[at(o, a, i)] > src[at(o, arg_max, i)]) arg_max = a;
      const double max = s.axis > 0 ? src[at(o, arg_max, i)] : 0.0;
      double sum = 0;
      for (int64_t a = 0; a < s.axis; ++a) sum += std::exp(src[at(o, a, i)] - max);
      for (int64_t a = 0; a < s.axis; ++a) {
        const double shifted = src[at(o, a, i)] - max;
        double v = 0;
        switch (kind) {
          case SoftmaxKind::kSoftmax:
            v = std::exp(shifted) / sum;
            break;
          case SoftmaxKind::kLogSoftmax:
            v = shifted - std::log(sum);
            break;
          case SoftmaxKind::kHardmax:
            v = a == arg_max ? 1.0 : 0.0;
            break;
        }
        dst[at(o, a, i)] = static_cast<float>(v);
      }
    }
  }
  return {y};
}

void add_softmax_like(OpRegistry& registry, const std::string& type, SoftmaxKind kind) {
  registry.add(
      {type, 1, 1, 1, 1, infer_softmax_like, [kind](const Node& node, const std::vector<const Tensor*>& in) {
         return evaluate_softmax_like(node, in, kind);
       }});
}

}  // namespace

void register_normalization_ops(OpRegistry& registry) {
  registry.add({"BatchNormalization", 5, 5, 1, 3, infer_batch_norm, evaluate_batch_norm});
  registry.add({"InstanceNormalization", 3, 3, 1, 1, infer_instance_norm, evaluate_instance_norm});
  registry.add({"MeanVarianceNormalization", 1, 1, 1, 1, infer_mvn, evaluate_mvn});
  registry.add({"LayerNormalization", 2, 3, 1, 3, infer_layer_norm, evaluate_layer_norm});
  registry.add({"LpNormalization", 1, 1, 1, 1, infer_lp_norm, evaluate_lp_norm});
  add_softmax_like(registry, "Softmax", SoftmaxKind::kSoftmax);
  add_softmax_like(registry, "LogSoftmax", SoftmaxKind::kLogSoftmax);
  add_softmax_like(registry, "Hardmax", SoftmaxKind::kHardmax);
}

}  // namespace octet
