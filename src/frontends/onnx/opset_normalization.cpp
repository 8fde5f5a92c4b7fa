#include "frontends/onnx/opset_normalization.h"

#include <limits>

namespace octet::onnx_frontend {
namespace {

constexpr int64_t kLatest = std::numeric_limits<int64_t>::max();

// Opset ranges come from the ONNX operator changelog: a rule covers the versions whose form differs from the
// opset 18 one (e.g. Squeeze took `axes` as an attribute until Squeeze-13).
const std::vector<NormalizationRule>& rules() {
  static const std::vector<NormalizationRule> table = {
      {"Squeeze", 1, 12, normalize_axes_attribute, {"Squeeze"}},
      {"Unsqueeze", 1, 12, normalize_axes_attribute, {"Unsqueeze"}},
      {"ReduceSum", 1, 12, normalize_axes_attribute, {"ReduceSum"}},
      {"ReduceMean", 1, 17, normalize_axes_attribute, {"ReduceMean"}},
      {"ReduceMax", 1, 17, normalize_axes_attribute, {"ReduceMax"}},
      {"ReduceMin", 1, 17, normalize_axes_attribute, {"ReduceMin"}},
      {"ReduceProd", 1, 17, normalize_axes_attribute, {"ReduceProd"}},
      {"ReduceL1", 1, 17, normalize_axes_attribute, {"ReduceL1"}},
      {"ReduceL2", 1, 17, normalize_axes_attribute, {"ReduceL2"}},
      {"ReduceLogSum", 1, 17, normalize_axes_attribute, {"ReduceLogSum"}},
      {"ReduceLogSumExp", 1, 17, normalize_axes_attribute, {"ReduceLogSumExp"}},
      {"ReduceSumSquare", 1, 17, normalize_axes_attribute, {"ReduceSumSquare"}},
      {"Split", 1, 17, normalize_split, {"Split"}},
      {"Slice", 1, 9, normalize_slice_1, {"Slice"}},
      {"TopK", 1, 9, normalize_topk_1, {"TopK"}},
      {"Clip", 1, 10, normalize_clip_6, {"Clip"}},
      {"Pad", 1, 10, normalize_pad_2, {"Pad"}},
      {"Upsample", 1, kLatest, normalize_upsample, {"Resize"}},
      {"Resize", 10, 10, normalize_resize_10, {"Resize"}},
      {"Resize", 11, kLatest, normalize_resize_11, {"Resize"}},
      {"Softmax", 1, 12, normalize_softmax_coerced_2d, {"Softmax", "Flatten", "Shape", "Reshape"}},
      {"LogSoftmax", 1, 12, normalize_softmax_coerced_2d, {"LogSoftmax", "Flatten", "Shape", "Reshape"}},
      {"Hardmax", 1, 12, normalize_softmax_coerced_2d, {"Hardmax", "Flatten", "Shape", "Reshape"}},
      {"Constant", 1, kLatest, normalize_constant, {}},
      {"Cast", 1, kLatest, normalize_cast, {"Cast"}},
      {"Dropout", 1, kLatest, normalize_dropout, {"Dropout"}},
      {"BatchNormalization", 1, kLatest, normalize_batch_normalization, {"BatchNormalization"}},
      {"AveragePool", 19, kLatest, normalize_average_pool, {"AveragePool"}},
  };
  return table;
}

}  // namespace

const NormalizationRule* find_normalization_rule(std::string_view op_type, int64_t opset) {
  for (const NormalizationRule& rule : rules())
    if (rule.op_type == op_type && opset >= rule.first_opset && opset <= rule.last_opset) return &rule;
  return nullptr;
}

void import_node(ImportContext& context, OnnxNode node) {
  if (node.domain.empty()) {
    if (const NormalizationRule* rule = find_normalization_rule(node.op_type, context.opset())) {
      rule->normalize(context, std::move(node));
      return;
    }
  }
  context.emit(std::move(node));
}

}  // namespace octet::onnx_frontend
