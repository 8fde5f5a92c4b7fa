// The CPU plugin's compile step: copy the model's graph, give dynamic dims their compile-time values, run the
// graph passes, lower to kernels (fusion, kernel choice, layouts) and plan the memory.
#pragma once

#include <memory>

#include "cpu/exec_plan.h"
#include "graph/graph.h"
#include "octet/compile_config.h"

namespace octet::cpu {

std::shared_ptr<const ExecPlan> compile_for_cpu(const Graph& graph, const CompileConfig& config);

}  // namespace octet::cpu
