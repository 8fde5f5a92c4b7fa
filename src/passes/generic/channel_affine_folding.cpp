#include "passes/generic/channel_affine_folding.h"

#include <optional>

#include "ops/op_helpers.h"
#include "ops/shape_inference.h"
#include "passes/generic/rewrite_helpers.h"

namespace octet {
namespace {

// Weights seen as [groups, in_per_group, per_group, inner]: the output channel of flat element i is
// group * per_group + (index along per_group). Conv is one group of in_per_group 1; a [K, N] matrix is
// in_per_group K, per_group N, inner 1; ConvTranspose has its real groups.
struct WeightChannelLayout {
  int64_t inner = 1;
  int64_t per_group = 1;
  int64_t in_per_group = 1;

  int64_t channel(int64_t i) const {
    return (i / (inner * per_group * in_per_group)) * per_group + (i / inner) % per_group;
  }
};

struct FoldTarget {
  WeightChannelLayout layout;
  int64_t channels = 0;
};

int64_t product(const Dims& dims, size_t from) {
  int64_t p = 1;
  for (size_t i = from; i < dims.size(); ++i) p *= dims[i];
  return p;
}

bool bias_ok(const Node& node, size_t index, int64_t channels) {
  if (!node.has_input(index)) return true;
  const Tensor* bias = f32_constant(node.input(index));
  return bias && bias->element_count() == channels;
}

// Gemm's C varies along rows unless it broadcasts from [1, N] (or a single value).
bool gemm_c_depends_on_row(const Tensor& c) {
  return c.rank() == 2 && c.dims()[0] != 1;
}

std::optional<FoldTarget> fold_target(const Node& node) {
  const std::string& op = node.op_type();
  if (node.output_count() != 1 || !node.output(0)->shape().rank_known()) return std::nullopt;
  const Tensor* w = f32_constant(node.input(1));
  if (!w) return std::nullopt;
  const Dims& d = w->dims();
  FoldTarget t;
  if (op == "Conv" && d.size() >= 3 && d[0] > 0) {
    t.layout = {product(d, 1), d[0], 1};
    t.channels = d[0];
    return bias_ok(node, 2, t.channels) ? std::optional(t) : std::nullopt;
  }
  if (op == "ConvTranspose" && d.size() >= 3) {
    const int64_t group = node.attribute_or<int64_t>("group", 1);
    if (group <= 0 || d[0] % group != 0) return std::nullopt;
    t.layout = {product(d, 2), d[1], d[0] / group};
    t.channels = d[1] * group;
    return bias_ok(node, 2, t.channels) ? std::optional(t) : std::nullopt;
  }
  if (op == "Gemm" && d.size() == 2) {
    const bool trans_b = node.attribute_or<int64_t>("transB", 0) != 0;
    t.layout = trans_b ? WeightChannelLayout{d[1], d[0], 1} : WeightChannelLayout{1, d[1], d[0]};
    t.channels = trans_b ? d[0] : d[1];
    if (node.has_input(2)) {
      const Tensor* c = f32_constant(node.input(2));
      if (!c || c->rank() > 2) return std::nullopt;
      if (gemm_c_depends_on_row(*c) && !node.output(0)->shape().is_static()) return std::nullopt;
    }
    return t;
  }
  if (op == "MatMul" && d.size() == 2 && node.has_input(0)) {
    const Shape& x = node.input(0)->shape();
    if (!x.rank_known() || x.rank() != 2) return std::nullopt;
    t.layout = {1, d[1], d[0]};
    t.channels = d[1];
    return t;
  }
  return std::nullopt;
}

bool is_identity_scale(const ChannelAffine& affine) {
  for (double s : affine.scale)
    if (s != 1.0) return false;
  return true;
}

// The weights scaled per output channel, as a new constant (the old one may feed other nodes too).
Value* scaled_weights(Graph& graph, const Value* weights, const WeightChannelLayout& layout,
                      const ChannelAffine& affine) {
  Tensor w = weights->constant().clone();
  float* data = w.data<float>();
  for (int64_t i = 0; i < w.element_count(); ++i)
    data[i] = static_cast<float>(data[i] * affine.scale[static_cast<size_t>(layout.channel(i))]);
  return graph.add_constant(folded_constant_name(graph, weights->name()), std::move(w));
}

// bias * scale + shift, for the per-channel bias of Conv / ConvTranspose.
Value* folded_bias(Graph& graph, const Node& node, const ChannelAffine& affine) {
  const int64_t channels = static_cast<int64_t>(affine.scale.size());
  const Tensor* bias = node.has_input(2) ? f32_constant(node.input(2)) : nullptr;
  Tensor b(ElementType::kF32, {channels});
  for (int64_t c = 0; c < channels; ++c) {
    const size_t k = static_cast<size_t>(c);
    const double old = bias ? bias->data<float>()[c] : 0.0;
    b.data<float>()[c] = static_cast<float>(old * affine.scale[k] + affine.shift[k]);
  }
  const std::string base = bias ? node.input(2)->name() : node.name() + ".bias";
  return graph.add_constant(folded_constant_name(graph, base), std::move(b));
}

// beta * C * scale + shift as Gemm's new C (with beta 1): [N] when C does not vary along rows, else [M, N].
Value* folded_gemm_c(Graph& graph, const Node& node, const ChannelAffine& affine) {
  const int64_t n = static_cast<int64_t>(affine.scale.size());
  const Tensor* c = node.has_input(2) ? f32_constant(node.input(2)) : nullptr;
  const double beta = node.attribute_or<float>("beta", 1.0f);
  const bool per_row = c && gemm_c_depends_on_row(*c);
  const Dims out_dims = per_row ? Dims{node.output(0)->shape().static_dims()[0], n} : Dims{1, n};
  Tensor folded(ElementType::kF32, per_row ? out_dims : Dims{n});
  const std::vector<int64_t> index = c ? broadcast_index_map(out_dims, c->dims()) : std::vector<int64_t>();
  float* dst = folded.data<float>();
  for (int64_t i = 0; i < folded.element_count(); ++i) {
    const size_t channel = static_cast<size_t>(i % n);
    const double old = c ? beta * c->data<float>()[index[static_cast<size_t>(i)]] : 0.0;
    dst[i] = static_cast<float>(old * affine.scale[channel] + affine.shift[channel]);
  }
  const std::string base = c ? node.input(2)->name() : node.name() + ".C";
  return graph.add_constant(folded_constant_name(graph, base), std::move(folded));
}

}  // namespace

int64_t foldable_output_channels(const Node& node) {
  const std::optional<FoldTarget> target = fold_target(node);
  return target ? target->channels : 0;
}

Node* fold_channel_affine(Graph& graph, Node* node, const ChannelAffine& affine) {
  const std::optional<FoldTarget> target = fold_target(*node);
  OCTET_ASSERT(target && affine.scale.size() == static_cast<size_t>(target->channels) &&
               affine.shift.size() == affine.scale.size());
  Value* weights = is_identity_scale(affine) ? node->input(1)
                                             : scaled_weights(graph, node->input(1), target->layout, affine);
  const std::string& op = node->op_type();
  if (op == "MatMul") {
    const ChannelAffine shift_only{std::vector<double>(affine.scale.size(), 1.0), affine.shift};
    Value* c = folded_gemm_c(graph, *node, shift_only);
    return replace_node(graph, node, "Gemm", {node->input(0), weights, c});
  }
  Value* bias = op == "Gemm" ? folded_gemm_c(graph, *node, affine) : folded_bias(graph, *node, affine);
  graph.set_input(node, 1, weights);
  graph.set_input(node, 2, bias);
  if (op == "Gemm") node->set_attribute("beta", 1.0f);
  infer_node(*node);
  return node;
}

}  // namespace octet
