// The plugin side of the GEMV kernel: QLinearMatMul or QGemm with a single row of A (a batch-1 fully
// connected layer), read into a GemvU8S8 and wrapped as a Kernel on plain buffers.
#include <memory>
#include <utility>
#include <vector>

#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/gemv_u8s8.h"
#include "kernels/x86/x86_int8_factories.h"
#include "kernels/x86/x86_isa_choice.h"

namespace octet::cpu {
namespace {

// Where each parameter sits: QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp) and QGemm
// (A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp).
struct Layout {
  size_t a = 0, a_scale = 1, a_zero = 2, b = 3, b_scale = 4, b_zero = 5, c, y_scale, y_zero;
};
constexpr Layout kQLinearMatMul{.c = static_cast<size_t>(-1), .y_scale = 6, .y_zero = 7};
constexpr Layout kQGemm{.c = 6, .y_scale = 7, .y_zero = 8};

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
std::optional<std::vector<int32_t>> bias_row(const Node& node, size_t index, int64_t n) {
  std::vector<int32_t> bias;
  if (!node.has_input(index)) return bias;
  const Value* c = node.input(index);
  if (!c->is_constant() || c->type() != ElementType::kI32 || c->constant().rank() > 2 ||
      (c->constant().element_count() != n && c->constant().element_count() != 1) ||
      (c->constant().rank() == 2 && c->constant().dims()[0] != 1))
    return std::nullopt;
  const auto values = c->constant().values<int32_t>();
  for (int64_t j = 0; j < n; ++j) bias.push_back(values[values.size() == 1 ? 0 : static_cast<size_t>(j)]);
  return bias;
}

}  // namespace

std::optional<KernelChoice> create_x86_gemv_qlinear_matmul(const KernelRequest& request,
                                                           std::string& why_not) {
  const Node& node = request.node;
  const bool gemm = node.op_type() == "QGemm";
  const Layout at = gemm ? kQGemm : kQLinearMatMul;
  if (request.inputs.size() != 1 || request.input_indices[0] != at.a ||
      request.inputs[0].type != ElementType::kU8 || !request.post_ops.empty()) {
    why_not = "needs one runtime u8 input A, every other input constant, no post-ops";
    return std::nullopt;
  }
  const std::optional<x86::Isa> isa = x86::vector_isa_for_plugin(why_not);
  if (!isa) return std::nullopt;
  if (gemm && node.attribute_or<int64_t>("transA", 0) != 0) {
    why_not = "transA";
    return std::nullopt;
  }
  const bool trans_b = gemm && node.attribute_or<int64_t>("transB", 0) != 0;
  const float alpha = gemm ? node.attribute_or<float>("alpha", 1.0f) : 1.0f;
  const Value* b = node.input(at.b);
  if (!b || !b->is_constant() || !is_8bit(b->type()) || b->constant().rank() != 2) {
    why_not = "needs a constant 2-d u8/i8 B";
    return std::nullopt;
  }
  const Tensor& weights = b->constant();
  const int64_t k = weights.dims()[trans_b ? 1 : 0];
  const int64_t n = weights.dims()[trans_b ? 0 : 1];
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
  const auto a_scale = constant_scales(node, at.a_scale, why_not);
  const auto b_scale = constant_scales(node, at.b_scale, why_not);
  const auto a_zero = constant_zero_points(node, at.a_zero, why_not);
  const auto b_zero = constant_zero_points(node, at.b_zero, why_not);
  if (!a_scale || !b_scale || !a_zero || !b_zero) return std::nullopt;
  const bool float_output = gemm && !node.has_input(at.y_scale);
  std::optional<std::vector<float>> y_scale = std::vector<float>{1.0f};
  std::optional<std::vector<int32_t>> y_zero = std::vector<int32_t>{0};
  if (!float_output) {
    y_scale = constant_scales(node, at.y_scale, why_not);
    y_zero = constant_zero_points(node, at.y_zero, why_not);
    if (!y_scale || !y_zero) return std::nullopt;
  }
  const ElementType y_type = request.outputs[0].type;
  if (float_output ? y_type != ElementType::kF32 : !is_8bit(y_type)) {
    why_not = "unexpected output type " + std::string(to_string(y_type));
    return std::nullopt;
  }
  if (a_scale->size() != 1 || a_zero->size() != 1 || y_scale->size() != 1 || y_zero->size() != 1) {
    why_not = "A's and Y's parameters must be per tensor";
    return std::nullopt;
  }
  // Column j's zero point: in B's memory column j is i % N (plain [K, N]) or i / K ([N, K], transB).
  const std::optional<std::vector<int8_t>> b_values =
      weights_minus_zero_point(weights, *b_zero, n, trans_b ? k : 1);
  if (!b_values) {
    why_not = "B minus its zero point does not fit in s8";
    return std::nullopt;
  }
  const std::optional<std::vector<int32_t>> bias = gemm ? bias_row(node, at.c, n) : std::vector<int32_t>{};
  if (!bias) {
    why_not = "C is not a constant i32 row";
    return std::nullopt;
  }
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
