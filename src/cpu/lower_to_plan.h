// Lowering: turns an optimized graph (static shapes) into plan steps and buffers. Walks the nodes in
// topological order; for each node (with the post-ops fused into it) picks the first kernel candidate that
// accepts it, then inserts a reorder wherever the kernel wants an input in another layout than its producer
// wrote (one reorder per value and layout, shared by every consumer). Graph outputs end plain row-major.
#pragma once

#include "cpu/exec_plan.h"

namespace octet::cpu {

// plan.graph and plan.engine must be set; fills buffers, steps, input/output buffers and ports.
void lower_to_plan(ExecPlan& plan);

}  // namespace octet::cpu
