#include "quantization/bias_correction.h"

#include <optional>

#include "ops/op_registry.h"
#include "ops/shape_inference.h"

namespace octet::quantization {
namespace {

// The weights before and after their FakeQuantize, when it reads a constant with constant limits.
struct WeightPair {
  Tensor original, quantized;
};

std::optional<WeightPair> quantized_weights(const Node& node) {
  const Value* w = node.input(1);
  const Node* fq = w ? w->producer() : nullptr;
  if (!fq || fq->op_type() != "FakeQuantize" || fq->input_count() != 5) return std::nullopt;
  std::vector<const Tensor*> inputs;
  for (const Value* in : fq->inputs()) {
    if (!in || !in->is_constant() || in->constant().type() != ElementType::kF32) return std::nullopt;
    inputs.push_back(&in->constant());
  }
  const OpRegistry& registry = OpRegistry::instance();
  std::vector<Tensor> out = with_node_context(*fq, [&] { return registry.get(*fq).evaluate(*fq, inputs); });
  return WeightPair{*inputs[0], std::move(out.at(0))};
}

const std::vector<double>* find_means(const Node& node,
                                      const std::map<std::string, std::vector<double>>& means) {
  auto it = means.find(node.name());
  if (it != means.end()) return &it->second;
  const Value* x = node.input(0);
  it = means.find(x->name());
  if (it != means.end()) return &it->second;
  if (const Node* p = x->producer(); p && p->op_type() == "FakeQuantize") {
    it = means.find(p->input(0)->name());
    if (it != means.end()) return &it->second;
  }
  return nullptr;
}

void check_channels(const Node& node, const std::vector<double>& means, int64_t channels) {
  OCTET_CHECK(static_cast<int64_t>(means.size()) == channels, ErrorCode::kInvalidArgument, node.label(),
              ": bias correction got ", means.size(), " input channel means, the layer reads ", channels,
              " channels");
}

// Output-mean shift of a convolution, one value per output channel.
std::optional<std::vector<double>> conv_shift(const Node& node, const WeightPair& w,
                                              const std::vector<double>& means) {
  const Dims& dims = w.original.dims();
  if (dims.size() < 3) return std::nullopt;
  const int64_t out_channels = dims[0], group_channels = dims[1];
  const int64_t group = node.attribute_or<int64_t>("group", 1);
  if (group < 1 || out_channels % group != 0) return std::nullopt;
  check_channels(node, means, group_channels * group);
  int64_t taps = 1;
  for (size_t d = 2; d < dims.size(); ++d) taps *= dims[d];
  const float* original = w.original.data<float>();
  const float* quantized = w.quantized.data<float>();
  std::vector<double> shift(static_cast<size_t>(out_channels), 0.0);
  for (int64_t o = 0; o < out_channels; ++o) {
    const int64_t first_input = (o / (out_channels / group)) * group_channels;
    for (int64_t c = 0; c < group_channels; ++c) {
      double sum = 0.0;
      for (int64_t k = 0; k < taps; ++k) {
        const int64_t at = (o * group_channels + c) * taps + k;
        sum += static_cast<double>(quantized[at]) - static_cast<double>(original[at]);
      }
      shift[static_cast<size_t>(o)] += sum * means[static_cast<size_t>(first_input + c)];
    }
  }
  return shift;
}

// Output-mean shift of x [M, K] times B ([K, N], or [N, K] transposed), one value per output column.
std::vector<double> matmul_shift(const Node& node, const WeightPair& w, bool transposed,
                                 const std::vector<double>& means) {
  const Dims& dims = w.original.dims();
  const int64_t k_count = transposed ? dims[1] : dims[0], n_count = transposed ? dims[0] : dims[1];
  check_channels(node, means, k_count);
  const float* original = w.original.data<float>();
  const float* quantized = w.quantized.data<float>();
  std::vector<double> shift(static_cast<size_t>(n_count), 0.0);
  for (int64_t k = 0; k < k_count; ++k)
    for (int64_t n = 0; n < n_count; ++n) {
      const int64_t at = transposed ? n * k_count + k : k * n_count + n;
      shift[static_cast<size_t>(n)] +=
          (static_cast<double>(quantized[at]) - static_cast<double>(original[at])) *
          means[static_cast<size_t>(k)];
    }
  return shift;
}

// `bias` (nullptr: zeros) minus scale * shift, as a new [N] constant; nullopt when the bias is not a scalar
// or N values.
std::optional<Tensor> shifted_bias(const Value* bias, const std::vector<double>& shift, double scale) {
  const auto n = static_cast<int64_t>(shift.size());
  const Tensor* old = bias && bias->is_constant() ? &bias->constant() : nullptr;
  if (bias && (!old || old->type() != ElementType::kF32)) return std::nullopt;
  if (old && old->element_count() != 1 && !(old->element_count() == n && old->dims().back() == n))
    return std::nullopt;
  Tensor result(ElementType::kF32, {n});
  for (int64_t i = 0; i < n; ++i) {
    const double base = old ? old->value_as_double(old->element_count() == 1 ? 0 : i) : 0.0;
    result.data<float>()[i] = static_cast<float>(base - scale * shift[static_cast<size_t>(i)]);
  }
  return result;
}

std::string corrected_bias_name(const Node& node) {
  return node.name() + "/corrected_bias";
}
std::string bias_add_name(const Node& node) {
  return node.name() + "/bias_correction";
}

// Names made by unique_name start with the base name.
bool is_corrected_bias(const Value* value, const Node& layer) {
  return value && value->is_constant() && value->name().starts_with(corrected_bias_name(layer));
}

// A constant of `quantized` with the value `fp32_value` has in the fp32 graph (nullptr stays nullptr).
Value* copy_constant(Graph& quantized, const Value* fp32_value) {
  if (!fp32_value) return nullptr;
  OCTET_CHECK(fp32_value->is_constant(), ErrorCode::kInternal, "the fp32 bias '", fp32_value->name(),
              "' is not a constant, so bias correction cannot have changed it");
  return quantized.add_constant(quantized.unique_name(fp32_value->name()), fp32_value->constant());
}

bool correct_conv(Graph& graph, Node& node, const WeightPair& w, const std::vector<double>& means) {
  const std::optional<std::vector<double>> shift = conv_shift(node, w, means);
  if (!shift) return false;
  const std::optional<Tensor> bias = shifted_bias(node.input(2), *shift, 1.0);
  if (!bias) return false;
  graph.set_input(&node, 2, graph.add_constant(graph.unique_name(corrected_bias_name(node)), *bias));
  infer_node(node);
  return true;
}

bool correct_gemm(Graph& graph, Node& node, const WeightPair& w, const std::vector<double>& means) {
  if (node.attribute_or<int64_t>("transA", 0) != 0 || w.original.rank() != 2) return false;
  const double alpha = node.attribute_or<float>("alpha", 1.0f);
  const double beta = node.attribute_or<float>("beta", 1.0f);
  if (beta == 0.0 && node.has_input(2)) return false;
  const bool transposed = node.attribute_or<int64_t>("transB", 0) != 0;
  const std::vector<double> shift = matmul_shift(node, w, transposed, means);
  // A new bias input is read with the node's beta; without one, beta is the default 1 unless set.
  const double bias_scale = alpha / (beta == 0.0 ? 1.0 : beta);
  if (!node.has_input(2) && beta == 0.0) node.set_attribute("beta", 1.0f);
  const std::optional<Tensor> bias = shifted_bias(node.input(2), shift, bias_scale);
  if (!bias) return false;
  graph.set_input(&node, 2, graph.add_constant(graph.unique_name(corrected_bias_name(node)), *bias));
  infer_node(node);
  return true;
}

bool correct_matmul(Graph& graph, Node& node, const WeightPair& w, const std::vector<double>& means) {
  const Shape& a = node.input(0)->shape();
  if (!a.rank_known() || a.rank() != 2 || w.original.rank() != 2) return false;
  const std::vector<double> shift = matmul_shift(node, w, false, means);
  Value* out = node.output(0);
  // An existing bias Add of a constant: change its constant.
  if (out->uses().size() == 1 && !graph.is_graph_output(out)) {
    Node* add = out->uses()[0].node;
    if (add->op_type() == "Add" && add->input_count() == 2) {
      const size_t other = add->input(0) == out ? 1 : 0;
      if (add->input(other) != out && add->input(other)->is_constant()) {
        const std::optional<Tensor> bias = shifted_bias(add->input(other), shift, 1.0);
        if (!bias) return false;
        graph.set_input(add, other, graph.add_constant(graph.unique_name(corrected_bias_name(node)), *bias));
        infer_node(*add);
        return true;
      }
    }
  }
  const std::optional<Tensor> bias = shifted_bias(nullptr, shift, 1.0);
  Value* bias_value = graph.add_constant(graph.unique_name(corrected_bias_name(node)), *bias);
  Node* add = graph.add_node("Add", graph.unique_name(bias_add_name(node)), {nullptr, bias_value},
                             {graph.unique_name(out->name() + "/corrected")});
  graph.replace_all_uses(out, add->output(0));  // before the Add reads `out`, or it would read itself
  graph.set_input(add, 0, out);
  infer_node(*add);
  return true;
}

}  // namespace

int correct_biases(Graph& quantized, const std::map<std::string, std::vector<double>>& input_channel_means) {
  int corrected = 0;
  for (Node* node : quantized.topological_order()) {
    const std::string& type = node->op_type();
    if (type != "Conv" && type != "Gemm" && type != "MatMul") continue;
    const std::vector<double>* means = find_means(*node, input_channel_means);
    if (!means) continue;
    const std::optional<WeightPair> w = quantized_weights(*node);
    if (!w) continue;
    bool done = false;
    if (type == "Conv") done = correct_conv(quantized, *node, *w, *means);
    if (type == "Gemm") done = correct_gemm(quantized, *node, *w, *means);
    if (type == "MatMul") done = correct_matmul(quantized, *node, *w, *means);
    corrected += done;
  }
  return corrected;
}

void restore_fp32_bias(Graph& quantized, const Graph& fp32, const std::string& layer) {
  Node* node = quantized.find_node(layer);
  const Node* original = fp32.find_node(layer);
  OCTET_CHECK(node && original, ErrorCode::kInvalidArgument, "cannot restore the fp32 bias of '", layer,
              "': no such node in both graphs");
  if (node->op_type() == "Conv" || node->op_type() == "Gemm") {
    if (!is_corrected_bias(node->input(2), *node)) return;
    quantized.set_input(node, 2, copy_constant(quantized, original->input(2)));
    if (node->op_type() == "Gemm") node->set_attribute("beta", original->attribute_or<float>("beta", 1.0f));
  } else if (node->op_type() == "MatMul") {
    Value* out = node->output(0);
    if (out->uses().size() != 1) return;
    Node* add = out->uses()[0].node;
    if (add->name().starts_with(bias_add_name(*node))) {
      quantized.replace_all_uses(add->output(0), out);
      quantized.remove_node(add);
    } else if (const Node* original_add = fp32.find_node(add->name());
               add->op_type() == "Add" && original_add && add->input_count() == 2) {
      const size_t other = add->input(0) == out ? 1 : 0;
      if (!is_corrected_bias(add->input(other), *node)) return;
      quantized.set_input(add, other, copy_constant(quantized, original_add->input(other)));
    }
  } else {
    return;
  }
  quantized.remove_unused();  // the corrected constant
  infer_shapes(quantized);
}

}  // namespace octet::quantization
