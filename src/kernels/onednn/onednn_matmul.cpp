#include "kernels/onednn/onednn_matmul.h"

#include <algorithm>
#include <vector>

#include "kernels/onednn/onednn_fused_kernel.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// A, B or C of the product as the primitive reads it.
struct Operand {
  int arg = DNNL_ARG_SRC;
  Dims dims;                         // oneDNN's dims (batch dims padded to the product's rank)
  dnnl::memory::dims strides;        // over the node's plain buffer: a transpose is a strided view
  std::optional<size_t> input;       // the runtime input holding it, or
  const Tensor* constant = nullptr;  // the constant
  float scale = 1.0f;                // folded into a constant when it is packed

  dnnl::memory::desc view() const { return {to_dnnl_dims(dims), dt::f32, strides}; }
};

dnnl::memory::dims row_major_strides(const Dims& dims) {
  dnnl::memory::dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

// Node input `index` as an operand read with `dims` (same bytes as the input's own dims, row-major), or with
// the last two axes swapped when `transposed`.
std::optional<Operand> operand(const KernelRequest& request, size_t index, Dims dims, bool transposed,
                               int arg) {
  Operand result;
  result.arg = arg;
  const Value* value = request.node.input(index);
  if (!value || value->type() != ElementType::kF32) return std::nullopt;
  if (value->is_constant()) {
    result.constant = &value->constant();
  } else {
    const auto it = std::find(request.input_indices.begin(), request.input_indices.end(), index);
    if (it == request.input_indices.end()) return std::nullopt;
    result.input = static_cast<size_t>(it - request.input_indices.begin());
  }
  result.strides = row_major_strides(dims);
  if (transposed) {
    const size_t r = dims.size();
    std::swap(dims[r - 1], dims[r - 2]);
    std::swap(result.strides[r - 1], result.strides[r - 2]);
  }
  result.dims = std::move(dims);
  return result;
}

const Dims& node_input_dims(const KernelRequest& request, size_t index) {
  const Value* value = request.node.input(index);
  if (value->is_constant()) return value->constant().dims();
  const auto it = std::find(request.input_indices.begin(), request.input_indices.end(), index);
  return request.inputs[static_cast<size_t>(it - request.input_indices.begin())].dims;
}

Dims padded(Dims dims, size_t rank) {
  dims.insert(dims.begin(), rank - dims.size(), 1);
  return dims;
}

// The operands of a MatMul: 1-d A is a row, 1-d B a column, batch dims padded to a common rank.
std::optional<std::vector<Operand>> matmul_operands(const KernelRequest& request, std::string& why_not) {
  Dims a = node_input_dims(request, 0), b = node_input_dims(request, 1);
  if (a.empty() || b.empty()) {
    why_not = "scalar operands";
    return std::nullopt;
  }
  if (a.size() == 1) a.insert(a.begin(), 1);
  if (b.size() == 1) b.push_back(1);
  const size_t rank = std::max(a.size(), b.size());
  auto a_operand = operand(request, 0, padded(a, rank), false, DNNL_ARG_SRC);
  auto b_operand = operand(request, 1, padded(b, rank), false, DNNL_ARG_WEIGHTS);
  if (!a_operand || !b_operand) {
    why_not = "needs f32 operands";
    return std::nullopt;
  }
  return std::vector<Operand>{*a_operand, *b_operand};
}

// The operands of a Gemm: transposed views, alpha folded into a constant operand, C as a 2-d bias.
std::optional<std::vector<Operand>> gemm_operands(const KernelRequest& request, const Dims& y,
                                                  std::string& why_not) {
  const Node& node = request.node;
  auto a = operand(request, 0, node_input_dims(request, 0), node.attribute_or<int64_t>("transA", 0) != 0,
                   DNNL_ARG_SRC);
  auto b = operand(request, 1, node_input_dims(request, 1), node.attribute_or<int64_t>("transB", 0) != 0,
                   DNNL_ARG_WEIGHTS);
  if (!a || !b || a->dims.size() != 2 || b->dims.size() != 2) {
    why_not = "needs 2-d f32 operands";
    return std::nullopt;
  }
  const float alpha = node.attribute_or<float>("alpha", 1.0f);
  if (b->constant) {
    b->scale = alpha;
  } else if (a->constant) {
    a->scale = alpha;
  } else if (alpha != 1.0f) {
    why_not = "alpha != 1 with runtime A and B";
    return std::nullopt;
  }
  std::vector<Operand> operands{*a, *b};
  if (node.has_input(2)) {
    Dims c_dims = node_input_dims(request, 2);
    if (c_dims.size() > 2) {
      why_not = "C of rank > 2";
      return std::nullopt;
    }
    c_dims = padded(c_dims, 2);
    auto c = operand(request, 2, c_dims, false, DNNL_ARG_BIAS);
    if (!c || (c_dims[0] != 1 && c_dims[0] != y[0]) || (c_dims[1] != 1 && c_dims[1] != y[1])) {
      why_not = "C does not broadcast to Y";
      return std::nullopt;
    }
    c->scale = node.attribute_or<float>("beta", 1.0f);
    if (c->input && c->scale != 1.0f) {
      why_not = "beta != 1 on a runtime C";
      return std::nullopt;
    }
    operands.push_back(*c);
  }
  return operands;
}

std::optional<dnnl::matmul::primitive_desc> matmul_pd(const std::vector<Operand>& operands, const Dims& y,
                                                      bool pack_weights, const KernelRequest& request) {
  // Constants are packed: weights into the layout oneDNN picks (when allowed), A and C row-major.
  const auto desc_for = [&](const Operand& o) {
    if (!o.constant) return o.view();
    const tag format = o.arg == DNNL_ARG_WEIGHTS && pack_weights ? tag::any : plain_tag(o.dims.size());
    return dnnl::memory::desc(to_dnnl_dims(o.dims), dt::f32, format);
  };
  const dnnl::memory::desc bias = operands.size() > 2 ? desc_for(operands[2]) : dnnl::memory::desc();
  try {
    const dnnl::matmul::desc desc(desc_for(operands[0]), desc_for(operands[1]), bias,
                                  dnnl::memory::desc(to_dnnl_dims(y), dt::f32, plain_tag(y.size())));
    return dnnl::matmul::primitive_desc(desc, make_primitive_attr(request.post_ops), request.engine);
  } catch (const dnnl::error&) {
    return std::nullopt;
  }
}

dnnl::memory pack(const Operand& o, const dnnl::memory::desc& packed, const dnnl::engine& engine) {
  if (o.scale == 1.0f) return pack_constant(o.view(), o.constant->raw_data(), packed, engine);
  std::vector<float> scaled(o.constant->values<float>().begin(), o.constant->values<float>().end());
  for (float& v : scaled) v *= o.scale;
  return pack_constant(o.view(), scaled.data(), packed, engine);
}

}  // namespace

