// The plugin side of the GEMV kernel: QLinearMatMul or QGemm with a single row of A (a batch-1 fully
// connected layer), read into a GemvU8S8 and wrapped as a Kernel on plain buffers.
#include <memory>
#include <utility>
#include <vector>

#include "kernels/onednn/onednn_qmatmul_params.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/gemv_u8s8.h"
#include "kernels/x86/x86_int8_factories.h"
#include "kernels/x86/x86_isa_choice.h"

namespace octet::cpu {
namespace {

class GemvKernel : public Kernel {
 public:
  explicit GemvKernel(std::unique_ptr<const x86::GemvU8S8> gemv) : gemv_(std::move(gemv)) {}
  std::string exec_type() const override { return x86::x86_exec_type(gemv_->isa(), "gemv"); }
  size_t scratchpad_bytes() const override { return gemv_->scratch_bytes(); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override {
    struct Bound : BoundKernel {
      const x86::GemvU8S8* gemv;
      const uint8_t* a;
      void* y;
      void* scratch;  // the request's own scratchpad: requests may run at the same time
      Bound(const x86::GemvU8S8* g, const void* in, void* out, void* s)
          : gemv(g), a(static_cast<const uint8_t*>(in)), y(out), scratch(s) {}
      void execute() override { gemv->run(a, y, scratch); }
    };
    return std::make_unique<Bound>(gemv_.get(), inputs[0], outputs[0], context.scratchpad);
  }

 private:
  std::unique_ptr<const x86::GemvU8S8> gemv_;
};

// QGemm's C: i32 [N], [1, N] or a single value; nullopt when it is something else.

}  // namespace

std::optional<KernelChoice> create_x86_gemv_qlinear_matmul(const KernelRequest& request,
                                                           std::string& why_not) {
  if (!request.inputs.empty() && request.inputs[0].type != ElementType::kU8) {
    why_not = "needs one runtime u8 input A, every other input constant, no post-ops";
    return std::nullopt;
  }
  const std::optional<x86::Isa> isa = x86::vector_isa_for_plugin(why_not);
  if (!isa) return std::nullopt;
  const auto params = read_qmatmul_params(request, why_not);
  if (!params) return std::nullopt;
  const bool gemm = params->gemm, trans_b = params->trans_b, float_output = params->float_output;
  const float alpha = params->alpha;
  const Tensor& weights = *params->b;
  const int64_t k = params->k, n = params->n;
  const ElementType y_type = params->y_type;
  const auto *a_scale = &params->a_scale, *b_scale = &params->b_scale, *y_scale = &params->y_scale;
  const auto *a_zero = &params->a_zero, *b_zero = &params->b_zero, *y_zero = &params->y_zero;
  const Dims& a_dims = request.inputs[0].dims;
  if (a_dims.empty() || a_dims.back() != k || element_count(a_dims) != k) {
    why_not = "A " + to_string(a_dims) + " is not a single row of K = " + std::to_string(k) +
              " (batch > 1 is oneDNN's matmul's job)";
    return std::nullopt;
  }
  if (element_count(request.outputs[0].dims) != n) {
    why_not = "output " + to_string(request.outputs[0].dims) + " is not one row of N";
    return std::nullopt;
  }
  // Column j's zero point: in B's memory column j is i % N (plain [K, N]) or i / K ([N, K], transB).
  const std::optional<std::vector<int8_t>> b_values =
      weights_minus_zero_point(weights, *b_zero, n, trans_b ? k : 1);
  if (!b_values) {
    why_not = "B minus its zero point does not fit in s8";
    return std::nullopt;
  }
  const std::vector<int32_t>* bias = &params->bias;
  // The multiplier as the ops compute it, in float and in this order: (alpha *) a_scale * b_scale[n] /
  // y_scale.
  x86::OutputQuantization output;
  output.kind = float_output ? x86::OutputKind::kF32
                             : (y_type == ElementType::kU8 ? x86::OutputKind::kU8 : x86::OutputKind::kI8);
  output.zero_point = (*y_zero)[0];
  for (const float s : *b_scale)
    output.scales.push_back(gemm ? alpha * (*a_scale)[0] * s / (*y_scale)[0]
                                 : (*a_scale)[0] * s / (*y_scale)[0]);
  std::unique_ptr<const x86::GemvU8S8> gemv;
  try {
    gemv = std::make_unique<const x86::GemvU8S8>(k, n, *b_values, trans_b, *bias, (*a_zero)[0],
                                                 std::move(output), *isa);
  } catch (const Error& e) {
    why_not = e.what();
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::plain(ElementType::kU8, a_dims));
  choice.outputs.push_back(BufferDesc::plain(y_type, request.outputs[0].dims));
  choice.kernel = std::make_shared<GemvKernel>(std::move(gemv));
  return choice;
}

}  // namespace octet::cpu
