#include "cpu/cpu_compiler.h"

#include <set>

#include "cpu/lower_to_plan.h"
#include "cpu/memory_planner.h"
#include "graph/graph_clone.h"
#include "ops/shape_inference.h"
#include "passes/pipeline.h"

namespace octet::cpu {
namespace {

// Dynamic input dims are compiled as 1 (kernels are created for static shapes).
void make_inputs_static(Graph& graph) {
  for (Value* input : graph.inputs()) {
    if (!input->shape().rank_known()) {
      fail(ErrorCode::kInvalidArgument, "input '", input->name(),
           "' has unknown rank; reshape the model to static dims before compiling");
    }
    if (input->shape().is_static()) continue;
    Dims dims = input->shape().dims();
    for (int64_t& d : dims) {
      if (d == kDynamicDim) d = 1;
    }
    input->set_shape(Shape(dims));
  }
}

void record_optimized_out(const Graph& original, const PassContext& passes, ExecPlan& plan) {
  std::set<std::string> kept;
  for (const PlanStep& step : plan.steps) {
    kept.insert(step.name);
    kept.insert(step.absorbed_names.begin(), step.absorbed_names.end());
  }
  for (const Node* node : original.topological_order()) {
    if (kept.count(node->name())) continue;
    const auto absorbed = passes.absorbed().find(node->name());
    const std::string into = absorbed == passes.absorbed().end() ? "" : absorbed->second;
    plan.optimized_out.push_back({node->name(), node->op_type(), into});
  }
}

}  // namespace

std::shared_ptr<const ExecPlan> compile_for_cpu(const Graph& graph, const CompileConfig& config) {
  auto plan = std::make_shared<ExecPlan>();
  plan->graph = std::make_unique<Graph>(clone_graph(graph));
  plan->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
  Graph& optimized = *plan->graph;
  make_inputs_static(optimized);
  infer_shapes(optimized);
  PassContext passes;
  passes.low_precision = config.precision == InferencePrecision::kModel;
  run_cpu_graph_passes(optimized, passes);
  lower_to_plan(*plan);
  plan_memory(*plan);
  for (const PlanStep& step : plan->steps)
    plan->scratchpad_bytes = std::max(plan->scratchpad_bytes, step.kernel->scratchpad_bytes());
  record_optimized_out(graph, passes, *plan);
  return plan;
}

}  // namespace octet::cpu
