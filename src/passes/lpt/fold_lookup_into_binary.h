// fold_lookup_into_binary: a QLinearMul or QLinearAdd of a tensor x and a QLinearLookup of that same x is
// itself an elementwise function of x's stored byte, so it becomes one QLinearLookup of x whose table is the
// binary op evaluated by the reference op on every byte v and the first table's entry for v. The numbers are
// the two nodes', bit for bit; the tensor is read once instead of three times, and the binary loop (the
// costlier of the two) is gone.
//
// Why: a quantized EfficientNet computes SiLU as x * sigmoid(x), QLinearMul(x, QLinearLookup(x)) after
// qdq_to_qoperator; before this pass its 49 products took 1304 us of its 6.39 ms int8 latency (2 threads,
// `-pc`).
//
// Only when the lookup's output has no other reader and is not a graph output, and every scale and zero point
// of the binary node is a constant.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

size_t fold_lookup_into_binary(Graph& graph, PassContext& context);

}  // namespace octet
