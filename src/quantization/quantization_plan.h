// Which tensors of an fp32 graph get a FakeQuantize, chosen so that the low-precision passes
// (src/passes/lpt, docs/int8.md) turn every quantized layer into an int8 op and no quantize/dequantize pair
// is left where it only costs time.
//
// The rules, in the order they apply:
// - A "quantizable" node is one the passes rewrite into a QOperator: Conv (incl. grouped / depthwise) with a
//   constant f32 weight, Gemm with constant B, MatMul with constant 2-d B or two activations, Add / Mul of
//   two activations, Concat of activations, AveragePool, GlobalAveragePool and spatial ReduceMean. Its
//   activation inputs get a FakeQuantize and its constant weight a per-output-channel one.
// - The output of such a node, after a bias Add and a Relu / Clip that the passes fold into the
//   requantization, is quantized for every consumer. When it cannot be (a graph output, or read by an
//   ignored node): a Conv still runs in int8 with an f32 output (QLinearConv's f32 form, the dequantization
//   in its output scales, as OpenVINO does with a detection head), so only its input and weights get a
//   FakeQuantize; the ops without such a form (QLinearMatMul, QLinearAdd, ...) run in fp32 and get no
//   FakeQuantize at all: their inputs would only pay a round trip. A fully connected Gemm / MatMul's output
//   is f32 (QGemm without y_scale) unless its readers quantize it.
// - A FakeQuantize before a precision-preserving op (MaxPool, Reshape, Transpose, Resize nearest, Pad 0, ...,
//   and Identity, which the pipeline removes) is moved above it: the op commutes with quantization, and the
//   passes then run it on integers with the parameters of its input instead of requantizing after it.
// - non_negative_hint marks tensors made by Relu, Clip(>= 0, ..), Sigmoid (or pooled / reshaped from one),
//   so that the range starts at 0 and the Relu / Clip folds into the quantization.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"

namespace octet::quantization {

// Nodes left in fp32: by exact name, by std::regex over the whole name, or by op type.
struct IgnoredScope {
  std::vector<std::string> names{}, patterns{}, types{};
};

// A FakeQuantize on `tensor`, read by the named consumer nodes (the other consumers keep the fp32 tensor).
struct ActivationTarget {
  std::string tensor;
  std::vector<std::string> consumers;
  bool non_negative_hint = false;
};

// A per-channel FakeQuantize on the constant input `input` of node `node`, channels along `axis`.
struct WeightTarget {
  std::string node;
  size_t input = 1;
  int axis = 0;
};

struct QuantizationPlan {
  std::vector<ActivationTarget> activations;  // in topological order of the tensors
  std::vector<WeightTarget> weights;          // in topological order of the nodes
};

// Names only, so that a plan made on one graph applies to a clone of it. Throws kInvalidArgument for an
// ignored-scope pattern that is not a valid regular expression.
QuantizationPlan plan_quantization(const Graph& graph, const IgnoredScope& ignored);

// Whether the scope names the node (by name, full-match pattern or op type).
bool is_ignored(const Node& node, const IgnoredScope& ignored);

}  // namespace octet::quantization
