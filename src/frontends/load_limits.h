// Caps on what a model file may ask the loader to allocate. Model files are untrusted: a few bytes can
// declare a 2^40-element initializer, a ConstantOfShape whose output is terabytes, or millions of nodes.
// Every cap is checked before the allocation it guards, and a violation is an octet::Error (kInvalidModel)
// naming the file, the tensor or node, the limit and the environment variable that raises it.
#pragma once

#include <cstdint>
#include <string>

#include "octet/shape.h"

namespace octet {

class Graph;

struct LoadLimits {
  // Elements in any one tensor: an initializer / Const, or any value whose inferred shape is static (this is
  // what catches ConstantOfShape / Expand / Tile / Resize outputs and huge --shape values before compile
  // plans memory for them). 2^28 = 268 M elements, 1 GiB in f32. $OCTET_MAX_TENSOR_ELEMENTS.
  int64_t max_tensor_elements = int64_t{1} << 28;
  // Bytes of all constants together (initializers, Const layers, folded constants). 4 GiB.
  // $OCTET_MAX_CONSTANT_BYTES.
  uint64_t max_constant_bytes = uint64_t{4} << 30;
  // Nodes (ONNX NodeProtos, IR layers) in the graph. $OCTET_MAX_NODES.
  int64_t max_nodes = int64_t{1} << 20;

  // The defaults, each replaced by its environment variable when set (a positive decimal integer; anything
  // else is a kInvalidArgument error naming the variable).
  static LoadLimits from_environment();
};

// The element count of `dims` if it is at most the limit (-1 if a dim is negative, which is for the caller to
// report); otherwise throws naming `what`. Overflow-safe, so absurd dims cannot wrap around.
int64_t check_tensor_elements(const Dims& dims, const LoadLimits& limits, const std::string& what);

// Running total of constant bytes; add() throws before the total passes the limit.
class ConstantBudget {
 public:
  explicit ConstantBudget(const LoadLimits& limits) : limits_(limits) {}
  void add(uint64_t bytes, const std::string& what);

 private:
  const LoadLimits& limits_;
  uint64_t used_ = 0;
};

void check_node_count(int64_t nodes, const LoadLimits& limits);

struct LoadOptions;
// The input shapes the caller asked for (`--shape`), before shape inference propagates them.
void check_input_shape_limits(const LoadOptions& options);

// After import and shape inference: node count, every statically shaped value's element count and the
// constants' total bytes.
void check_graph_limits(const Graph& graph, const LoadLimits& limits);

}  // namespace octet
