// OpenVINO ops that Octet keeps under their own names, inputs and attributes (ops/openvino_*.cpp): MVN
// (v6 form; MVN-1 is rewritten to it), NormalizeL2, PriorBox, PriorBoxClustered, DetectionOutput,
// RegionYolo, CTCGreedyDecoder. Attributes are typed by a per-op schema: ints -> int64, floats -> float,
// lists -> vectors, booleans -> int64 0/1, strings stay strings.
#include <map>

#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

enum class Kind { kInt, kFloat, kInts, kFloats, kBool, kString };
using Schema = std::map<std::string, Kind>;

const std::map<std::string, Schema>& schemas() {
  using enum Kind;
  static const std::map<std::string, Schema> kSchemas = {
      {"NormalizeL2", {{"eps", kFloat}, {"eps_mode", kString}}},
      {"PriorBox",
       {{"min_size", kFloats},
        {"max_size", kFloats},
        {"aspect_ratio", kFloats},
        {"density", kFloats},
        {"fixed_ratio", kFloats},
        {"fixed_size", kFloats},
        {"flip", kBool},
        {"clip", kBool},
        {"scale_all_sizes", kBool},
        {"min_max_aspect_ratios_order", kBool},
        {"step", kFloat},
        {"offset", kFloat},
        {"variance", kFloats}}},
      {"PriorBoxClustered",
       {{"width", kFloats},
        {"height", kFloats},
        {"clip", kBool},
        {"step", kFloat},
        {"step_w", kFloat},
        {"step_h", kFloat},
        {"offset", kFloat},
        {"variance", kFloats},
        {"img_w", kFloat},
        {"img_h", kFloat}}},
      {"DetectionOutput",
       {{"num_classes", kInt},
        {"background_label_id", kInt},
        {"top_k", kInt},
        {"variance_encoded_in_target", kBool},
        {"keep_top_k", kInts},
        {"code_type", kString},
        {"share_location", kBool},
        {"nms_threshold", kFloat},
        {"confidence_threshold", kFloat},
        {"clip_after_nms", kBool},
        {"clip_before_nms", kBool},
        {"decrease_label_id", kBool},
        {"normalized", kBool},
        {"input_height", kInt},
        {"input_width", kInt},
        {"objectness_score", kFloat},
        {"eta", kFloat}}},
      {"RegionYolo",
       {{"coords", kInt},
        {"classes", kInt},
        {"num", kInt},
        {"do_softmax", kBool},
        {"mask", kInts},
        {"axis", kInt},
        {"end_axis", kInt},
        {"anchors", kFloats}}},
      {"CTCGreedyDecoder", {{"ctc_merge_repeated", kBool}}},
  };
  return kSchemas;
}

// Attributes outside the schema are legacy leftovers of the converters (e.g. DetectionOutput's "visualize"
// or PriorBoxClustered's "flip") that OpenVINO itself ignores, so they are dropped.
Attributes typed_attributes(const IrOpContext& c) {
  Attributes attrs;
  const Schema& schema = schemas().at(c.layer().type);
  for (const auto& [key, kind] : schema) {
    if (!c.has_attr(key)) continue;
    switch (kind) {
      case Kind::kInt:
        attrs[key] = c.attr_int(key);
        break;
      case Kind::kFloat:
        attrs[key] = c.attr_float(key);
        break;
      case Kind::kInts:
        attrs[key] = c.attr_ints(key);
        break;
      case Kind::kFloats:
        attrs[key] = c.attr_floats(key);
        break;
      case Kind::kBool:
        attrs[key] = int64_t{c.attr_bool(key) ? 1 : 0};
        break;
      case Kind::kString:
        attrs[key] = c.attr_string(key);
        break;
    }
  }
  return attrs;
}

std::vector<Value*> same_op(IrOpContext& c) {
  std::vector<Value*> inputs;
  for (size_t i = 0; i < c.input_count(); ++i) inputs.push_back(c.input(i));
  return {c.add(c.layer().type, std::move(inputs), typed_attributes(c))};
}

Attributes mvn_attributes(const IrOpContext& c, const std::string& eps_mode) {
  return {{"normalize_variance", int64_t{c.attr_bool_or("normalize_variance", false) ? 1 : 0}},
          {"eps", c.attr_float("eps")},
          {"eps_mode", eps_mode}};
}

std::vector<Value*> mvn_v6(IrOpContext& c) {
  c.expect_inputs(2, 2);
  return {
      c.add("MVN", {c.input(0), c.as_i64_vector(c.input(1))}, mvn_attributes(c, c.attr_string("eps_mode")))};
}

// MVN-1 normalizes over all axes from 1 (across_channels) or 2, or over reduction_axes when given, with eps
// inside the square root (as OpenVINO's own MVN-1 to MVN-6 conversion does).
std::vector<Value*> mvn_v1(IrOpContext& c) {
  c.expect_inputs(1, 1);
  std::vector<int64_t> axes = c.attr_ints_or("reduction_axes", {});
  if (axes.empty()) {
    const int64_t rank = c.input_rank(0);
    for (int64_t a = c.attr_bool_or("across_channels", false) ? 1 : 2; a < rank; ++a) axes.push_back(a);
  }
  return {c.add("MVN", {c.input(0), c.constant_i64(axes)}, mvn_attributes(c, "inside_sqrt"))};
}

}  // namespace

void register_openvino_op_translators(IrTranslatorTable& table) {
  table.add("MVN", {6}, mvn_v6, {"MVN"});
  table.add("MVN", {1, 2}, mvn_v1, {"MVN"});
  table.add("NormalizeL2", {1}, same_op, {"NormalizeL2"});
  table.add("PriorBox", {1, 8}, same_op, {"PriorBox"});
  table.add("PriorBoxClustered", {1}, same_op, {"PriorBoxClustered"});
  table.add("DetectionOutput", {1, 8}, same_op, {"DetectionOutput"});
  table.add("RegionYolo", {1}, same_op, {"RegionYolo"});
  table.add("CTCGreedyDecoder", {1}, same_op, {"CTCGreedyDecoder"});
}

}  // namespace octet::openvino_ir
