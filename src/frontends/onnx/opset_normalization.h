// Per-op rewrites from the ONNX op versions of opsets 7..18 into the internal op set (ONNX opset 18
// semantics, see ops/README.md): attributes that became inputs, old Softmax coercion, Upsample, Constant,
// Cast, ... Each rule is one small function in a normalize_*.cpp file; this table says which applies when.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "frontends/onnx/import_context.h"

namespace octet::onnx_frontend {

// Rewrites `node` and adds the result (one node or several, or a constant) to the import.
using Normalizer = void (*)(ImportContext& context, OnnxNode node);

struct NormalizationRule {
  std::string_view op_type;
  int64_t
      first_opset;  // the rule applies to models whose default-domain opset is in [first_opset, last_opset]
  int64_t last_opset;
  Normalizer normalize;
  // The internal ops the rewrite emits, for the up-front "is every op supported" check; empty = none (the
  // node becomes a constant).
  std::vector<std::string_view> emitted_ops;
};

// The rule for a default-domain op at the given opset, or nullptr if the node is imported as it is.
const NormalizationRule* find_normalization_rule(std::string_view op_type, int64_t opset);

// Imports a node: applies its rule if one matches, else adds it unchanged.
void import_node(ImportContext& context, OnnxNode node);

// --- the rules (normalize_*.cpp) ---
// normalize_attribute_inputs.cpp: attributes that later opsets turned into inputs.
void normalize_axes_attribute(ImportContext& context, OnnxNode node);  // Squeeze, Unsqueeze, Reduce*
void normalize_split(ImportContext& context, OnnxNode node);
void normalize_slice_1(ImportContext& context, OnnxNode node);
void normalize_topk_1(ImportContext& context, OnnxNode node);
void normalize_clip_6(ImportContext& context, OnnxNode node);
void normalize_pad_2(ImportContext& context, OnnxNode node);
// normalize_resize.cpp
void normalize_upsample(ImportContext& context, OnnxNode node);
void normalize_resize_10(ImportContext& context, OnnxNode node);
void normalize_resize_11(ImportContext& context, OnnxNode node);
// normalize_softmax.cpp: Softmax, LogSoftmax, Hardmax before opset 13.
void normalize_softmax_coerced_2d(ImportContext& context, OnnxNode node);
// normalize_special_ops.cpp
void normalize_constant(ImportContext& context, OnnxNode node);
void normalize_cast(ImportContext& context, OnnxNode node);
void normalize_dropout(ImportContext& context, OnnxNode node);
void normalize_batch_normalization(ImportContext& context, OnnxNode node);
void normalize_average_pool(ImportContext& context, OnnxNode node);

}  // namespace octet::onnx_frontend
