#include "cpu/lower_to_plan.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <unordered_map>

#include "cpu/fuse_post_ops.h"
#include "cpu/kernel_factory.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "kernels/onednn/onednn_reorder.h"
#include "kernels/ref/constant_kernel.h"
#include "octet/error.h"
#include "ops/multiply_accumulates.h"

namespace octet::cpu {
namespace {

bool verbose_kernels() {
  const char* flag = std::getenv("OCTET_VERBOSE_KERNELS");
  return flag && *flag && std::string(flag) != "0";
}

// Why an arithmetic node runs in fp32: an int8 node on the exact fp32 fallback kernel, the reason a pass
// recorded on it, or what its neighbours say (the passes make a node int8 when its input, its weights and,
// for ops without an f32-output form, its output are quantized).
std::string fp32_reason(const Node& node, const std::string& exec_type) {
  if (exec_type.find("_exact_") != std::string::npos) return kExactFp32Reason;
  if (node.has_attribute("lpt_fp32_reason")) return node.attribute_or<std::string>("lpt_fp32_reason", "");
  if (node.input_count() == 0 || !node.input(0)) return "";
  const auto dequantized = [](const Value* value) {
    return value && value->producer() && value->producer()->op_type() == "DequantizeLinear";
  };
  if (!dequantized(node.input(0)))
    return "its input is not quantized (no DequantizeLinear / FakeQuantize before it)";
  const std::string& type = node.op_type();
  if (type == "ConvTranspose") return "no int8 ConvTranspose (deconvolution) yet";
  const bool has_weights = type == "Conv" || type == "Gemm" || type == "MatMul";
  if (has_weights && node.input_count() > 1 && node.input(1) && node.input(1)->is_constant())
    return "its weights are not quantized (no DequantizeLinear / FakeQuantize on them, nor values on a "
           "per-channel "
           "int8 grid)";
  if (type == "Conv")
    return "its input or weights are quantized in a form QLinearConv does not take (per-channel input, "
           "weights "
           "along another axis, a bias beyond int32)";
  return "its output is not quantized (no QuantizeLinear / FakeQuantize after it)";
}

class PlanBuilder {
 public:
  explicit PlanBuilder(ExecPlan& plan) : plan_(plan), graph_(*plan.graph) {}

  void build() {
    for (Value* input : graph_.inputs()) {
      OCTET_CHECK(input->shape().is_static(), ErrorCode::kInvalidArgument, "input '", input->name(),
                  "' has dynamic shape ", input->shape().to_string(),
                  "; give it static dims before compiling");
      const int id = add_buffer(input->name(), BufferDesc::plain(input->type(), input->shape().static_dims()),
                                PlanBuffer::Kind::kGraphInput);
      buffer_of_[input] = id;
      plan_.input_buffers.push_back(id);
      plan_.inputs.push_back({input->name(), input->type(), input->shape()});
    }
    const std::vector<Node*> order = graph_.topological_order();
    const FusionResult fusion = fuse_post_ops(order, graph_);
    for (Node* node : order) {
      if (fusion.absorbed.count(node)) continue;
      const auto group = fusion.groups.find(node);
      if (group == fusion.groups.end()) {
        lower_node(*node, nullptr);
      } else if (!lower_node(*node, &group->second)) {
        // The kernel that runs the head alone does not take the group's post-ops: no fusion.
        lower_node(*node, nullptr);
        for (Node* absorbed : group->second.absorbed) lower_node(*absorbed, nullptr);
      }
    }
    for (Value* output : graph_.outputs()) add_graph_output(output);
  }

 private:
  int add_buffer(std::string name, BufferDesc desc, PlanBuffer::Kind kind) {
    PlanBuffer buffer;
    buffer.name = std::move(name);
    buffer.desc = std::move(desc);
    buffer.kind = kind;
    plan_.buffers.push_back(std::move(buffer));
    return static_cast<int>(plan_.buffers.size()) - 1;
  }

  int buffer_of(const Value* value, const Node& consumer) const {
    const auto it = buffer_of_.find(value);
    OCTET_CHECK(it != buffer_of_.end(), ErrorCode::kInternal, consumer.label(), ": input '", value->name(),
                "' has no buffer");
    return it->second;
  }

