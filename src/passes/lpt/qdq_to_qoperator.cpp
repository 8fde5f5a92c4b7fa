#include "passes/lpt/qdq_to_qoperator.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ops/op_registry.h"
#include "passes/generic/batchnorm_affine.h"
#include "passes/generic/rewrite_helpers.h"
#include "passes/lpt/propagate_qdq.h"
#include "passes/lpt/qdq_utils.h"
#include "passes/lpt/qdq_weights.h"

namespace octet {
namespace {

using lpt::QuantParams;

// An integer input of the new node: the tensor and its parameter constants.
struct QInput {
  Value* values = nullptr;
  QuantParams params;
};

// X when `value` is Transpose(X) of a 2-d X with perm [1,0] (or none), else nullptr.
Value* transposed_matrix_input(const Value* value) {
  const Node* t = value->producer();
  if (!t || t->op_type() != "Transpose" || !t->has_input(0) || value->uses().size() != 1) return nullptr;
  const Shape& shape = t->input(0)->shape();
  if (!shape.rank_known() || shape.rank() != 2) return nullptr;
  const auto perm = t->attribute_or<std::vector<int64_t>>("perm", {1, 0});
  return perm == std::vector<int64_t>{1, 0} ? t->input(0) : nullptr;
}

Attributes trans_b_attributes(bool trans_b) {
  Attributes attributes;
  if (trans_b) attributes["transB"] = int64_t{1};
  return attributes;
}

// The DequantizeLinear computing `value` from a per-tensor u8/i8 tensor (activation or constant).
std::optional<QInput> dequantized_input(const Value* value) {
  const Node* dq = lpt::dequantize_producer(value);
  if (!dq) return std::nullopt;
  const std::optional<QuantParams> p = lpt::qdq_params(*dq);
  if (!p || !p->per_tensor() || (p->type != ElementType::kU8 && p->type != ElementType::kI8))
    return std::nullopt;
  return QInput{dq->input(0), *p};
}

class Rewriter {
 public:
  Rewriter(Graph& graph, PassContext& context) : graph_(graph), context_(context) {}

  bool rewrite(Node* node) {
    const std::string& type = node->op_type();
    if (type == "Conv") return conv(node);
    if (type == "MatMul") return matmul(node);
    if (type == "Gemm") return gemm(node);
    if (type == "Add" || type == "Mul") return scale_shift(node) || binary(node);
    if (type == "BatchNormalization") return batch_norm(node);
    if (type == "Concat") return concat(node);
    if (type == "GlobalAveragePool" || type == "ReduceMean") return global_average_pool(node);
    if (type == "AveragePool") return average_pool(node);
    if (is_precision_preserving(*node)) return precision_preserving(node);
    if (is_tabulated_function(type)) return lookup(node);
    return false;
  }

 private:
  // Appends the tensor, scale and zero point of `in` to `inputs`.
  void push(std::vector<Value*>& inputs, Value* values, const QuantParams& p, const std::string& base) {
    if (values) inputs.push_back(values);
    inputs.push_back(lpt::add_scale_constant(graph_, base, p));
    inputs.push_back(lpt::add_zero_point_constant(graph_, base, p));
  }

  // The per-tensor u8/i8 QuantizeLinear reading `value` (all its uses), or nullptr.
  Node* output_quantize(const Value* value, std::optional<QuantParams>& params) {
    Node* q = lpt::sole_quantize_consumer(graph_, value);
    if (!q) return nullptr;
    params = lpt::qdq_params(*q);
    if (!params || !params->per_tensor() || params->type == ElementType::kI32) return nullptr;
    return q;
  }

  // An Add of a per-channel constant reading `value` alone: its values, one per channel.
  std::optional<std::vector<double>> bias_add(const Value* value, int64_t channels, size_t rank, Node*& add) {
    add = sole_consumer(graph_, value);
    if (!add || add->op_type() != "Add" || add->input_count() != 2) return std::nullopt;
    const Value* other = add->input(0) == value ? add->input(1) : add->input(0);
    const Tensor* c = f32_constant(other);
    if (!c) return std::nullopt;
    return per_channel_values(*c, rank, channels);
  }

