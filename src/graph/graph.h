// The graph IR: a Graph owns Nodes and Values. A Value is a named tensor (graph input, constant, or a node's
// output) with an element type and a partial shape; a Node is an op of the internal op set with typed
// attributes, input Values (nullptr for an omitted optional input) and output Values. Passes rewrite the
// graph with the few primitives below and call infer_shapes() (graph/shape_inference.h) afterwards.
#pragma once

#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/attribute.h"
#include "octet/element_type.h"
#include "octet/shape.h"
#include "octet/tensor.h"

namespace octet {

class Node;
class Graph;

struct Use {
  Node* node;
  size_t input_index;
  bool operator==(const Use&) const = default;
};

class Value {
 public:
  const std::string& name() const { return name_; }
  ElementType type() const { return type_; }
  const Shape& shape() const { return shape_; }
  void set_type(ElementType type) { type_ = type; }
  void set_shape(Shape shape) { shape_ = std::move(shape); }

  // The node that computes this value, or nullptr for graph inputs and constants.
  Node* producer() const { return producer_; }
  size_t producer_output() const { return producer_output_; }
  const std::vector<Use>& uses() const { return uses_; }

  bool is_constant() const { return constant_.has_value(); }
  const Tensor& constant() const;  // throws kInternal if not a constant
  bool is_graph_input() const { return is_graph_input_; }

 private:
  friend class Graph;
  Value(std::string name, ElementType type, Shape shape)
      : name_(std::move(name)), type_(type), shape_(std::move(shape)) {}

  std::string name_;
  ElementType type_;
  Shape shape_;
  Node* producer_ = nullptr;
  size_t producer_output_ = 0;
  std::vector<Use> uses_;
  std::optional<Tensor> constant_;
  bool is_graph_input_ = false;
};

class Node {
 public:
  const std::string& name() const { return name_; }
  const std::string& op_type() const { return op_type_; }
  // "Conv 'conv1'": how errors name a node.
  std::string label() const;

  size_t input_count() const { return inputs_.size(); }
  // Input i, or nullptr if i is past the end or the optional input was omitted.
  Value* input(size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }
  bool has_input(size_t i) const { return input(i) != nullptr; }
  const std::vector<Value*>& inputs() const { return inputs_; }
  size_t output_count() const { return outputs_.size(); }
  Value* output(size_t i) const { return outputs_.at(i); }
  const std::vector<Value*>& outputs() const { return outputs_; }

  Attributes& attributes() { return attributes_; }
  const Attributes& attributes() const { return attributes_; }
  bool has_attribute(std::string_view name) const { return attributes_.find(name) != attributes_.end(); }
  void set_attribute(const std::string& name, AttributeValue value) { attributes_[name] = std::move(value); }

  // Attribute access that names the node and attribute when it is missing or of the wrong type.
  template <typename T>
  const T& attribute(std::string_view name) const;
  template <typename T>
  T attribute_or(std::string_view name, T fallback) const {
    auto it = attributes_.find(name);
    return it == attributes_.end() ? fallback : attribute<T>(name);
  }

 private:
  friend class Graph;
  Node(std::string name, std::string op_type) : name_(std::move(name)), op_type_(std::move(op_type)) {}
  [[noreturn]] void attribute_error(std::string_view name, bool missing) const;

  std::string name_;
  std::string op_type_;
  Attributes attributes_;
  std::vector<Value*> inputs_;
  std::vector<Value*> outputs_;
};

template <typename T>
const T& Node::attribute(std::string_view name) const {
  auto it = attributes_.find(name);
  if (it == attributes_.end()) attribute_error(name, true);
  const T* value = std::get_if<T>(&it->second);
  if (!value) attribute_error(name, false);
  return *value;
}

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;

  // --- building ---
  Value* add_input(const std::string& name, ElementType type, Shape shape);
  Value* add_constant(const std::string& name, Tensor value);
  // Adds a node whose outputs are new values with the given names (type and shape unset until inference).
  // Inputs may contain nullptr for omitted optional inputs.
  Node* add_node(const std::string& op_type, const std::string& name, std::vector<Value*> inputs,
                 const std::vector<std::string>& output_names, Attributes attributes = {});
  void add_output(Value* value);
  void set_outputs(std::vector<Value*> outputs);

  // --- rewriting ---
  void set_input(Node* node, size_t index, Value* value);  // value may be nullptr (omit the input)
  // Every use of `from` (node inputs and graph outputs) now reads `to`. A graph output keeps its name: `to`
  // is renamed to `from`'s name and `from` gets a fresh one.
  void replace_all_uses(Value* from, Value* to);
  // Removes a node whose outputs have no uses and are not graph outputs.
  void remove_node(Node* node);
  // Removes nodes and constants that do not contribute to any graph output.
  void remove_unused();
  std::string unique_name(std::string_view base);
  // Gives a value a new name; throws kInvalidModel if the name is taken.
  void rename_value(Value* value, const std::string& name);

  // --- reading ---
  const std::vector<Value*>& inputs() const { return inputs_; }
  const std::vector<Value*>& outputs() const { return outputs_; }
  // Nodes in insertion order (not necessarily topological).
  std::vector<Node*> nodes() const;
  size_t node_count() const { return nodes_.size(); }
  // Nodes ordered so that every node comes after the producers of its inputs; throws kInvalidModel on a
  // cycle.
  std::vector<Node*> topological_order() const;
  std::vector<Value*> constants() const;
  Value* find_value(std::string_view name) const;  // nullptr if none
  Node* find_node(std::string_view name) const;    // nullptr if none
  bool is_graph_output(const Value* value) const;

  // Free-form facts about where the model came from ("format": "onnx", "opset": "13", "producer": ...).
  std::map<std::string, std::string>& metadata() { return metadata_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  Value* new_value(const std::string& name, ElementType type, Shape shape);
  void remove_use(Value* value, Use use);

  std::list<std::unique_ptr<Node>> nodes_;
  std::list<std::unique_ptr<Value>> values_;
  std::unordered_map<std::string, Value*> values_by_name_;
  std::vector<Value*> inputs_;
  std::vector<Value*> outputs_;
  std::map<std::string, std::string> metadata_;
  size_t name_counter_ = 0;
};

}  // namespace octet
