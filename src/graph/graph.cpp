#include "graph/graph.h"

#include <algorithm>
#include <unordered_set>

#include "octet/error.h"

namespace octet {

const Tensor& Value::constant() const {
  OCTET_CHECK(constant_.has_value(), ErrorCode::kInternal, "value '", name_, "' is not a constant");
  return *constant_;
}

std::string Node::label() const {
  return op_type_ + " '" + name_ + "'";
}

void Node::attribute_error(std::string_view name, bool missing) const {
  if (missing) fail(ErrorCode::kInvalidModel, label(), ": missing attribute '", name, "'");
  fail(ErrorCode::kInvalidModel, label(), ": attribute '", name, "' has the wrong type (",
       to_string(attributes_.find(name)->second), ")");
}

Value* Graph::new_value(const std::string& name, ElementType type, Shape shape) {
  OCTET_CHECK(!name.empty(), ErrorCode::kInvalidModel, "a tensor has an empty name");
  OCTET_CHECK(!values_by_name_.contains(name), ErrorCode::kInvalidModel, "tensor name '", name,
              "' is defined twice");
  values_.push_back(std::unique_ptr<Value>(new Value(name, type, std::move(shape))));
  Value* value = values_.back().get();
  values_by_name_[name] = value;
  return value;
}

Value* Graph::add_input(const std::string& name, ElementType type, Shape shape) {
  Value* value = new_value(name, type, std::move(shape));
  value->is_graph_input_ = true;
  inputs_.push_back(value);
  return value;
}

Value* Graph::add_constant(const std::string& name, Tensor tensor) {
  Value* value = new_value(name, tensor.type(), Shape(tensor.dims()));
  value->constant_ = std::move(tensor);
  return value;
}

Node* Graph::add_node(const std::string& op_type, const std::string& name, std::vector<Value*> inputs,
                      const std::vector<std::string>& output_names, Attributes attributes) {
  nodes_.push_back(std::unique_ptr<Node>(new Node(name.empty() ? unique_name(op_type) : name, op_type)));
  Node* node = nodes_.back().get();
  node->attributes_ = std::move(attributes);
  node->inputs_ = std::move(inputs);
  for (size_t i = 0; i < node->inputs_.size(); ++i)
    if (node->inputs_[i]) node->inputs_[i]->uses_.push_back({node, i});
  for (size_t i = 0; i < output_names.size(); ++i) {
    Value* out = new_value(output_names[i], ElementType::kUndefined, Shape::unknown());
    out->producer_ = node;
    out->producer_output_ = i;
    node->outputs_.push_back(out);
  }
  return node;
}

void Graph::add_output(Value* value) {
  OCTET_ASSERT(value != nullptr);
  outputs_.push_back(value);
}

void Graph::set_outputs(std::vector<Value*> outputs) {
  outputs_ = std::move(outputs);
}

void Graph::remove_use(Value* value, Use use) {
  auto it = std::find(value->uses_.begin(), value->uses_.end(), use);
  OCTET_ASSERT(it != value->uses_.end());
  value->uses_.erase(it);
}

void Graph::set_input(Node* node, size_t index, Value* value) {
  if (index >= node->inputs_.size()) node->inputs_.resize(index + 1, nullptr);
  if (Value* old = node->inputs_[index]) remove_use(old, {node, index});
  node->inputs_[index] = value;
  if (value) value->uses_.push_back({node, index});
}

void Graph::replace_all_uses(Value* from, Value* to) {
  OCTET_ASSERT(from != to);
  const std::vector<Use> uses = from->uses_;
  for (const Use& use : uses) set_input(use.node, use.input_index, to);
  if (is_graph_output(from)) {
    // The graph output keeps the user-visible name.
    const std::string output_name = from->name_;
    values_by_name_.erase(output_name);
    from->name_ = unique_name(output_name + "_replaced");
    values_by_name_[from->name_] = from;
    values_by_name_.erase(to->name_);
    to->name_ = output_name;
    values_by_name_[output_name] = to;
    std::replace(outputs_.begin(), outputs_.end(), from, to);
  }
}

void Graph::remove_node(Node* node) {
  for (Value* out : node->outputs_) {
    OCTET_CHECK(out->uses_.empty() && !is_graph_output(out), ErrorCode::kInternal, "cannot remove ",
                node->label(), ": output '", out->name_, "' is still used");
  }
  for (size_t i = 0; i < node->inputs_.size(); ++i)
    if (node->inputs_[i]) remove_use(node->inputs_[i], {node, i});
  std::unordered_set<const Value*> dead(node->outputs_.begin(), node->outputs_.end());
  for (const Value* out : node->outputs_) values_by_name_.erase(out->name_);
  values_.remove_if([&](const std::unique_ptr<Value>& v) { return dead.contains(v.get()); });
  nodes_.remove_if([&](const std::unique_ptr<Node>& n) { return n.get() == node; });
}

void Graph::remove_unused() {
  std::unordered_set<const Node*> live_nodes;
  std::unordered_set<const Value*> live_values(inputs_.begin(), inputs_.end());
  std::vector<const Value*> stack(outputs_.begin(), outputs_.end());
  while (!stack.empty()) {
    const Value* v = stack.back();
    stack.pop_back();
    if (!live_values.insert(v).second && !v->is_graph_input_) continue;
    if (Node* producer = v->producer_; producer && live_nodes.insert(producer).second) {
      for (const Value* in : producer->inputs_)
        if (in) stack.push_back(in);
      for (const Value* out : producer->outputs_) live_values.insert(out);
    }
  }
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    Node* node = it->get();
    if (live_nodes.contains(node)) {
      ++it;
      continue;
    }
    for (size_t i = 0; i < node->inputs_.size(); ++i)
      if (node->inputs_[i]) remove_use(node->inputs_[i], {node, i});
    it = nodes_.erase(it);
  }
  for (auto it = values_.begin(); it != values_.end();) {
    if (live_values.contains(it->get())) {
      ++it;
      continue;
    }
    values_by_name_.erase((*it)->name_);
    it = values_.erase(it);
  }
}

