#include "passes/pipeline.h"

#include <functional>
#include <set>

#include "octet/error.h"
#include "ops/shape_inference.h"
#include "passes/generic/fold_batchnorm_into_conv.h"
#include "passes/generic/fold_constants.h"
#include "passes/generic/fold_pad_into_average_pool.h"
#include "passes/generic/fold_scale_shift_into_conv.h"
#include "passes/generic/fold_standalone_batchnorm.h"
#include "passes/generic/fuse_matmul_add_into_gemm.h"
#include "passes/generic/remove_identity_ops.h"
#include "passes/lpt/compressed_weights_to_dequantize.h"
#include "passes/lpt/fake_quantize_to_qdq.h"
#include "passes/lpt/fold_activation_into_quantize.h"
#include "passes/lpt/fold_lookup_into_binary.h"
#include "passes/lpt/propagate_qdq.h"
#include "passes/lpt/qdq_to_qoperator.h"
#include "passes/lpt/quantize_gathered_table.h"
#include "passes/lpt/remove_redundant_qdq.h"

namespace octet {
namespace {

struct Pass {
  std::string name;
  std::function<size_t(Graph&, PassContext&)> run;
  bool low_precision_only = false;  // runs only with PassContext::low_precision
};

struct Stage {
  std::string name;
  std::vector<Pass> passes;
};

std::vector<Stage> cpu_stages() {
  return {
      // compressed_weights_to_dequantize must see i8 weights before fold_constants turns them into f32.
      // fold_constants keeps FakeQuantize and Q/DQ nodes, so the low-precision passes after it still see
      // every quantization (weights included), now with constant limits, scales and zero points.
      {"prerequisites",
       {{"compressed_weights_to_dequantize", compressed_weights_to_dequantize, true},
        {"fold_constants", [](Graph& g, PassContext&) { return fold_constants(g); }},
        {"remove_identity_ops", remove_identity_ops},
        // Before the low-precision passes, so that a quantized pooling pads inside the int8 kernel.
        {"fold_pad_into_average_pool", fold_pad_into_average_pool}}},
      {"low_precision",
       {{"fake_quantize_to_qdq", fake_quantize_to_qdq, true},
        {"quantize_gathered_table", quantize_gathered_table, true},
        {"propagate_qdq", propagate_qdq, true},
        {"fold_activation_into_quantize", fold_activation_into_quantize, true},
        {"qdq_to_qoperator", qdq_to_qoperator, true},
        {"fold_lookup_into_binary", fold_lookup_into_binary, true},
        {"remove_redundant_qdq", remove_redundant_qdq, true}}},
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

std::vector<std::string> cpu_graph_pass_names(bool low_precision) {
  std::vector<std::string> names;
  for (const Stage& stage : cpu_stages())
    for (const Pass& pass : stage.passes)
      if (low_precision || !pass.low_precision_only) names.push_back(pass.name);
  return names;
}

void run_cpu_graph_passes(Graph& graph, PassContext& context) {
  check_disabled_names(context, cpu_graph_pass_names(true));
  context.dump_graph(graph, "input");
  for (const Stage& stage : cpu_stages()) {
    for (const Pass& pass : stage.passes) {
      if (!context.enabled(pass.name) || (pass.low_precision_only && !context.low_precision)) continue;
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