  bool conv(Node* node) {
    const std::optional<QInput> x = dequantized_input(node->input(0));
    if (!x || node->input(0)->shape().rank_known() == false) return false;
    const std::optional<lpt::IntegerWeights> w = lpt::integer_weights(graph_, node->input(1), 0);
    if (!w) return false;
    const int64_t channels = w->values->constant().dims()[0];
    std::optional<std::vector<double>> bias;
    if (node->has_input(2)) {
      bias = lpt::bias_values(node->input(2), channels);
      if (!bias) return false;
    }
    // A bias Add after the convolution joins the bias (OpenVINO keeps it apart from Convolution).
    Node* add = nullptr;
    const Value* result = node->output(0);
    if (auto extra = bias_add(result, channels, node->output(0)->shape().rank(), add)) {
      if (!bias) bias = std::vector<double>(static_cast<size_t>(channels), 0.0);
      for (int64_t c = 0; c < channels; ++c)
        (*bias)[static_cast<size_t>(c)] += (*extra)[static_cast<size_t>(c)];
      result = add->output(0);
    } else {
      add = nullptr;
    }
    std::optional<QuantParams> y;
    Node* q = output_quantize(result, y);
    std::optional<Tensor> bias_q;
    if (bias) {
      bias_q = lpt::quantize_bias(*bias, x->params.scales[0], w->params.scales, channels);
      if (!bias_q) return false;
    }
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    push(inputs, x->values, x->params, name + "/x");
    push(inputs, w->values, w->params, name + "/w");
    if (!q) {
      // Not quantized afterwards (a graph output, an fp32 reader): QLinearConv's f32 form, without y_scale
      // and y_zero_point, gives float(acc) * x_scale * w_scale[oc], what the DQ inputs' float convolution
      // gives up to rounding (and the bias's rounding to x_scale * w_scale steps).
      inputs.push_back(nullptr);
      inputs.push_back(nullptr);
      if (bias_q) inputs.push_back(graph_.add_constant(graph_.unique_name(name + "/bias_i32"), *bias_q));
      if (add) {
        lpt::replace_unit(graph_, context_, node, {}, add, "QLinearConv", std::move(inputs),
                          node->attributes());
      } else {
        replace_node(graph_, node, "QLinearConv", std::move(inputs), node->attributes());
      }
      return true;
    }
    push(inputs, nullptr, *y, name + "/y");
    if (bias_q) inputs.push_back(graph_.add_constant(graph_.unique_name(name + "/bias_i32"), *bias_q));
    Attributes attributes = node->attributes();
    std::vector<Node*> absorbed;
    if (add) absorbed.push_back(add);
    lpt::replace_unit(graph_, context_, node, absorbed, q, "QLinearConv", std::move(inputs),
                      std::move(attributes));
    return true;
  }

  // QGemm(A, B, bias) for A [M,K] and constant B ([K,N], or [N,K] with trans_b), then Q.
  bool qgemm(Node* node, const QInput& a, Value* b_value, bool trans_b,
             std::optional<std::vector<double>> bias, Node* add, float alpha, Attributes attributes) {
    const std::optional<lpt::IntegerWeights> b = lpt::integer_weights(graph_, b_value, trans_b ? 0 : 1);
    if (!b) return false;
    const int64_t n = b->values->constant().dims()[trans_b ? 0 : 1];
    const Value* result = add ? add->output(0) : node->output(0);
    std::optional<QuantParams> y;
    Node* q = output_quantize(result, y);
    std::optional<Tensor> bias_q;
    if (bias) {
      bias_q = lpt::quantize_bias(*bias, alpha * a.params.scales[0], b->params.scales, n);
      if (!bias_q) return false;
    }
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    push(inputs, a.values, a.params, name + "/a");
    push(inputs, b->values, b->params, name + "/b");
    inputs.push_back(bias_q ? graph_.add_constant(graph_.unique_name(name + "/bias_i32"), *bias_q) : nullptr);
    if (!q) {
      // Not quantized afterwards: QGemm without y_scale gives f32 (the int32 result times
      // alpha * a_scale * b_scale[n], exactly what the DQ inputs' float product is up to rounding).
      if (add) {
        lpt::replace_unit(graph_, context_, node, {}, add, "QGemm", std::move(inputs), std::move(attributes));
      } else {
        replace_node(graph_, node, "QGemm", std::move(inputs), std::move(attributes));
      }
      return true;
    }
    push(inputs, nullptr, *y, name + "/y");
    std::vector<Node*> absorbed;
    if (add) absorbed.push_back(add);
    lpt::replace_unit(graph_, context_, node, absorbed, q, "QGemm", std::move(inputs), std::move(attributes));
    return true;
  }

