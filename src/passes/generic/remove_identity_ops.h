// remove_identity_ops: drops nodes whose output always equals their input.
//   before: %a = Conv(x, w); %b = Identity(%a); %c = Dropout(%b); %d = Cast(%c) {to=f32};
//           %e = Reshape(%d, [1,8,4,4]) (with %d: f32[1,8,4,4]); %y = Relu(%e)
//   after:  %a = Conv(x, w); %y = Relu(%a)
// Removed: Identity, Dropout (inference form), Cast to the input's own type, and Reshape / Flatten / Squeeze
// / Unsqueeze whose static output shape equals the static input shape. A graph output keeps its name (the
// producer's value takes it over), except when the input is itself a graph input, a constant or another
// graph output: then the node stays, since removing it would rename or merge user-visible tensors.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of nodes removed.
size_t remove_identity_ops(Graph& graph, PassContext& context);

}  // namespace octet
