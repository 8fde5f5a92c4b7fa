// The internal op set. Each op kind has one OpDefinition: how many inputs/outputs it takes, its shape and
// type inference, and its reference evaluation (the plain, obviously-correct oracle every optimized kernel is
// tested against). Semantics follow ONNX opset 18 unless ops/README.md says otherwise; frontends normalize
// older opsets and other formats to this form.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "octet/error.h"
#include "octet/tensor.h"

namespace octet {

// Sets the element type and shape of every output of the node from its inputs (and constant inputs where the
// shape depends on data). Throws octet::Error naming the node when the inputs are inconsistent.
using InferFunction = std::function<void(Node& node)>;

// Computes the outputs from input tensors; inputs[i] is nullptr for an omitted optional input.
using EvaluateFunction =
    std::function<std::vector<Tensor>(const Node& node, const std::vector<const Tensor*>& inputs)>;

struct OpDefinition {
  std::string type;
  size_t min_inputs = 0;
  size_t max_inputs = 0;
  size_t min_outputs = 1;
  size_t max_outputs = 1;
  InferFunction infer;
  EvaluateFunction evaluate;
};

class OpRegistry {
 public:
  // The registry with every op of the internal op set (built once, on first use).
  static const OpRegistry& instance();

  void add(OpDefinition definition);
  const OpDefinition* find(std::string_view type) const;  // nullptr if unknown
  const OpDefinition& get(const Node& node) const;        // throws kUnsupported naming the node
  std::vector<std::string> types() const;

 private:
  std::map<std::string, OpDefinition, std::less<>> definitions_;
};

// Runs f(); an octet::Error that escapes it is rethrown with the node's label in front unless the message
// already names the node, so every error from an op's infer/evaluate says which node failed.
template <typename F>
decltype(auto) with_node_context(const Node& node, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.find(node.label()) != std::string::npos) throw;
    fail(e.code(), node.label(), ": ", what);
  }
}

}  // namespace octet
