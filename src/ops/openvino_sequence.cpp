// CTCGreedyDecoder (OpenVINO opset1): best-path CTC decoding. data [T, N, C] holds class scores per time step
// (class C - 1 is the blank), sequence_mask [T, N] says where each sequence ends. Per sequence: take the
// arg max class at each step (the first one on ties), drop blanks and, with ctc_merge_repeated, a class
// equal to the previous step's; write the classes from the start of row n of the f32 output [N, T, 1, 1]
// and fill the rest of the row with -1.
//
// Where a sequence ends: it runs from t = 0 up to (excluding) the first t >= 1 whose mask is 0. The mask at
// t = 0 is not read. For masks as the opset1 spec describes them (ones, then zeros) this is exactly the spec;
// it also decodes the Caffe-style "sequence indicators" (0 at t = 0, then ones) that Open Model Zoo's
// license-plate demos feed, which the Inference Engine CPU plugin of those releases read this way. (Current
// OpenVINO stops at the first 0, so for those inputs it returns only -1.)
#include <algorithm>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/openvino_attributes.h"
#include "ops/openvino_ops.h"

namespace octet {
namespace {

using namespace openvino;

void infer_ctc_greedy_decoder(Node& node) {
  for (size_t i = 0; i < 2; ++i) {
    const ElementType type = input_type(node, i);
    OCTET_CHECK(type == ElementType::kF32,
                is_floating(type) ? ErrorCode::kUnsupported : ErrorCode::kInvalidModel, node.label(),
                ": input ", i == 0 ? "data" : "sequence_mask", " has type ", to_string(type),
                ", only f32 is supported");
  }
  bool_attribute_or(node, "ctc_merge_repeated", true);
  const Shape& data = input_shape(node, 0);
  const Shape& mask = input_shape(node, 1);
  OCTET_CHECK(!data.rank_known() || data.rank() == 3, ErrorCode::kInvalidModel, node.label(),
              ": data must be 3-d [T, N, C], got ", data.to_string());
  OCTET_CHECK(!mask.rank_known() || mask.rank() == 2, ErrorCode::kInvalidModel, node.label(),
              ": sequence_mask must be 2-d [T, N], got ", mask.to_string());
  // T and N from either input, checked against each other where both are known.
  int64_t tn[2] = {kDynamicDim, kDynamicDim};
  for (size_t d = 0; d < 2; ++d) {
    const int64_t a = data.rank_known() ? data[d] : kDynamicDim;
    const int64_t b = mask.rank_known() ? mask[d] : kDynamicDim;
    OCTET_CHECK(a == kDynamicDim || b == kDynamicDim || a == b, ErrorCode::kInvalidModel, node.label(),
                ": data ", data.to_string(), " and sequence_mask ", mask.to_string(), " disagree on [T, N]");
    tn[d] = a != kDynamicDim ? a : b;
  }
  if (data.rank_known())
    OCTET_CHECK(data[2] == kDynamicDim || data[2] >= 1, ErrorCode::kInvalidModel, node.label(),
                ": data has no classes");
  set_output(node, 0, ElementType::kF32, Shape({tn[1], tn[0], 1, 1}));
}

std::vector<Tensor> evaluate_ctc_greedy_decoder(const Node& node, const std::vector<const Tensor*>& inputs) {
  const bool merge_repeated = bool_attribute_or(node, "ctc_merge_repeated", true);
  const Tensor& data = *inputs[0];
  const Tensor& mask = *inputs[1];
  const int64_t steps = data.dims()[0], batch = data.dims()[1], classes = data.dims()[2];
  OCTET_CHECK(mask.dims() == Dims({steps, batch}), ErrorCode::kInvalidArgument, node.label(),
              ": sequence_mask ", mask.description(), " does not match data ", data.description());
  const float* scores = data.data<float>();
  const float* masks = mask.data<float>();
  const int64_t blank = classes - 1;
  Tensor out(ElementType::kF32, {batch, steps, 1, 1});
  float* decoded = out.data<float>();
  std::fill(decoded, decoded + out.element_count(), -1.0f);
  for (int64_t n = 0; n < batch; ++n) {
    float* row = decoded + n * steps;
    int64_t written = 0, previous = -1;
    for (int64_t t = 0; t < steps; ++t) {
      if (t > 0 && masks[t * batch + n] == 0) break;
      const float* step = scores + (t * batch + n) * classes;
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (step[c] > step[best]) best = c;
      if (best != blank && !(merge_repeated && best == previous)) row[written++] = static_cast<float>(best);
      previous = best;
    }
  }
  return {out};
}

}  // namespace

void register_openvino_sequence_ops(OpRegistry& registry) {
  registry.add({"CTCGreedyDecoder", 2, 2, 1, 1, infer_ctc_greedy_decoder, evaluate_ctc_greedy_decoder});
}

}  // namespace octet