  // The buffer holding `value`'s data in layout `wanted`: the producer's own, or a reorder of it.
  int in_layout(int source, const BufferDesc& wanted) {
    const BufferDesc& have = plan_.buffers[source].desc;
    if (have.same_layout(wanted)) return source;
    const auto key = std::make_pair(source, wanted.layout_name() + "/" + std::to_string(wanted.byte_size()));
    if (const auto it = reorders_.find(key);
        it != reorders_.end() && plan_.buffers[it->second].desc.same_layout(wanted))
      return it->second;
    const std::string name = plan_.buffers[source].name + "_" + wanted.layout_name();
    const int target = add_buffer(name, wanted, PlanBuffer::Kind::kArena);
    add_reorder_step(name, source, target);
    reorders_[key] = target;
    return target;
  }

  void add_reorder_step(const std::string& name, int source, int target) {
    PlanStep step;
    step.name = name;
    step.type = "Reorder";
    step.kernel = make_reorder_kernel(plan_.buffers[source].desc, plan_.buffers[target].desc, plan_.engine);
    step.inputs = {source};
    step.outputs = {target};
    plan_.steps.push_back(std::move(step));
  }

  // False (and nothing added to the plan) when `group` has a post-op only some kernels take and the kernel
  // that would run the node alone is not one of them.
  bool lower_node(Node& node, const FusedGroup* group) {
    static const PostOps kNoPostOps;
    PostOps post_ops = group ? group->post_ops : kNoPostOps;
    KernelRequest request{node, post_ops, {}, {}, {}, plan_.engine};
    std::vector<int> sources;
    for (size_t i = 0; i < node.input_count(); ++i) {
      const Value* input = node.input(i);
      if (!input || input->is_constant()) continue;
      sources.push_back(buffer_of(input, node));
      request.inputs.push_back(plan_.buffers[sources.back()].desc);
      request.input_indices.push_back(i);
    }
    if (group) {
      size_t sum_index = 0;
      for (PostOp& op : post_ops) {
        if (!reads_sum_operand(op)) continue;
        op.sum_input = request.inputs.size();
        sources.push_back(buffer_of(group->sum_operands.at(sum_index++), node));
        request.inputs.push_back(plan_.buffers[sources.back()].desc);
        request.input_indices.push_back(KernelRequest::kSumOperand);
      }
    }
    std::vector<Value*> outputs = node.outputs();
    if (group) outputs = {group->output};
    for (const Value* output : outputs) {
      OCTET_CHECK(output->shape().is_static(), ErrorCode::kUnsupported, node.label(), ": output '",
                  output->name(), "' has shape ", output->shape().to_string(),
                  " that depends on data; the CPU plugin needs static shapes");
      request.outputs.push_back(BufferDesc::plain(output->type(), output->shape().static_dims()));
    }
    const bool selective = std::any_of(post_ops.begin(), post_ops.end(), [](const PostOp& op) {
      return op.kind == PostOp::Kind::kQuantizedSum;
    });
    std::optional<KernelChoice> chosen;
    if (selective) {
      chosen = choose_selective_kernel(request, *group);
      if (!chosen) return false;
    } else {
      chosen = choose_kernel(request);
    }
    const KernelChoice& choice = *chosen;

    PlanStep step;
    step.name = node.name();
    step.type = node.op_type();
    step.kernel = choice.kernel;
    step.in_place_input = choice.in_place_input;
    step.multiply_accumulates = multiply_accumulates(node);
    const std::string exec_type = choice.kernel->exec_type();
    if (step.multiply_accumulates > 0 && exec_type.ends_with("_FP32"))
      step.fp32_reason = fp32_reason(node, exec_type);
    for (size_t i = 0; i < sources.size(); ++i)
      step.inputs.push_back(in_layout(sources[i], choice.inputs.at(i)));
    for (size_t i = 0; i < outputs.size(); ++i) {
      const int id = add_buffer(outputs[i]->name(), choice.outputs.at(i), PlanBuffer::Kind::kArena);
      buffer_of_[outputs[i]] = id;
      step.outputs.push_back(id);
    }
    if (group) {
      for (const Node* absorbed : group->absorbed) {
        step.absorbed_names.push_back(absorbed->name());
        step.absorbed_types.push_back(absorbed->op_type());
      }
    }
    plan_.steps.push_back(std::move(step));
    return true;
  }