std::string Graph::unique_name(std::string_view base) {
  std::string name(base);
  while (values_by_name_.contains(name) || find_node(name) != nullptr)
    name = std::string(base) + "_" + std::to_string(++name_counter_);
  return name;
}

void Graph::rename_value(Value* value, const std::string& name) {
  if (value->name_ == name) return;
  OCTET_CHECK(!values_by_name_.contains(name), ErrorCode::kInvalidModel, "tensor name '", name,
              "' is defined twice");
  values_by_name_.erase(value->name_);
  value->name_ = name;
  values_by_name_[name] = value;
}

std::vector<Node*> Graph::nodes() const {
  std::vector<Node*> out;
  out.reserve(nodes_.size());
  for (const auto& n : nodes_) out.push_back(n.get());
  return out;
}

std::vector<Node*> Graph::topological_order() const {
  // Kahn's algorithm, stable with respect to insertion order.
  std::unordered_map<const Node*, size_t> pending;
  std::vector<Node*> ready;
  for (const auto& n : nodes_) {
    size_t count = 0;
    for (const Value* in : n->inputs_)
      if (in && in->producer_) ++count;
    pending[n.get()] = count;
    if (count == 0) ready.push_back(n.get());
  }
  std::vector<Node*> order;
  order.reserve(nodes_.size());
  for (size_t head = 0; head < ready.size(); ++head) {
    Node* node = ready[head];
    order.push_back(node);
    for (const Value* out : node->outputs_)
      for (const Use& use : out->uses_)
        if (--pending[use.node] == 0) ready.push_back(use.node);
  }
  if (order.size() != nodes_.size()) {
    for (const auto& n : nodes_)
      if (pending[n.get()] != 0) fail(ErrorCode::kInvalidModel, "the graph has a cycle through ", n->label());
  }
  return order;
}

std::vector<Value*> Graph::constants() const {
  std::vector<Value*> out;
  for (const auto& v : values_)
    if (v->is_constant()) out.push_back(v.get());
  return out;
}

Value* Graph::find_value(std::string_view name) const {
  auto it = values_by_name_.find(std::string(name));
  return it == values_by_name_.end() ? nullptr : it->second;
}

Node* Graph::find_node(std::string_view name) const {
  for (const auto& n : nodes_)
    if (n->name_ == name) return n.get();
  return nullptr;
}

bool Graph::is_graph_output(const Value* value) const {
  return std::find(outputs_.begin(), outputs_.end(), value) != outputs_.end();
}

}  // namespace octet
