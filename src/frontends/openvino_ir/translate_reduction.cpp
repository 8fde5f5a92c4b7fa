// ReduceMean/Max/Min/Sum/Prod/L1/L2 -> Reduce* (axes as an input, as in ONNX opset 18); TopK -> TopK.
#include <map>

#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

const std::map<std::string, std::string>& reduce_ops() {
  static const std::map<std::string, std::string> kOps = {
      {"ReduceMean", "ReduceMean"}, {"ReduceMax", "ReduceMax"},   {"ReduceMin", "ReduceMin"},
      {"ReduceSum", "ReduceSum"},   {"ReduceProd", "ReduceProd"}, {"ReduceL1", "ReduceL1"},
      {"ReduceL2", "ReduceL2"}};
  return kOps;
}

// OpenVINO reduces over exactly the given axes; an empty axes list reduces nothing (ONNX's
// noop_with_empty_axes = 1), where ONNX would otherwise reduce everything.
std::vector<Value*> reduce(IrOpContext& c) {
  c.expect_inputs(2, 2);
  Attributes attrs = {{"keepdims", int64_t{c.attr_bool_or("keep_dims", false) ? 1 : 0}},
                      {"noop_with_empty_axes", int64_t{1}}};
  return {
      c.add(reduce_ops().at(c.layer().type), {c.input(0), c.as_i64_vector(c.input(1))}, std::move(attrs))};
}

// TopK-1/3: k is a scalar input, values and indices outputs as in ONNX. sort="index" orders the k results by
// index, which ONNX TopK cannot express.
std::vector<Value*> top_k(IrOpContext& c) {
  c.expect_inputs(2, 2);
  const std::string mode = c.attr_string("mode");
  if (mode != "max" && mode != "min") c.invalid("mode must be max or min");
  const std::string sort = c.attr_string_or("sort", "none");
  if (sort == "index") c.unsupported("sort=\"index\" is not supported");
  if (sort != "value" && sort != "none") c.invalid("sort must be value, index or none");
  Attributes attrs = {
      {"axis", c.attr_int("axis")}, {"largest", int64_t{mode == "max" ? 1 : 0}}, {"sorted", int64_t{1}}};
  std::vector<Value*> out =
      c.add_multi("TopK", {c.input(0), c.as_i64_vector(c.input(1))}, 2, std::move(attrs));
  const std::string index_type = c.attr_string_or("index_element_type", "i32");
  if (index_type == "i32") {
    out[1] = c.add("Cast", {out[1]}, {{"to", std::string("i32")}});
  } else if (index_type != "i64") {
    c.invalid("index_element_type must be i32 or i64");
  }
  return out;
}

}  // namespace

void register_reduction_translators(IrTranslatorTable& table) {
  for (const auto& [type, op] : reduce_ops()) {
    const bool opset4 = type == "ReduceL1" || type == "ReduceL2";
    table.add(type, opset4 ? std::set<int>{4} : std::set<int>{1}, reduce, {op});
  }
  table.add("TopK", {1, 3}, top_k, {"TopK", "Cast"});
}

}  // namespace octet::openvino_ir
