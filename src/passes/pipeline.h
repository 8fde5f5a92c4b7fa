// The graph passes of the CPU runtime, in order: the one place where the order is written. The plugin runs
// them on its own copy of the model's graph (static shapes, after infer_shapes) before lowering to kernels.
// Every pass is precision-independent and leaves a graph the reference executor still runs; fusions that
// need kernels (activations and residual Add into convolutions as oneDNN post-ops) belong to the plugin.
//
//   prerequisites: [compressed_weights_to_dequantize], fold_constants, remove_identity_ops
//   low_precision: [fake_quantize_to_qdq, propagate_qdq, fold_activation_into_quantize, qdq_to_qoperator,
//                  remove_redundant_qdq] (docs/int8.md; src/passes/lpt/)
//   main:          fuse_matmul_add_into_gemm, fold_batchnorm_into_conv, fold_standalone_batchnorm,
//                  fold_scale_shift_into_conv
//   cleanup:       remove_unused, then shape inference (always: the plugin relies on inferred shapes)
//
// The passes in [brackets] run only with PassContext::low_precision (inference precision kModel): they turn
// FakeQuantize / Q-DQ graphs into QOperator form before the main passes, which then only see what is left in
// fp32 (BatchNormalization of unquantized models still folds; quantized models had it folded before
// quantization, and a convolution with quantized weights is not f32 any more).
//
// fold_standalone_batchnorm runs before fold_scale_shift_into_conv so that a BatchNormalization the first
// fold missed (conv -> Add(bias) -> BN) still ends in the convolution as Mul + Add.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Runs every enabled pass. Throws kInvalidArgument, listing the valid names, if context.disabled names a
// pass that does not exist. Nodes that disappear are recorded in context.absorbed() (with "" unless a pass
// said which node absorbed them).
void run_cpu_graph_passes(Graph& graph, PassContext& context);

// The names of the passes of run_cpu_graph_passes, in the order they run (with the low-precision passes
// when `low_precision`; PassContext::disabled may name any of them either way).
std::vector<std::string> cpu_graph_pass_names(bool low_precision = false);

}  // namespace octet
