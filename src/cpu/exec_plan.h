// A compiled model as the CPU plugin runs it: the optimized graph its kernels refer to, the buffers (with
// layouts and arena offsets from the memory plan) and the steps in execution order. Built once by
// compile_for_cpu(); every infer request binds its own memory to it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cpu/buffer_desc.h"
#include "cpu/kernel.h"
#include "graph/graph.h"
#include "octet/model.h"

namespace octet::cpu {

struct PlanBuffer {
  enum class Kind {
    kArena,        // an activation: lives in the request's arena at `offset`, shared with others over time
    kGraphInput,   // the request's input tensor
    kGraphOutput,  // the request's output tensor
  };
  std::string name;
  BufferDesc desc;
  Kind kind = Kind::kArena;
  size_t offset = 0;
  // Lifetime in steps (first writer, last reader), filled by the memory planner.
  int first_step = -1;
  int last_step = -1;
};

struct PlanStep {
  std::string name;  // the graph node's name, or a generated one for inserted reorders
  std::string type;  // the op type, or "Reorder"
  std::shared_ptr<const Kernel> kernel;
  std::vector<int> inputs;                  // buffer ids
  std::vector<int> outputs;                 // buffer ids
  std::vector<std::string> absorbed_names;  // graph nodes fused into this step (post-ops)
  std::vector<std::string> absorbed_types;
  int64_t multiply_accumulates = 0;  // per execution, incl. fused nodes (ops/multiply_accumulates.h)
  std::string fp32_reason;           // for a node with MACs that runs in fp32 in a quantized model: why
  int in_place_input = -1;           // output 0 may reuse runtime input i's memory (planner decides)
};

// A node of the original graph that has no step of its own and is not a post-op: removed or folded by the
// graph passes.
struct OptimizedOutNode {
  std::string name;
  std::string type;
  std::string into;  // absorbing node, "" if simply removed
};

struct ExecPlan {
  std::unique_ptr<Graph> graph;  // the optimized graph (kernels keep pointers into it)
  dnnl::engine engine;
  std::vector<PlanBuffer> buffers;
  std::vector<PlanStep> steps;
  std::vector<int> input_buffers;   // per graph input
  std::vector<int> output_buffers;  // per graph output
  std::vector<PortInfo> inputs;
  std::vector<PortInfo> outputs;
  std::vector<OptimizedOutNode> optimized_out;
  size_t arena_bytes = 0;
  size_t scratchpad_bytes = 0;
};

}  // namespace octet::cpu