std::optional<KernelChoice> create_onednn_matmul(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const bool gemm = node.op_type() == "Gemm";
  for (const BufferDesc& input : request.inputs) {
    if (input.type != ElementType::kF32) {
      why_not = "needs f32 inputs";
      return std::nullopt;
    }
  }
  const Dims& y_dims = request.outputs[0].dims;
  if (y_dims.empty() || element_count(y_dims) == 0) {
    why_not = "scalar or empty output";
    return std::nullopt;
  }
  std::optional<std::vector<Operand>> operands =
      gemm ? gemm_operands(request, y_dims, why_not) : matmul_operands(request, why_not);
  if (!operands) return std::nullopt;

  // oneDNN's dst: the broadcast batch dims, then M and N (the same bytes as ONNX's Y).
  const Dims& a = (*operands)[0].dims;
  const Dims& b = (*operands)[1].dims;
  Dims dst(a.size());
  for (size_t i = 0; i + 2 < a.size(); ++i) dst[i] = std::max(a[i], b[i]);
  dst[a.size() - 2] = a[a.size() - 2];
  dst[a.size() - 1] = b[b.size() - 1];
  if (element_count(dst) != element_count(y_dims) || dst.size() > 6) {
    why_not = "output " + to_string(y_dims) + " does not match the product " + to_string(dst);
    return std::nullopt;
  }
  std::optional<dnnl::matmul::primitive_desc> pd = matmul_pd(*operands, dst, true, request);
  if (!pd) pd = matmul_pd(*operands, dst, false, request);
  if (!pd) {
    why_not = "oneDNN has no matmul implementation for these operands";
    return std::nullopt;
  }

  std::vector<RuntimeArgument> runtime;
  std::unordered_map<int, dnnl::memory> constants;
  for (const Operand& o : *operands) {
    if (o.input) {
      runtime.push_back({o.arg, o.view(), *o.input});
    } else {
      constants[o.arg] = pack(o, pd->query_md(dnnl::query::exec_arg_md, o.arg), request.engine);
    }
  }
  const std::optional<size_t> sum_input = sum_post_op_input(request.post_ops);
  KernelChoice choice;
  for (size_t i = 0; i < request.inputs.size(); ++i)
    choice.inputs.push_back(BufferDesc::plain(ElementType::kF32, request.inputs[i].dims));
  if (sum_input) choice.in_place_input = static_cast<int>(*sum_input);
  choice.outputs.push_back(BufferDesc::plain(ElementType::kF32, y_dims));
  choice.kernel = std::make_shared<FusedPrimitiveKernel>(*pd, dnnl::matmul(*pd), ElementType::kF32,
                                                         std::move(runtime), std::move(constants), sum_input);
  return choice;
}

}  // namespace octet::cpu