  bool matmul(Node* node) {
    const std::optional<QInput> a = dequantized_input(node->input(0));
    if (!a) return false;
    const Shape& a_shape = node->input(0)->shape();
    const Value* b_value = node->input(1);
    const auto is_constant_weight = [](const Value* v) {
      return v->is_constant() ||
             (lpt::dequantize_producer(v) && lpt::dequantize_producer(v)->input(0)->is_constant());
    };
    const bool constant_b = is_constant_weight(b_value);
    // B = Transpose(W) of constant [N,K] weights: how OpenVINO IRs (MatMul transpose_b) and our IR writer
    // spell a fully connected layer. QGemm reads W with trans_b instead.
    Value* transposed_b = transposed_matrix_input(b_value);
    const bool constant_transposed_b = transposed_b && is_constant_weight(transposed_b);
    // 2-d by constant weights with a row bias Add: a fully connected layer, QGemm.
    const Shape& b_shape = b_value->shape();
    if ((constant_b || constant_transposed_b) && a_shape.rank_known() && a_shape.rank() == 2 &&
        b_shape.rank_known() && b_shape.rank() == 2 && node->output(0)->shape().is_static()) {
      Value* weights = constant_b ? node->input(1) : transposed_b;
      const bool trans_b = !constant_b;
      const int64_t n = node->output(0)->shape()[1];
      Node* add = sole_consumer(graph_, node->output(0));
      if (add && add->op_type() == "Add" && add->input_count() == 2) {
        const Value* other = add->input(0) == node->output(0) ? add->input(1) : add->input(0);
        const Tensor* c = f32_constant(other);
        if (c && c->rank() <= 2 &&
            (c->element_count() == 1 || (c->element_count() == n && c->dims().back() == n))) {
          std::vector<double> bias;
          for (int64_t i = 0; i < n; ++i) bias.push_back(c->value_as_double(c->element_count() == 1 ? 0 : i));
          return qgemm(node, *a, weights, trans_b, bias, add, 1.0f, trans_b_attributes(trans_b));
        }
      }
      // A fully connected layer without bias.
      return qgemm(node, *a, weights, trans_b, std::nullopt, nullptr, 1.0f, trans_b_attributes(trans_b));
    }
    // QLinearMatMul: B per tensor (activation or constant) or per column (constant, 2-d).
    std::optional<QInput> b = dequantized_input(b_value);
    if (!b) {
      if (!constant_b || !b_shape.rank_known() || b_shape.rank() != 2) return false;
      const std::optional<lpt::IntegerWeights> w = lpt::integer_weights(graph_, node->input(1), 1);
      if (!w) return false;
      b = QInput{w->values, w->params};
    }
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q) return false;
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    push(inputs, a->values, a->params, name + "/a");
    push(inputs, b->values, b->params, name + "/b");
    push(inputs, nullptr, *y, name + "/y");
    lpt::replace_unit(graph_, context_, node, {}, q, "QLinearMatMul", std::move(inputs));
    return true;
  }

  bool gemm(Node* node) {
    const std::optional<QInput> a = dequantized_input(node->input(0));
    if (!a) return false;
    const bool trans_b = node->attribute_or<int64_t>("transB", 0) != 0;
    const float alpha = node->attribute_or<float>("alpha", 1.0f);
    const float beta = node->attribute_or<float>("beta", 1.0f);
    const Shape& out = node->output(0)->shape();
    if (!out.is_static() || out.rank() != 2) return false;
    const int64_t n = out[1];
    std::optional<std::vector<double>> bias;
    if (node->has_input(2)) {
      const Value* c_value = node->input(2);
      const Tensor* c = c_value->is_constant() ? &c_value->constant() : nullptr;
      if (c && c->rank() <= 2 &&
          (c->element_count() == 1 || (c->element_count() == n && c->dims().back() == n))) {
        bias = std::vector<double>();
        for (int64_t i = 0; i < n; ++i)
          bias->push_back(beta * c->value_as_double(c->element_count() == 1 ? 0 : i));
      } else {
        bias = lpt::bias_values(c_value, n);
        if (!bias) return false;
        for (double& v : *bias) v *= beta;
      }
    }
    Attributes attributes;
    attributes["alpha"] = alpha;
    attributes["transA"] = node->attribute_or<int64_t>("transA", 0);
    attributes["transB"] = static_cast<int64_t>(trans_b);
    return qgemm(node, *a, node->input(1), trans_b, bias, nullptr, alpha, std::move(attributes));
  }

