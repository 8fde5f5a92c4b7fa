// The state of one ONNX graph import that the per-op normalizers share: the graph being built, the model's
// opset, and helpers to add nodes and constants under names that cannot collide with the model's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "graph/graph.h"

namespace octet::onnx_frontend {

// A node as the model wrote it, with inputs resolved to Values. Normalizers rewrite it into the internal op
// set (ops/README.md) before it is added to the graph.
struct OnnxNode {
  std::string op_type;
  std::string domain;                // "" for the default domain (ONNX's "ai.onnx" is stored as "")
  std::string name;                  // unique among the imported nodes
  std::vector<Value*> inputs;        // nullptr = omitted optional input
  std::vector<std::string> outputs;  // "" = omitted optional output
  Attributes attributes;

  std::string label() const { return op_type + " '" + name + "'"; }
  bool has_output(size_t i) const { return i < outputs.size() && !outputs[i].empty(); }
  Value* input(size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }
  void set_input(size_t i, Value* value);
};

class ImportContext {
 public:
  // `reserved_names` are every tensor name the model defines; `consumed_names` those that some node reads or
  // that are graph outputs.
  ImportContext(Graph& graph, int64_t opset, std::unordered_set<std::string> reserved_names,
                std::unordered_set<std::string> consumed_names);

  Graph& graph() { return graph_; }
  int64_t opset() const { return opset_; }

  // Adds the node to the graph: trailing omitted inputs and outputs are dropped, other omitted outputs get
  // placeholder names. Returns nullptr, adding nothing, for a node whose every output is omitted.
  Node* emit(OnnxNode node);
  // Adds a helper node that a rewrite needs (its one output gets a fresh name derived from `base_name`).
  Value* emit_helper(const std::string& op_type, const std::string& base_name, std::vector<Value*> inputs,
                     Attributes attributes = {});
  Value* add_constant(const std::string& base_name, Tensor value);

  std::string fresh_value_name(std::string_view base);
  std::string fresh_node_name(std::string_view base);
  // Registers a node name from the model, adding a suffix if it is already taken.
  std::string claim_node_name(std::string_view name);

  // True if some node reads the tensor or it is a graph output.
  bool is_consumed(const std::string& value_name) const { return consumed_names_.contains(value_name); }

  // Best-effort type and rank of a value, inferring the nodes added so far when needed; nullopt when they
  // cannot be inferred yet (the full shape inference after the import reports real errors).
  std::optional<ElementType> try_element_type(Value* value);
  std::optional<size_t> try_rank(Value* value);

 private:
  void infer_pending();

  Graph& graph_;
  int64_t opset_;
  std::unordered_set<std::string> reserved_names_;
  std::unordered_set<std::string> consumed_names_;
  std::unordered_set<std::string> node_names_;
  std::vector<Node*> emitted_;
  size_t inferred_count_ = 0;
  bool inference_stuck_ = false;
  size_t name_counter_ = 0;
};

}  // namespace octet::onnx_frontend
