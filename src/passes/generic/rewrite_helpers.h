// Small graph-rewriting steps shared by the generic passes: finding a value's only consumer, reading
// per-channel constants, and replacing or bypassing nodes while keeping user-visible names (node names for
// the performance counters, value names for graph outputs and dumps).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// The node reading `value` if it is its only use and `value` is not a graph output; nullptr otherwise. A
// producer may only be rewritten for its consumer's sake when nobody else sees its output.
Node* sole_consumer(const Graph& graph, const Value* value);

// The tensor of a constant f32 value, or nullptr (absent, not constant, or another type).
const Tensor* f32_constant(const Value* value);

// For a constant that, broadcast against an output of rank `output_rank`, varies at most along axis 1 with
// `channels` entries and leaves the output's shape unchanged ([1,C,1,1], [C,1,1], a single value, ...): one
// value per channel. nullopt for any other shape.
std::optional<std::vector<double>> per_channel_values(const Tensor& constant, size_t output_rank,
                                                      int64_t channels);

// A node name that is neither in the graph nor among the names the context recorded as removed (so the
// performance counters never confuse a new node with a removed one).
std::string fresh_node_name(Graph& graph, const PassContext& context, const std::string& base);

// A fresh value name "<base>_folded" for a constant that a fold computed from `base`; a base that is itself
// a folded constant is not suffixed twice ("w", "w_folded", then "w_folded_1").
std::string folded_constant_name(Graph& graph, const std::string& base);

// Replaces single-output `node` by a new node of `op_type` with the same node name and output name, reading
// `inputs`; infers its output. Returns the new node.
Node* replace_node(Graph& graph, Node* node, const std::string& op_type, std::vector<Value*> inputs,
                   Attributes attributes = {});

// Removes single-output `node` after pointing every use of its output at `replacement`, and records it as
// absorbed into `into_node` ("" when it simply disappears). A graph output keeps its name.
void bypass_node(Graph& graph, PassContext& context, Node* node, Value* replacement,
                 const std::string& into_node);

}  // namespace octet
