// Runs a graph with the reference evaluation of every op: the oracle, not the fast path.
#pragma once

#include <map>
#include <string>

#include "graph/graph.h"
#include "octet/tensor.h"

namespace octet {

using TensorMap = std::map<std::string, Tensor>;

class ReferenceExecutor {
 public:
  // The graph must outlive the executor and must have gone through infer_shapes().
  explicit ReferenceExecutor(const Graph& graph);

  // Inputs by graph input name; every graph input must be given, with its declared type and a shape that the
  // declared shape accepts. Returns every graph output by name.
  TensorMap run(const TensorMap& inputs) const;

  // Like run(), but returns every value computed (graph inputs, constants used, every node output) by name;
  // for debugging and for tests that compare intermediate tensors.
  TensorMap run_all(const TensorMap& inputs) const;

 private:
  const Graph& graph_;
  std::vector<Node*> order_;
};

// Checks that `tensor` may be fed to graph input `input`; throws kInvalidArgument with both shapes otherwise.
void check_input_tensor(const Value& input, const Tensor& tensor);

}  // namespace octet