  // The per-channel constant operand of Mul / Add `node` for an input of rank `rank` with `channels` channels
  // (the other operand is `input`), as floats; nullopt when it is not one.
  static std::optional<std::vector<float>> channel_operand(const Node& node, const Value* input, size_t rank,
                                                           int64_t channels) {
    if (node.input_count() != 2 || (node.input(0) != input && node.input(1) != input)) return std::nullopt;
    const Tensor* c = f32_constant(node.input(0) == input ? node.input(1) : node.input(0));
    if (!c) return std::nullopt;
    const std::optional<std::vector<double>> values = per_channel_values(*c, rank, channels);
    if (!values) return std::nullopt;
    return std::vector<float>(values->begin(), values->end());
  }

  // QLinearScaleShift of x (dequantized `input`) by one multiplier and offset per channel, replacing `node`
  // (and the nodes in `absorbed`, the last of which computes `result`), when `result` is quantized per
  // tensor.
  bool write_scale_shift(Node* node, const Value* input, const std::vector<float>& multiplier,
                         const std::vector<float>& offset, const std::vector<Node*>& absorbed,
                         const Value* result) {
    const std::optional<QInput> x = dequantized_input(input);
    if (!x || result->shape() != input->shape()) return false;  // no broadcasting beyond x's own channels
    std::optional<QuantParams> y;
    Node* q = output_quantize(result, y);
    if (!q || (y->type != ElementType::kU8 && y->type != ElementType::kI8)) return false;
    const std::string& name = node->name();
    const auto vector_constant = [&](const std::string& suffix, const std::vector<float>& values) {
      return graph_.add_constant(graph_.unique_name(name + suffix),
                                 Tensor::from_vector<float>({static_cast<int64_t>(values.size())}, values));
    };
    std::vector<Value*> inputs;
    push(inputs, x->values, x->params, name + "/x");
    inputs.push_back(vector_constant("/multiplier", multiplier));
    inputs.push_back(vector_constant("/offset", offset));
    push(inputs, nullptr, *y, name + "/y");
    lpt::replace_unit(graph_, context_, node, absorbed, q, "QLinearScaleShift", std::move(inputs));
    return true;
  }

  // DequantizeLinear -> Mul(per-channel const) [-> Add(per-channel const)] -> QuantizeLinear, or DQ ->
  // Add(per-channel const) -> Q, becomes QLinearScaleShift: a BatchNormalization between two quantized
  // tensors (DenseNet's pre-activation BatchNorm, whose ReLU pass 3 folded into the QuantizeLinear) as an
  // OpenVINO IR writes it, or as fold_standalone_batchnorm would.
  bool scale_shift(Node* node) {
    const Value* input =
        node->input(0) && lpt::dequantize_producer(node->input(0)) ? node->input(0) : node->input(1);
    if (!input || !lpt::dequantize_producer(input)) return false;
    const Shape& shape = input->shape();
    if (!shape.rank_known() || shape.rank() < 2 || shape[1] == kDynamicDim) return false;
    const int64_t channels = shape[1];
    const std::optional<std::vector<float>> first = channel_operand(*node, input, shape.rank(), channels);
    if (!first) return false;
    std::vector<float> multiplier{1.0f}, offset{0.0f};
    std::vector<Node*> absorbed;
    const Value* result = node->output(0);
    if (node->op_type() == "Mul") {
      multiplier = *first;
      Node* next = sole_consumer(graph_, result);
      if (next && next->op_type() == "Add") {
        if (auto shift = channel_operand(*next, result, shape.rank(), channels)) {
          offset = std::move(*shift);
          absorbed.push_back(next);
          result = next->output(0);
        }
      }
    } else {
      offset = *first;
    }
    return write_scale_shift(node, input, multiplier, offset, absorbed, result);
  }

