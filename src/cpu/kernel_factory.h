// How the plugin chooses a kernel for a step: every op type has a list of candidate implementations, fastest
// first, ending with the reference fallback (which takes any op the registry knows). Each candidate either
// returns a KernelChoice or says why not; the first that accepts wins, and its exec type is what the
// performance counters show. OCTET_VERBOSE_KERNELS=1 prints every rejection at compile time.
#pragma once

#include <dnnl.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/buffer_desc.h"
#include "cpu/kernel.h"
#include "cpu/post_ops.h"
#include "graph/graph.h"

namespace octet::cpu {

struct KernelRequest {
  const Node& node;
  const PostOps& post_ops;
  // Runtime inputs in the order the kernel receives them: the node's non-constant inputs in node order, then
  // the operands of sum post-ops. Constant inputs (weights, biases, shapes) are read from the node.
  std::vector<BufferDesc> inputs;
  std::vector<size_t> input_indices;  // node input index of each runtime input (kSumOperand for sum operands)
  std::vector<BufferDesc> outputs;    // the node's (or the fused group's) outputs, plain layout
  const dnnl::engine& engine;

  static constexpr size_t kSumOperand = static_cast<size_t>(-1);
};

struct KernelChoice {
  std::shared_ptr<const Kernel> kernel;
  std::vector<BufferDesc> inputs;  // the layout the kernel reads each runtime input in (a reorder is inserted
                                   // before it where the producer wrote another)
  std::vector<BufferDesc> outputs;  // the layout it writes each output in
  int in_place_input = -1;          // output 0 may share this runtime input's memory (a sum operand)
};

using KernelFactory = std::optional<KernelChoice> (*)(const KernelRequest& request, std::string& why_not);

struct KernelCandidate {
  const char* name;
  KernelFactory create;
};

// The candidates for an op type in priority order; the reference fallback is always the last entry.
std::vector<KernelCandidate> kernel_candidates(std::string_view op_type);

// "FP32", "I8" (for i8 and u8), "I32", "I64", "FP16", "BOOL": the precision suffix of exec types.
std::string precision_name(ElementType type);

}  // namespace octet::cpu
