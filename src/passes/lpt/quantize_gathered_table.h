// quantize_gathered_table (docs/int8.md): a QuantizeLinear (per tensor) of a Gather from a constant f32 table
// moves into the table: the table is quantized once here and the lookup gathers integers.
//   before: %e = Gather 'lookup'(%table, %ids); %q = QuantizeLinear(%e, s, zp)
//   after:  %q = Gather 'lookup'(%table_q, %ids)    with %table_q = QuantizeLinear(%table, s, zp), folded
// Exact: quantizing is elementwise and Gather only selects elements, so both give the same integers. The
// lookup then copies a quarter of the bytes and no quantization runs per inference (NCF's four embedding
// lookups each had one).
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of lookups that now gather quantized tables.
size_t quantize_gathered_table(Graph& graph, PassContext& context);

}  // namespace octet