  // DequantizeLinear -> BatchNormalization (inference, constant parameters) -> QuantizeLinear: the same, with
  // the BatchNorm's own affine map (fold_standalone_batchnorm's, which runs after these passes).
  bool batch_norm(Node* node) {
    if (!node->has_input(0) || !lpt::dequantize_producer(node->input(0))) return false;
    const std::optional<ChannelAffine> affine = batchnorm_affine(*node, batchnorm_channels(*node));
    const Shape& shape = node->input(0)->shape();
    if (!affine || !shape.rank_known() || shape.rank() < 2 ||
        static_cast<int64_t>(affine->scale.size()) != shape[1])
      return false;
    const std::vector<float> multiplier(affine->scale.begin(), affine->scale.end());
    const std::vector<float> offset(affine->shift.begin(), affine->shift.end());
    return write_scale_shift(node, node->input(0), multiplier, offset, {}, node->output(0));
  }

  bool binary(Node* node) {
    if (node->input_count() != 2) return false;
    const std::optional<QInput> a = dequantized_input(node->input(0));
    const std::optional<QInput> b = dequantized_input(node->input(1));
    if (!a || !b || a->params.type != b->params.type) return false;
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q || y->type != a->params.type) return false;
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    push(inputs, a->values, a->params, name + "/a");
    push(inputs, b->values, b->params, name + "/b");
    push(inputs, nullptr, *y, name + "/y");
    lpt::replace_unit(graph_, context_, node, {}, q, node->op_type() == "Add" ? "QLinearAdd" : "QLinearMul",
                      std::move(inputs));
    return true;
  }

