#include "frontends/openvino_ir/ir_op_context.h"

#include "ops/op_registry.h"
#include "ops/shape_inference.h"
#include "passes/generic/fold_constants.h"

namespace octet::openvino_ir {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (text.find_first_not_of(" \t") == std::string::npos) return items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace

IrOpContext::IrOpContext(Graph& graph, const IrLayer& layer, std::vector<Value*> inputs,
                         std::vector<bool> outputs_used)
    : graph_(graph), layer_(layer), inputs_(std::move(inputs)), outputs_used_(std::move(outputs_used)) {}

Value* IrOpContext::input(size_t i) const {
  OCTET_CHECK(i < inputs_.size(), ErrorCode::kInvalidModel, label(), ": input ", i,
              " is missing (the layer has ", inputs_.size(), " inputs)");
  return inputs_[i];
}

void IrOpContext::expect_inputs(size_t min, size_t max) const {
  OCTET_CHECK(inputs_.size() >= min && inputs_.size() <= max, ErrorCode::kInvalidModel, label(), ": has ",
              inputs_.size(), " inputs, expected ", min == max ? str_cat(min) : str_cat(min, " to ", max));
}

const Shape& IrOpContext::input_shape(size_t i) const {
  return input(i)->shape();
}

int64_t IrOpContext::input_rank(size_t i) const {
  const Shape& shape = input_shape(i);
  OCTET_CHECK(shape.rank_known(), ErrorCode::kUnsupported, label(), ": the rank of input ", i,
              " is not known, which this translation needs");
  return static_cast<int64_t>(shape.rank());
}

const Dims& IrOpContext::input_static_dims(size_t i) const {
  const Shape& shape = input_shape(i);
  if (shape.is_static()) return shape.dims();
  // Inference may know less than the IR states (e.g. through a FakeQuantize on weights); the port's dims
  // were checked against the producer's, so they are a sound fallback.
  if (i < layer_.inputs.size()) {
    const Dims& declared = layer_.inputs[i].dims;
    if (shape.accepts(declared) && Shape(declared).is_static()) return declared;
  }
  OCTET_CHECK(shape.is_static(), ErrorCode::kUnsupported, label(), ": input ", i, " has dynamic shape ",
              shape.to_string(), ", which this translation needs static");
  return shape.dims();
}

Tensor IrOpContext::constant_input(size_t i) {
  if (!input(i)->is_constant()) {
    // Shape subgraphs (ShapeOf -> Gather -> ...) become constants once folded. Folding replaces Values, so
    // the inputs are looked up again by name (folded constants keep the names).
    std::vector<std::string> names;
    for (Value* v : inputs_) names.push_back(v->name());
    fold_constants(graph_);
    for (size_t k = 0; k < inputs_.size(); ++k) {
      inputs_[k] = graph_.find_value(names[k]);
      OCTET_ASSERT(inputs_[k] != nullptr);
    }
  }
  OCTET_CHECK(input(i)->is_constant(), ErrorCode::kUnsupported, label(), ": input ", i,
              " must be a constant (or computable from constants and static shapes)");
  return input(i)->constant();
}

const std::string& IrOpContext::raw_attr(const std::string& key) const {
  const auto it = layer_.data.find(key);
  OCTET_CHECK(it != layer_.data.end(), ErrorCode::kInvalidModel, label(), ": attribute '", key,
              "' is missing");
  return it->second;
}

std::string IrOpContext::attr_string(const std::string& key) const {
  return raw_attr(key);
}

std::string IrOpContext::attr_string_or(const std::string& key, const std::string& fallback) const {
  return has_attr(key) ? raw_attr(key) : fallback;
}

int64_t IrOpContext::attr_int(const std::string& key) const {
  int64_t value = 0;
  OCTET_CHECK(parse_int64(raw_attr(key), value), ErrorCode::kInvalidModel, label(), ": attribute ", key,
              "=\"", raw_attr(key), "\" is not an integer");
  return value;
}

int64_t IrOpContext::attr_int_or(const std::string& key, int64_t fallback) const {
  return has_attr(key) ? attr_int(key) : fallback;
}

float IrOpContext::attr_float(const std::string& key) const {
  float value = 0;
  OCTET_CHECK(parse_float(raw_attr(key), value), ErrorCode::kInvalidModel, label(), ": attribute ", key,
              "=\"", raw_attr(key), "\" is not a number");
  return value;
}

float IrOpContext::attr_float_or(const std::string& key, float fallback) const {
  return has_attr(key) ? attr_float(key) : fallback;
}

bool IrOpContext::attr_bool(const std::string& key) const {
  const std::string& v = raw_attr(key);
  if (v == "true" || v == "True" || v == "TRUE" || v == "1") return true;
  if (v == "false" || v == "False" || v == "FALSE" || v == "0") return false;
  fail(ErrorCode::kInvalidModel, label(), ": attribute ", key, "=\"", v, "\" is not a boolean");
}

bool IrOpContext::attr_bool_or(const std::string& key, bool fallback) const {
  return has_attr(key) ? attr_bool(key) : fallback;
}

std::vector<int64_t> IrOpContext::attr_ints(const std::string& key) const {
  std::vector<int64_t> values;
  for (const std::string& item : split_list(raw_attr(key))) {
    int64_t v = 0;
    OCTET_CHECK(parse_int64(item, v), ErrorCode::kInvalidModel, label(), ": attribute ", key, "=\"",
                raw_attr(key), "\" is not a list of integers");
    values.push_back(v);
  }
  return values;
}

std::vector<int64_t> IrOpContext::attr_ints_or(const std::string& key, std::vector<int64_t> fallback) const {
  return has_attr(key) ? attr_ints(key) : fallback;
}

std::vector<float> IrOpContext::attr_floats(const std::string& key) const {
  std::vector<float> values;
  for (const std::string& item : split_list(raw_attr(key))) {
    float v = 0;
    OCTET_CHECK(parse_float(item, v), ErrorCode::kInvalidModel, label(), ": attribute ", key, "=\"",
                raw_attr(key), "\" is not a list of numbers");
    values.push_back(v);
  }
  return values;
}

std::vector<float> IrOpContext::attr_floats_or(const std::string& key, std::vector<float> fallback) const {
  return has_attr(key) ? attr_floats(key) : fallback;
}

Value* IrOpContext::add(const std::string& op_type, std::vector<Value*> inputs, Attributes attributes) {
  return add_multi(op_type, std::move(inputs), 1, std::move(attributes)).front();
}

std::vector<Value*> IrOpContext::add_multi(const std::string& op_type, std::vector<Value*> inputs,
                                           size_t outputs, Attributes attributes) {
  const std::string base = layer_.name.empty() ? op_type : layer_.name;
  const std::string node_name = graph_.unique_name(added_.empty() ? base : base + "/" + op_type);
  std::vector<std::string> output_names;
  for (size_t i = 0; i < outputs; ++i)
    output_names.push_back(graph_.unique_name(str_cat(node_name, "/out", i)));
  Node* node = graph_.add_node(op_type, node_name, std::move(inputs), output_names, std::move(attributes));
  added_.push_back(node);
  try {
    infer_node(*node);
  } catch (const Error& e) {
    fail(e.code(), label(), ": ", e.what());
  }
  return node->outputs();
}

Value* IrOpContext::constant(Tensor tensor) {
  const std::string base = layer_.name.empty() ? std::string("const") : layer_.name + "/const";
  return graph_.add_constant(graph_.unique_name(base), std::move(tensor));
}

Value* IrOpContext::constant_i64(const std::vector<int64_t>& values) {
  return constant(Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values));
}

Value* IrOpContext::scalar_f32(float value) {
  return constant(Tensor::scalar<float>(value));
}

Value* IrOpContext::as_i64_vector(Value* value) {
  if (value->is_constant()) {
    const std::vector<int64_t> values = value->constant().to_int64_vector();
    return constant_i64(values);
  }
  Value* v = value;
  if (v->type() != ElementType::kI64) v = add("Cast", {v}, {{"to", std::string("i64")}});
  if (!v->shape().rank_known() || v->shape().rank() != 1) v = add("Reshape", {v, constant_i64({-1})});
  return v;
}

void IrOpContext::invalid(const std::string& message) const {
  fail(ErrorCode::kInvalidModel, label(), ": ", message);
}

void IrOpContext::unsupported(const std::string& message) const {
  fail(ErrorCode::kUnsupported, label(), ": ", message);
}

}  // namespace octet::openvino_ir
