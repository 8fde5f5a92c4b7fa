// A small graph around one node under test, for the CPU kernel tests: random f32 graph inputs, an optional
// 1x1 Conv in front whose output oneDNN writes in a layout of its choice (channel-blocked nChw8c on AVX2;
// nChw16c or nhwc on AVX-512, depending on the channel count), constants, and the node
// (named "node") whose outputs become graph outputs. check() compiles the graph with the public API, runs it
// on the random inputs and compares every output with the ReferenceExecutor (rtol 1e-4, atol 1e-5); it
// returns the node's exec type and the layouts its kernel read, so tests can assert which kernel ran and that
// no reorder was needed.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cpu/cpu_compiler.h"
#include "graph/graph.h"
#include "octet/core.h"
#include "ops/shape_inference.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"

namespace octet::test {

inline Tensor random_tensor(const Dims& dims, uint32_t seed, float low = -2.0f, float high = 2.0f) {
  Tensor t(ElementType::kF32, dims);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(low, high);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

struct KernelRun {
  std::string exec_type;                   // of the node's step ("" if it has none)
  std::vector<std::string> input_layouts;  // layout_name() of each buffer the node's kernel read
  std::vector<std::string>
      input_writers;  // type of the step that wrote each of them ("Reorder": the plugin's)
  std::vector<std::string> conv_layouts;  // layout_name() of each blocked() convolution's output, in order
};

// Whether the node read input i as the blocked() convolution `conv` wrote it: the same layout, no reorder in
// between, and not plain nchw (so the test exercises a non-plain input on every ISA).
inline void expect_read_as_written(const KernelRun& run, size_t i, size_t conv = 0) {
  ASSERT_LT(i, run.input_layouts.size());
  ASSERT_LT(conv, run.conv_layouts.size());
  EXPECT_NE(run.input_writers[i], "Reorder") << "input " << i;
  EXPECT_EQ(run.input_layouts[i], run.conv_layouts[conv]) << "input " << i;
  EXPECT_NE(run.input_layouts[i], "nchw") << "input " << i;
}

class KernelTestGraph {
 public:
  KernelTestGraph() : graph_(std::make_unique<Graph>()) {}

  // A graph input fed with uniform random values in [low, high].
  Value* input(const std::string& name, const Dims& dims, float low = -2.0f, float high = 2.0f) {
    feeds_[name] = random_tensor(dims, seed_++, low, high);
    return graph_->add_input(name, ElementType::kF32, Shape(dims));
  }
  // A graph input of the tensor's type and dims, fed with that tensor (integer indices, u8 data).
  Value* input_fed(const std::string& name, Tensor value) {
    Value* v = graph_->add_input(name, value.type(), Shape(value.dims()));
    feeds_[name] = std::move(value);
    return v;
  }
  Value* constant(const std::string& name, Tensor value) {
    return graph_->add_constant(name, std::move(value));
  }
  Value* random_constant(const std::string& name, const Dims& dims, float low = -2.0f, float high = 2.0f) {
    return constant(name, random_tensor(dims, seed_++, low, high));
  }

  // Replaces the random values fed to input `name`.
  void set_feed(const std::string& name, Tensor value) { feeds_[name] = std::move(value); }

  // A helper node before the one under test; returns its (only) output.
  Value* add(const std::string& type, const std::string& name, const std::vector<Value*>& inputs,
             Attributes attributes = {}) {
    Node* n = graph_->add_node(type, name, inputs, {name + "_out"}, std::move(attributes));
    infer_shapes(*graph_);
    return n->output(0);
  }

  // A 1x1 convolution of x (N, C, ...) to `channels` channels: oneDNN writes its output channel-blocked.
  // The output gets a second use (a graph output) so that no activation after it is fused into it.
  Value* blocked(Value* x, int64_t channels) {
    const std::string name = "conv" + std::to_string(convs_++);
    Dims w_dims = {channels, x->shape().dims()[1]};
    for (size_t d = 2; d < x->shape().rank(); ++d) w_dims.push_back(1);
    Node* conv = graph_->add_node("Conv", name, {x, random_constant(name + "_w", w_dims, -1.0f, 1.0f)},
                                  {name + "_out"});
    infer_shapes(*graph_);
    graph_->add_output(conv->output(0));
    return conv->output(0);
  }

  Node* node(const std::string& type, const std::vector<Value*>& inputs, Attributes attributes = {},
             size_t outputs = 1) {
    std::vector<std::string> names;
    for (size_t i = 0; i < outputs; ++i) names.push_back("y" + std::to_string(i));
    Node* n = graph_->add_node(type, "node", inputs, names, std::move(attributes));
    for (Value* out : n->outputs()) graph_->add_output(out);
    infer_shapes(*graph_);
    return n;
  }

  KernelRun check() {
    KernelRun run;
    const std::shared_ptr<const cpu::ExecPlan> plan = cpu::compile_for_cpu(*graph_, CompileConfig{});
    std::map<int, std::string> writer_of_buffer;
    for (const cpu::PlanStep& step : plan->steps) {
      for (int id : step.outputs) writer_of_buffer[id] = step.type;
      if (step.name.starts_with("conv") && step.type == "Conv" && !step.outputs.empty())
        run.conv_layouts.push_back(plan->buffers[static_cast<size_t>(step.outputs[0])].desc.layout_name());
      if (step.name != "node") continue;
      run.exec_type = step.kernel->exec_type();
      for (int id : step.inputs) {
        run.input_layouts.push_back(plan->buffers[static_cast<size_t>(id)].desc.layout_name());
        run.input_writers.push_back(writer_of_buffer.contains(id) ? writer_of_buffer[id] : "");
      }
    }
    const TensorMap expected = ReferenceExecutor(*graph_).run(feeds_);
    auto model = std::make_shared<Model>(std::move(graph_));
    CompiledModel compiled = Core().compile_model(model, {.num_threads = 1, .profiling = true});
    InferRequest request = compiled.create_infer_request();
    for (const auto& [name, tensor] : feeds_) request.set_input_tensor(name, tensor);
    request.infer();
    for (const auto& [name, want] : expected) {
      const testing::Comparison c =
          testing::compare_tensors(request.get_output_tensor(name), want, {1e-5, 1e-4});
      EXPECT_TRUE(c.match) << "output " << name << ": " << c.reason;
    }
    for (const ProfilingInfo& row : request.get_profiling_info()) {
      if (row.node_name == "node") {
        EXPECT_EQ(row.exec_type, run.exec_type);
      }
    }
    return run;
  }

 private:
  std::unique_ptr<Graph> graph_;
  TensorMap feeds_;
  uint32_t seed_ = 1;
  int convs_ = 0;
};

// Our reference fallback (oneDNN's own reference implementations, "ref_any_FP32", are not counted).
inline bool is_reference(const KernelRun& run) {
  return run.exec_type == "ref_FP32";
}

}  // namespace octet::test