  bool concat(Node* node) {
    std::vector<QInput> parts;
    for (const Value* in : node->inputs()) {
      const std::optional<QInput> part = dequantized_input(in);
      if (!part) return false;
      parts.push_back(*part);
    }
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q) return false;
    bool same = true;
    for (const QInput& part : parts) {
      if (part.params.type != y->type) return false;
      same = same && lpt::same_params(part.params, *y);
    }
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    if (same) {
      for (const QInput& part : parts) inputs.push_back(part.values);
      lpt::replace_unit(graph_, context_, node, {}, q, "Concat", std::move(inputs), node->attributes());
      return true;
    }
    push(inputs, nullptr, *y, name + "/y");
    for (size_t i = 0; i < parts.size(); ++i)
      push(inputs, parts[i].values, parts[i].params, name + "/x" + std::to_string(i));
    lpt::replace_unit(graph_, context_, node, {}, q, "QLinearConcat", std::move(inputs),
                      {{"axis", node->attribute<int64_t>("axis")}});
    return true;
  }

  // ReduceMean over every spatial axis with keepdims is GlobalAveragePool (OpenVINO writes it so).
  static bool is_spatial_mean(const Node& node) {
    const Shape& x = node.input(0)->shape();
    if (!x.rank_known() || x.rank() < 3 || node.attribute_or<int64_t>("keepdims", 1) != 1) return false;
    const Value* axes = node.input(1);
    if (!axes || !axes->is_constant()) return false;
    std::vector<int64_t> list = axes->constant().to_int64_vector();
    const auto rank = static_cast<int64_t>(x.rank());
    for (int64_t& a : list) a = a < 0 ? a + rank : a;
    std::sort(list.begin(), list.end());
    std::vector<int64_t> spatial;
    for (int64_t a = 2; a < rank; ++a) spatial.push_back(a);
    return list == spatial;
  }

  bool global_average_pool(Node* node) {
    if (node->op_type() == "ReduceMean" && !is_spatial_mean(*node)) return false;
    const std::optional<QInput> x = dequantized_input(node->input(0));
    if (!x) return false;
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q || y->type != x->params.type) return false;
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    push(inputs, x->values, x->params, name + "/x");
    push(inputs, nullptr, *y, name + "/y");
    lpt::replace_unit(graph_, context_, node, {}, q, "QLinearGlobalAveragePool", std::move(inputs),
                      {{"channels_last", int64_t{0}}});
    return true;
  }

  bool average_pool(Node* node) {
    for (int64_t d : node->attribute_or<std::vector<int64_t>>("dilations", {}))
      if (d != 1) return false;
    const std::optional<QInput> x = dequantized_input(node->input(0));
    if (!x) return false;
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q || y->type != x->params.type) return false;
    const std::string& name = node->name();
    std::vector<Value*> inputs;
    push(inputs, x->values, x->params, name + "/x");
    push(inputs, nullptr, *y, name + "/y");
    Attributes attributes = node->attributes();
    attributes.erase("dilations");
    lpt::replace_unit(graph_, context_, node, {}, q, "QLinearAveragePool", std::move(inputs),
                      std::move(attributes));
    return true;
  }

  // Single-input elementwise functions made QLinearLookup when quantized per tensor on both sides.
  static bool is_tabulated_function(const std::string& type) {
    static const std::set<std::string, std::less<>> kFunctions = {
        "Sigmoid",  "HardSigmoid", "HardSwish", "LeakyRelu", "Tanh", "Elu", "Selu", "Softplus",
        "Softsign", "Erf",         "Exp",       "Log",       "Sqrt", "Abs", "Neg"};
    return kFunctions.count(type) > 0;
  }

  // DequantizeLinear -> f -> QuantizeLinear, all per tensor, becomes QLinearLookup whose table is that chain
  // evaluated by the reference ops on every stored byte: the same numbers as the Q/DQ graph, bit for bit.
  bool lookup(Node* node) {
    if (node->input_count() != 1 || node->output_count() != 1) return false;
    const std::optional<QInput> x = dequantized_input(node->input(0));
    if (!x) return false;
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q || (y->type != ElementType::kU8 && y->type != ElementType::kI8)) return false;
    const Node& dq = *lpt::dequantize_producer(node->input(0));
    const Tensor bytes = lpt::every_byte(x->params.type);
    const auto constant_or_null = [](const Node& n, size_t i) {
      return n.has_input(i) ? &n.input(i)->constant() : nullptr;
    };
    const OpRegistry& ops = OpRegistry::instance();
    const Tensor real =
        ops.get(dq).evaluate(dq, {&bytes, &dq.input(1)->constant(), constant_or_null(dq, 2)})[0];
    const Tensor mapped = ops.get(*node).evaluate(*node, {&real})[0];
    Tensor table = ops.get(*q).evaluate(*q, {&mapped, &q->input(1)->constant(), constant_or_null(*q, 2)})[0];
    const std::string& name = node->name();
    std::vector<Value*> inputs = {x->values, graph_.add_constant(name + "/table", std::move(table))};
    lpt::replace_unit(graph_, context_, node, {}, q, "QLinearLookup", std::move(inputs));
    return true;
  }

  bool precision_preserving(Node* node) {
    if (node->output_count() != 1) return false;
    const std::optional<QInput> x = dequantized_input(node->input(0));
    if (!x) return false;
    std::optional<QuantParams> y;
    Node* q = output_quantize(node->output(0), y);
    if (!q || !lpt::same_params(x->params, *y)) return false;
    std::vector<Value*> inputs = node->inputs();
    inputs[0] = x->values;
    if (node->op_type() == "Pad" && inputs.size() > 2 && inputs[2]) {
      // The pad value 0.0 is the zero point on the integer tensor.
      QuantParams zero = x->params;
      inputs[2] = lpt::add_zero_point_constant(graph_, node->name() + "/pad_value", zero);
    }
    lpt::replace_unit(graph_, context_, node, {}, q, node->op_type(), std::move(inputs), node->attributes());
    return true;
  }

  Graph& graph_;
  PassContext& context_;
};

}  // namespace

size_t qdq_to_qoperator(Graph& graph, PassContext& context) {
  // By name: a rewrite removes nodes later in the order, and its new node reuses the op's name with another
  // op type, so it is not visited again.
  std::vector<std::string> names;
  for (const Node* node : graph.topological_order()) names.push_back(node->name());
  Rewriter rewriter(graph, context);
  size_t rewritten = 0;
  for (const std::string& name : names) {
    Node* node = graph.find_node(name);
    if (node && rewriter.rewrite(node)) ++rewritten;
  }
  graph.remove_unused();
  return rewritten;
}

}  // namespace octet
