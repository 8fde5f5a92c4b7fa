#include "passes/pipeline.h"

#include <functional>
#include <set>

#include "octet/error.h"
#include "ops/shape_inference.h"
#include "passes/generic/fold_batchnorm_into_conv.h"
#include "passes/generic/fold_constants.h"
#include "passes/generic/fold_scale_shift_into_conv.h"
#include "passes/generic/fold_standalone_batchnorm.h"
#include "passes/generic/fuse_matmul_add_into_gemm.h"
#include "passes/generic/remove_identity_ops.h"

namespace octet {
namespace {

struct Pass {
  std::string name;
  std::function<size_t(Graph&, PassContext&)> run;
};

struct Stage {
  std::string name;
  std::vector<Pass> passes;
};

std::vector<Stage> cpu_stages() {
  return {
      {"prerequisites",
       {{"fold_constants", [](Graph& g, PassContext&) { return fold_constants(g); }},
        {"remove_identity_ops", remove_identity_ops}}},
      {"main",
       {{"fuse_matmul_add_into_gemm", fuse_matmul_add_into_gemm},
        {"fold_batchnorm_into_conv", fold_batchnorm_into_conv},
        {"fold_standalone_batchnorm", fold_standalone_batchnorm},
        {"fold_scale_shift_into_conv", fold_scale_shift_into_conv}}},
      {"cleanup",
       {{"remove_unused",
         [](Graph& g, PassContext&) {
           const size_t before = g.node_count();
           g.remove_unused();
           return before - g.node_count();
         }}}},
  };
}

std::set<std::string> node_names(const Graph& graph) {
  std::set<std::string> names;
  for (const Node* node : graph.nodes()) names.insert(node->name());
  return names;
}

void check_disabled_names(const PassContext& context, const std::vector<std::string>& valid) {
  const std::set<std::string> known(valid.begin(), valid.end());
  for (const std::string& name : context.disabled) {
    if (known.contains(name)) continue;
    std::string list;
    for (const std::string& v : valid) list += (list.empty() ? "" : ", ") + v;
    fail(ErrorCode::kInvalidArgument, "unknown graph pass '", name, "' to disable; the passes are: ", list);
  }
}

}  // namespace

std::vector<std::string> cpu_graph_pass_names() {
  std::vector<std::string> names;
  for (const Stage& stage : cpu_stages())
    for (const Pass& pass : stage.passes) names.push_back(pass.name);
  return names;
}

void run_cpu_graph_passes(Graph& graph, PassContext& context) {
  check_disabled_names(context, cpu_graph_pass_names());
  context.dump_graph(graph, "input");
  for (const Stage& stage : cpu_stages()) {
    for (const Pass& pass : stage.passes) {
      if (!context.enabled(pass.name)) continue;
      const std::set<std::string> before = node_names(graph);
      const size_t count = pass.run(graph, context);
      // Passes name the absorbing node when there is one; whatever else vanished (constant folds, dead
      // nodes) simply disappeared.
      const std::set<std::string> after = node_names(graph);
      for (const std::string& name : before)
        if (!after.contains(name) && !context.was_removed(name)) context.note_absorbed(name, "");
      context.pass_counts.emplace_back(pass.name, count);
      context.dump_graph(graph, pass.name);
    }
  }
  infer_shapes(graph);
}

}  // namespace octet
