// Ops whose ONNX form carries something the internal op set spells differently or rejects: Constant nodes
// become constant values, Cast's `to` becomes an element type name, and the training-only outputs of
// Dropout and BatchNormalization are refused.
#include <algorithm>
#include <cstdint>
#include <variant>

#include "frontends/onnx/onnx_element_type.h"
#include "frontends/onnx/opset_normalization.h"
#include "octet/error.h"

namespace octet::onnx_frontend {
namespace {

// Refuses a node whose outputs from index `first` on are read by anything: they only exist in training.
void drop_training_outputs(ImportContext& context, OnnxNode& node, size_t first, const char* what) {
  for (size_t i = first; i < node.outputs.size(); ++i) {
    OCTET_CHECK(node.outputs[i].empty() || !context.is_consumed(node.outputs[i]), ErrorCode::kUnsupported,
                node.label(), ": output ", i, " ('", node.outputs[i], "', ", what,
                ") is used; only inference is supported");
  }
  if (node.outputs.size() > first) node.outputs.resize(first);
}

Tensor constant_value(const OnnxNode& node) {
  OCTET_CHECK(node.attributes.size() == 1, ErrorCode::kInvalidModel, node.label(),
              ": a Constant needs exactly one value attribute, it has ", node.attributes.size());
  // Named references, not a structured binding: clang 14 (the fuzzing build) cannot capture those.
  const std::string& name = node.attributes.begin()->first;
  const auto& value = node.attributes.begin()->second;
  auto expect = [&](auto* typed) {
    OCTET_CHECK(typed, ErrorCode::kInvalidModel, node.label(), ": attribute '", name, "' has the wrong type");
    return typed;
  };
  if (name == "value") return *expect(std::get_if<Tensor>(&value));
  if (name == "value_float") return Tensor::scalar(*expect(std::get_if<float>(&value)));
  if (name == "value_int") return Tensor::scalar(*expect(std::get_if<int64_t>(&value)));
  if (name == "value_floats") {
    const auto& v = *expect(std::get_if<std::vector<float>>(&value));
    return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v);
  }
  if (name == "value_ints") {
    const auto& v = *expect(std::get_if<std::vector<int64_t>>(&value));
    return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v);
  }
  if (name == "value_string" || name == "value_strings")
    fail(ErrorCode::kUnsupported, node.label(), ": string constants are not supported");
  fail(ErrorCode::kInvalidModel, node.label(), ": unknown Constant attribute '", name, "'");
}

}  // namespace

void normalize_constant(ImportContext& context, OnnxNode node) {
  OCTET_CHECK(node.outputs.size() == 1 && !node.outputs[0].empty(), ErrorCode::kInvalidModel, node.label(),
              ": a Constant needs exactly one output");
  OCTET_CHECK(node.inputs.empty(), ErrorCode::kInvalidModel, node.label(), ": a Constant takes no inputs");
  context.graph().add_constant(node.outputs[0], constant_value(node));
}

void normalize_cast(ImportContext& context, OnnxNode node) {
  auto it = node.attributes.find("to");
  OCTET_CHECK(it != node.attributes.end() && std::holds_alternative<int64_t>(it->second),
              ErrorCode::kInvalidModel, node.label(), ": missing int attribute 'to'");
  const int64_t to = std::get<int64_t>(it->second);
  const std::optional<ElementType> type =
      to >= 0 && to <= INT32_MAX ? element_type_from_onnx(static_cast<int32_t>(to)) : std::nullopt;
  OCTET_CHECK(type.has_value(), ErrorCode::kUnsupported, node.label(), ": cast to ",
              onnx_data_type_name(static_cast<int32_t>(to)), " is not supported");
  it->second = std::string(to_string(*type));
  node.attributes.erase("saturate");  // opset 19: only affects float8 targets, which are rejected above
  context.emit(std::move(node));
}

// Dropout is the identity in inference. Its mask output and training_mode = true only exist in training.
void normalize_dropout(ImportContext& context, OnnxNode node) {
  drop_training_outputs(context, node, 1, "the dropout mask");
  if (auto it = node.attributes.find("ratio"); it != node.attributes.end()) {
    // Dropout before 12 had `ratio` as an attribute; opset 12 made it input 1.
    const auto* ratio = std::get_if<float>(&it->second);
    OCTET_CHECK(ratio, ErrorCode::kInvalidModel, node.label(), ": attribute 'ratio' must be a float");
    if (!node.input(1)) node.set_input(1, context.add_constant(node.name + "_ratio", Tensor::scalar(*ratio)));
    node.attributes.erase(it);
  }
  node.attributes.erase("is_test");
  if (Value* training_mode = node.input(2)) {
    OCTET_CHECK(training_mode->is_constant(), ErrorCode::kUnsupported, node.label(), ": training_mode '",
                training_mode->name(),
                "' is not a constant; only inference (training_mode = false) is supported");
    const Tensor& t = training_mode->constant();
    OCTET_CHECK(t.element_count() == 1, ErrorCode::kInvalidModel, node.label(),
                ": training_mode must be a scalar, got ", t.description());
    OCTET_CHECK(t.value_as_int64(0) == 0, ErrorCode::kUnsupported, node.label(),
                ": training_mode is true; only inference is supported");
  }
  context.emit(std::move(node));
}

void normalize_batch_normalization(ImportContext& context, OnnxNode node) {
  drop_training_outputs(context, node, 1, "a training statistic");
  if (auto it = node.attributes.find("training_mode"); it != node.attributes.end()) {
    const auto* mode = std::get_if<int64_t>(&it->second);
    OCTET_CHECK(mode && *mode == 0, ErrorCode::kUnsupported, node.label(),
                ": training_mode = 1; only inference is supported");
  }
  if (auto it = node.attributes.find("spatial"); it != node.attributes.end()) {
    // BatchNormalization-7 could normalize per element instead of per channel (spatial = 0).
    const auto* spatial = std::get_if<int64_t>(&it->second);
    OCTET_CHECK(spatial && *spatial == 1, ErrorCode::kUnsupported, node.label(),
                ": spatial = 0 (per-element statistics) is not supported");
    node.attributes.erase(it);
  }
  node.attributes.erase("is_test");
  node.attributes.erase("consumed_inputs");
  context.emit(std::move(node));
}

// AveragePool-19 added dilations; the internal op set has the opset 18 AveragePool, which has none.
void normalize_average_pool(ImportContext& context, OnnxNode node) {
  if (auto it = node.attributes.find("dilations"); it != node.attributes.end()) {
    const auto* dilations = std::get_if<std::vector<int64_t>>(&it->second);
    const bool trivial =
        dilations && std::all_of(dilations->begin(), dilations->end(), [](int64_t d) { return d == 1; });
    OCTET_CHECK(trivial, ErrorCode::kUnsupported, node.label(), ": dilated average pooling is not supported");
    node.attributes.erase(it);
  }
  context.emit(std::move(node));
}

}  // namespace octet::onnx_frontend