  // The first candidate that takes the fused request, provided no earlier candidate would take the head
  // alone (e.g. the int8 convolution takes a quantized sum, but our depthwise kernel runs a depthwise head
  // faster and takes no post-ops: then the group is declined and the nodes run separately).
  std::optional<KernelChoice> choose_selective_kernel(const KernelRequest& fused,
                                                      const FusedGroup& group) const {
    static const PostOps kNoPostOps;
    KernelRequest alone{fused.node, kNoPostOps, fused.inputs, fused.input_indices, {}, fused.engine};
    while (!alone.input_indices.empty() && alone.input_indices.back() == KernelRequest::kSumOperand) {
      alone.inputs.pop_back();
      alone.input_indices.pop_back();
    }
    for (const Value* output : group.head->outputs())
      alone.outputs.push_back(BufferDesc::plain(output->type(), output->shape().static_dims()));
    for (const KernelCandidate& candidate : kernel_candidates(fused.node.op_type())) {
      std::string why_not;
      if (auto choice = candidate.create(fused, why_not)) {
        OCTET_ASSERT(choice->inputs.size() == fused.inputs.size() &&
                     choice->outputs.size() == fused.outputs.size());
        return choice;
      }
      if (verbose_kernels())
        std::cerr << fused.node.label() << ": " << candidate.name << " rejected the fused group: " << why_not
                  << "\n";
      if (candidate.create(alone, why_not)) return std::nullopt;
    }
    return std::nullopt;
  }

  KernelChoice choose_kernel(const KernelRequest& request) const {
    std::string reasons;
    for (const KernelCandidate& candidate : kernel_candidates(request.node.op_type())) {
      std::string why_not;
      if (auto choice = candidate.create(request, why_not)) {
        OCTET_ASSERT(choice->inputs.size() == request.inputs.size() &&
                     choice->outputs.size() == request.outputs.size());
        return std::move(*choice);
      }
      if (verbose_kernels())
        std::cerr << request.node.label() << ": " << candidate.name << " rejected: " << why_not << "\n";
      reasons += str_cat("\n  ", candidate.name, ": ", why_not);
    }
    fail(ErrorCode::kUnsupported, request.node.label(), ": no CPU kernel can run it:", reasons);
  }

  void add_graph_output(Value* value) {
    int source;
    if (value->is_constant()) {
      source = add_buffer(value->name(), BufferDesc::plain(value->type(), value->constant().dims()),
                          PlanBuffer::Kind::kArena);
      PlanStep step;
      step.name = value->name();
      step.type = "Constant";
      step.kernel = make_constant_kernel(value->constant());
      step.outputs = {source};
      plan_.steps.push_back(std::move(step));
    } else {
      source = buffer_of_.at(value);
    }
    PlanBuffer& buffer = plan_.buffers[source];
    const BufferDesc plain = BufferDesc::plain(buffer.desc.type, buffer.desc.dims);
    const bool reusable = buffer.kind == PlanBuffer::Kind::kArena && buffer.desc.same_layout(plain);
    int id = source;
    if (reusable) {
      buffer.kind = PlanBuffer::Kind::kGraphOutput;
    } else {
      id = add_buffer(value->name(), plain, PlanBuffer::Kind::kGraphOutput);
      add_reorder_step(value->name() + "_output", source, id);
    }
    plan_.output_buffers.push_back(id);
    plan_.outputs.push_back({value->name(), value->type(), Shape(plain.dims)});
  }

  ExecPlan& plan_;
  Graph& graph_;
  std::unordered_map<const Value*, int> buffer_of_;
  std::map<std::pair<int, std::string>, int> reorders_;
};

}  // namespace

void lower_to_plan(ExecPlan& plan) {
  PlanBuilder(plan).build();
}

}  // namespace octet::cpu
