// Shared by the compute kernel tests (convolution, deconvolution, gemm/matmul, pooling): compile a small
// graph for the CPU with profiling on, run it on seeded random inputs, compare every output with the
// reference executor (the oracle), and report which implementation each node ran on, so that a test can
// assert both the numbers and that a form ran on oneDNN (or fell back to the reference, "ref_FP32").
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "cpu/kernel_factory.h"
#include "graph/graph.h"
#include "graph/graph_clone.h"
#include "octet/core.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"
#include "tests/passes/pass_test_support.h"

namespace octet::test {

// An attribute map written inline: attrs({{"group", int64_t{2}}, {"pads", ...}}).
inline Attributes attrs(std::initializer_list<std::pair<const std::string, AttributeValue>> list) {
  return Attributes(list);
}

struct CompiledRun {
  TensorMap outputs;
  std::map<std::string, std::string> exec_types;  // executed node -> exec type ("jit_avx2_FP32", "ref_FP32")
  int reorders = 0;                               // steps the plugin inserted to convert layouts
};

// Compiles a copy of `graph` for the CPU and runs it once on `inputs`.
inline CompiledRun run_compiled(const Graph& graph, const TensorMap& inputs) {
  auto model = std::make_shared<Model>(std::make_unique<Graph>(clone_graph(graph)));
  const CompiledModel compiled = Core().compile_model(model, {.num_threads = 2, .profiling = true});
  InferRequest request = compiled.create_infer_request();
  for (const PortInfo& port : compiled.inputs()) request.set_input_tensor(port.name, inputs.at(port.name));
  request.infer();
  CompiledRun run;
  for (const PortInfo& port : compiled.outputs())
    run.outputs[port.name] = request.get_output_tensor(port.name).clone();
  for (const ProfilingInfo& row : request.get_profiling_info()) {
    if (row.status != ProfilingInfo::Status::kExecuted) continue;
    run.exec_types[row.node_name] = row.exec_type;
    // Output conversions of the graph outputs are counted too: a test compares counts between forms.
    if (row.node_type == "Reorder") ++run.reorders;
  }
  return run;
}

// Infers `graph`, runs it compiled and with the reference executor on the same random inputs, and expects
// every output to match (rtol 1e-4, atol 1e-5). Returns the compiled run for exec type checks.
inline CompiledRun expect_matches_reference(Graph& graph, uint32_t seed = 1234) {
  infer_shapes(graph);
  const TensorMap inputs = random_inputs(graph, seed);
  const TensorMap expected = ReferenceExecutor(graph).run(inputs);
  CompiledRun run = run_compiled(graph, inputs);
  for (const Value* out : graph.outputs()) {
    const testing::Comparison c =
        testing::compare_tensors(run.outputs.at(out->name()), expected.at(out->name()), {1e-5, 1e-4});
    EXPECT_TRUE(c.match) << "output '" << out->name() << "': " << c.reason << " (max abs diff "
                         << c.max_abs_diff << ")";
  }
  return run;
}

// The exec type of the node's step ("" if it has none of its own).
inline std::string exec_type_of(const CompiledRun& run, const std::string& node) {
  const auto it = run.exec_types.find(node);
  return it == run.exec_types.end() ? "" : it->second;
}

// Ran on one of the oneDNN kernels (oneDNN's own reference implementations are "ref_any_...", not ours).
inline bool ran_on_onednn(const CompiledRun& run, const std::string& node) {
  const std::string type = exec_type_of(run, node);
  return !type.empty() && type != "ref_FP32";
}

inline bool ran_on_reference(const CompiledRun& run, const std::string& node) {
  return exec_type_of(run, node) == "ref_FP32";
}

// The name of the first candidate kernel that accepts node `name` of the inferred graph `graph` with its
// runtime inputs in plain layout and no post-ops ("reference" when only the fallback does).
inline std::string chosen_candidate(const Graph& graph, const std::string& name) {
  const Node* node = graph.find_node(name);
  if (!node) return "no node " + name;
  const cpu::PostOps no_post_ops;
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  cpu::KernelRequest request{*node, no_post_ops, {}, {}, {}, engine};
  for (size_t i = 0; i < node->input_count(); ++i) {
    const Value* value = node->input(i);
    if (!value || value->is_constant()) continue;
    request.inputs.push_back(cpu::BufferDesc::plain(value->type(), value->shape().static_dims()));
    request.input_indices.push_back(i);
  }
  for (const Value* output : node->outputs())
    request.outputs.push_back(cpu::BufferDesc::plain(output->type(), output->shape().static_dims()));
  for (const cpu::KernelCandidate& candidate : cpu::kernel_candidates(node->op_type())) {
    std::string why_not;
    if (candidate.create(request, why_not)) return candidate.name;
  }
  return "";
}

// Conv(x) with a 1x..x1 kernel of the given spatial rank, `out` channels and small weights: a producer that
// writes the channel-blocked layout oneDNN prefers without growing the values.
inline Value* add_pointwise_conv(Graph& g, const std::string& name, Value* x, int64_t in, int64_t out,
                                 size_t spatial_rank, uint32_t seed) {
  Dims w_dims{out, in};
  w_dims.insert(w_dims.end(), spatial_rank, 1);
  Value* w = g.add_constant(name + ".w", random_f32(w_dims, seed, -0.5f, 0.5f));
  Value* b = g.add_constant(name + ".b", random_f32({out}, seed + 1));
  return g.add_node("Conv", name, {x, w, b}, {name + "_out"})->output(0);
}

inline std::vector<int64_t> ints(std::initializer_list<int64_t> values) {
  return std::vector<int64_t>(values);
}

}  // namespace octet::test
