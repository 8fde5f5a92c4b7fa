#include "kernels/ref/reference_kernel.h"

#include <cstring>

#include "ops/op_registry.h"

namespace octet::cpu {
namespace {

class ReferenceKernel : public Kernel {
 public:
  ReferenceKernel(const KernelRequest& request, const OpDefinition& definition)
      : node_(request.node),
        definition_(definition),
        post_ops_(request.post_ops),
        input_indices_(request.input_indices),
        outputs_(request.outputs) {
    for (const BufferDesc& input : request.inputs) inputs_.push_back(input);
  }

  std::string exec_type() const override {
    return "ref_" + precision_name(outputs_.empty() ? ElementType::kF32 : outputs_[0].type);
  }

  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext&) const override {
    auto bound = std::make_unique<Bound>(*this);
    bound->arguments.assign(node_.input_count(), nullptr);
    for (size_t i = 0; i < node_.input_count(); ++i) {
      if (node_.has_input(i) && node_.input(i)->is_constant())
        bound->arguments[i] = &node_.input(i)->constant();
    }
    bound->views.reserve(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      bound->views.push_back(Tensor::view(inputs_[i].type, inputs_[i].dims, inputs[i], nullptr));
      if (input_indices_[i] != KernelRequest::kSumOperand)
        bound->arguments[input_indices_[i]] = &bound->views.back();
    }
    bound->outputs.assign(outputs.begin(), outputs.end());
    return bound;
  }

 private:
  struct Bound : BoundKernel {
    explicit Bound(const ReferenceKernel& k) : kernel(k) {}
    void execute() override { kernel.run(*this); }
    const ReferenceKernel& kernel;
    std::vector<const Tensor*> arguments;
    std::vector<Tensor> views;
    std::vector<void*> outputs;
  };

  void run(Bound& bound) const {
    std::vector<Tensor> results =
        with_node_context(node_, [&] { return definition_.evaluate(node_, bound.arguments); });
    OCTET_CHECK(results.size() >= outputs_.size(), ErrorCode::kInternal, node_.label(),
                ": evaluation returned ", results.size(), " outputs");
    for (size_t i = 0; i < outputs_.size(); ++i) {
      OCTET_CHECK(results[i].dims() == outputs_[i].dims && results[i].type() == outputs_[i].type,
                  ErrorCode::kUnsupported, node_.label(), ": output ", i, " came out as ",
                  results[i].description(), " but was compiled as ", to_string(outputs_[i].type),
                  to_string(outputs_[i].dims), " (its shape depends on data)");
      std::memcpy(bound.outputs[i], results[i].raw_data(), results[i].byte_size());
    }
    apply_post_ops(bound);
  }

  void apply_post_ops(Bound& bound) const {
    if (post_ops_.empty()) return;
    float* y = static_cast<float*>(bound.outputs[0]);
    const int64_t count = element_count(outputs_[0].dims);
    for (const PostOp& op : post_ops_) {
      if (op.kind == PostOp::Kind::kSum) {
        const float* operand = bound.views.at(op.sum_input).data<float>();
        for (int64_t i = 0; i < count; ++i) y[i] += operand[i];
      } else {
        for (int64_t i = 0; i < count; ++i) y[i] = apply_eltwise(op.algorithm, op.alpha, op.beta, y[i]);
      }
    }
  }

  const Node& node_;
  const OpDefinition& definition_;
  PostOps post_ops_;
  std::vector<size_t> input_indices_;
  std::vector<BufferDesc> inputs_;
  std::vector<BufferDesc> outputs_;
};

}  // namespace

std::optional<KernelChoice> create_reference_kernel(const KernelRequest& request, std::string& why_not) {
  const OpDefinition* definition = OpRegistry::instance().find(request.node.op_type());
  if (!definition || !definition->evaluate) {
    why_not = "no reference evaluation for op " + request.node.op_type();
    return std::nullopt;
  }
  if (!request.post_ops.empty() && request.outputs.at(0).type != ElementType::kF32) {
    why_not = "post-ops on a non-f32 output";
    return std::nullopt;
  }
  KernelChoice choice;
  choice.kernel = std::make_shared<ReferenceKernel>(request, *definition);
  for (const BufferDesc& input : request.inputs)
    choice.inputs.push_back(BufferDesc::plain(input.type, input.dims));
  choice.outputs = request.outputs;
  return choice;
}

}  // namespace octet::cpu
