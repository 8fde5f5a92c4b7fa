// Assigns arena offsets to activation buffers so that buffers whose lifetimes overlap never share memory and
// the arena stays small: greedy by size (largest first, lowest free offset), as TFLite's arena planner does.
// A step's in-place hint (a convolution's residual operand that dies there) makes its output share the
// operand's memory.
#pragma once

#include "cpu/exec_plan.h"

namespace octet::cpu {

// Fills first_step/last_step and offset of every buffer and plan.arena_bytes.
void plan_memory(ExecPlan& plan);

}  // namespace octet::cpu
