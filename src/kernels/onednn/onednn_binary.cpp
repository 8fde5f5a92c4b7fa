#include "kernels/onednn/onednn_binary.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "kernels/onednn/onednn_primitive.h"
#include "kernels/onednn/onednn_primitive_kernel.h"

namespace octet::cpu {
namespace {

using dt = dnnl::memory::data_type;

struct BinaryOp {
  dnnl::algorithm algorithm;
  bool commutative;
};

std::optional<BinaryOp> binary_op(const std::string& type) {
  using alg = dnnl::algorithm;
  if (type == "Add") return BinaryOp{alg::binary_add, true};
  if (type == "Sub") return BinaryOp{alg::binary_sub, false};
  if (type == "Mul") return BinaryOp{alg::binary_mul, true};
  if (type == "Div") return BinaryOp{alg::binary_div, false};
  if (type == "Max") return BinaryOp{alg::binary_max, true};
  if (type == "Min") return BinaryOp{alg::binary_min, true};
  return std::nullopt;
}

// Numpy aligns dims on the right: a lower-rank operand gets leading 1s.
Dims padded_to_rank(const Dims& dims, size_t rank) {
  Dims padded(rank - dims.size(), 1);
  padded.insert(padded.end(), dims.begin(), dims.end());
  return padded;
}

dnnl::memory::desc plain_md(const Dims& dims) {
  return dnnl::memory::desc(to_dnnl_dims(dims), dt::f32, plain_tag(dims.size()));
}

// The operand layouts of one way to run the node: the first source (also the destination's), the second
// source, and the dims the second is stored with (a constant may be widened to them).
struct BinaryLayout {
  dnnl::memory::desc first;
  dnnl::memory::desc second;
  Dims second_dims;
};

// The format tag of a channel-blocked desc (nCw8c, nChw8c, nCdhw8c or their 16c forms), if `md` is one.
std::optional<dnnl::memory::format_tag> channel_blocked_tag(const dnnl::memory::desc& md) {
  using tag = dnnl::memory::format_tag;
  static const tag kTags[][2] = {
      {tag::nCw8c, tag::nCw16c}, {tag::nChw8c, tag::nChw16c}, {tag::nCdhw8c, tag::nCdhw16c}};
  const int rank = md.data.ndims;
  if (rank < 3 || rank > 5) return std::nullopt;
  for (const tag candidate : kTags[rank - 3]) {
    if (md == dnnl::memory::desc(md.dims(), md.data_type(), candidate)) return candidate;
  }
  return std::nullopt;
}

// `value` broadcast (numpy rules) to `dims`, as f32 values in plain row-major order.
std::vector<float> broadcast_constant(const Tensor& value, const Dims& dims) {
  const size_t rank = dims.size();
  const Dims source = padded_to_rank(value.dims(), rank);
  std::vector<float> result(static_cast<size_t>(element_count(dims)));
  const float* data = value.data<float>();
  for (size_t flat = 0; flat < result.size(); ++flat) {
    size_t rest = flat, offset = 0, stride = 1;
    for (size_t axis = rank; axis-- > 0;) {
      const auto extent = static_cast<size_t>(dims[axis]);
      const size_t index = rest % extent;
      rest /= extent;
      if (source[axis] != 1) offset += index * stride;
      stride *= static_cast<size_t>(source[axis]);
    }
    result[flat] = data[offset];
  }
  return result;
}

// One operand of the node: a runtime input (by its index among the request's inputs) or a constant.
struct Operand {
  int runtime_index = -1;  // -1: constant
  const Tensor* constant = nullptr;
  Dims dims;
};

}  // namespace

std::optional<KernelChoice> create_onednn_binary(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const auto op = binary_op(node.op_type());
  if (!op) {
    why_not = "not a binary arithmetic op";
    return std::nullopt;
  }
  if (node.input_count() != 2 || !node.has_input(0) || !node.has_input(1)) {
    why_not = "needs exactly two inputs";
    return std::nullopt;
  }
  if (!request.post_ops.empty() || request.inputs.empty()) {
    why_not = request.inputs.empty() ? "both inputs are constants" : "post-ops are not supported";
    return std::nullopt;
  }
  const BufferDesc& out = request.outputs[0];
  if (out.type != ElementType::kF32 || !out.has_dnnl_desc()) {
    why_not = "only non-empty f32 outputs";
    return std::nullopt;
  }
  Operand operands[2];
  for (size_t i = 0; i < 2; ++i) {
    const Value* value = node.input(i);
    if (value->type() != ElementType::kF32) {
      why_not = "only f32 inputs";
      return std::nullopt;
    }
    if (value->is_constant()) {
      operands[i].constant = &value->constant();
      operands[i].dims = value->constant().dims();
    } else {
      const auto at = std::find(request.input_indices.begin(), request.input_indices.end(), i);
      operands[i].runtime_index = static_cast<int>(at - request.input_indices.begin());
      operands[i].dims = request.inputs[static_cast<size_t>(operands[i].runtime_index)].dims;
    }
    if (element_count(operands[i].dims) == 0) {
      why_not = "an input is empty";
      return std::nullopt;
    }
  }
  const size_t rank = out.dims.size();
  // oneDNN's first source must be a runtime operand with the output's dims.
  const auto can_be_first = [&](const Operand& o) {
    return o.runtime_index >= 0 && padded_to_rank(o.dims, rank) == out.dims;
  };
  if (!can_be_first(operands[0])) {
    if (!op->commutative || !can_be_first(operands[1])) {
      why_not = "the first input must be a runtime tensor of the output's dims (or the op commutative)";
      return std::nullopt;
    }
    std::swap(operands[0], operands[1]);
  }
  const Operand& first = operands[0];
  const Operand& second = operands[1];
  const BufferDesc& first_buffer = request.inputs[static_cast<size_t>(first.runtime_index)];
  const Dims second_padded = padded_to_rank(second.dims, rank);
  const bool same_dims = second_padded == out.dims;

  // The layouts to try, best first; the first that oneDNN runs with a jit implementation wins (ref:any took
  // ~110 ms per node on PP-OCRv4's 640x640 hardswish Muls; the whole model went from 4066 ms to 236 ms).
  std::vector<BinaryLayout> layouts;
  // Keep the first operand's layout when it has the output's rank (a lower-rank one is plain, seen with 1s).
  const bool first_keeps_layout = first_buffer.has_dnnl_desc() && first.dims.size() == rank;
  if (first_keeps_layout) {
    if (same_dims && (second.runtime_index < 0 || second.dims.size() == rank)) {
      // A full-size second operand shares the first one's layout (a constant is converted to it once).
      layouts.push_back({first_buffer.md, first_buffer.md, second_padded});
    } else if (const auto tag = channel_blocked_tag(first_buffer.md)) {
      // oneDNN 2.6's jit binary reads a channel-blocked first source (nChw8c) only with a broadcast second
      // source blocked the same way, and a scalar divisor only as a per-channel one: a constant scalar is
      // widened to one value per channel.
      Dims broadcast = second_padded;
      if (second.runtime_index < 0 && rank >= 2 && broadcast[1] == 1) broadcast[1] = out.dims[1];
      layouts.push_back(
          {first_buffer.md, dnnl::memory::desc(to_dnnl_dims(broadcast), dt::f32, *tag), broadcast});
    }
    layouts.push_back({first_buffer.md, plain_md(second_padded), second_padded});
  }
  // Everything plain: the plugin reorders blocked producers, and jit:uni handles plain broadcasts.
  layouts.push_back({plain_md(out.dims), plain_md(second_padded), second_padded});

  dnnl::binary::primitive_desc pd;
  const BinaryLayout* layout = nullptr;
  for (const BinaryLayout& candidate : layouts) {
    try {
      pd = dnnl::binary::primitive_desc(
          dnnl::binary::desc(op->algorithm, candidate.first, candidate.second, candidate.first),
          make_primitive_attr({}), request.engine);
    } catch (const dnnl::error& e) {
      why_not = std::string("oneDNN: ") + e.what();
      continue;
    }
    layout = &candidate;
    if (std::string_view(pd.impl_info_str()).rfind("ref", 0) != 0) break;
  }
  if (!layout) return std::nullopt;
  const dnnl::memory::desc& first_md = layout->first;
  const dnnl::memory::desc& second_md = layout->second;
  const bool first_is_plain = first_md == plain_md(out.dims);
  const bool second_is_plain = second_md == plain_md(second_padded);
  PrimitiveArguments arguments;
  KernelChoice choice;
  choice.inputs.resize(request.inputs.size());
  arguments.inputs.resize(request.inputs.size());
  choice.inputs[static_cast<size_t>(first.runtime_index)] =
      first_is_plain ? BufferDesc::plain(ElementType::kF32, first.dims) : first_buffer;
  arguments.inputs[static_cast<size_t>(first.runtime_index)] = {DNNL_ARG_SRC_0, first_md};
  if (second.runtime_index >= 0) {
    choice.inputs[static_cast<size_t>(second.runtime_index)] =
        second_is_plain ? BufferDesc::plain(ElementType::kF32, second.dims)
                        : BufferDesc::from_dnnl(ElementType::kF32, second_md);
    arguments.inputs[static_cast<size_t>(second.runtime_index)] = {DNNL_ARG_SRC_1, second_md};
  } else {
    arguments.constants.emplace(
        DNNL_ARG_SRC_1, constant_memory(broadcast_constant(*second.constant, layout->second_dims).data(),
                                        to_dnnl_dims(layout->second_dims), second_md, request.engine));
  }
  arguments.outputs.push_back({DNNL_ARG_DST, first_md});
  choice.outputs.push_back(first_is_plain ? BufferDesc::plain(ElementType::kF32, out.dims)
                                          : BufferDesc::from_dnnl(ElementType::kF32, first_md));
  choice.in_place_input = first.runtime_index;  // dst has src0's layout, so oneDNN may overwrite src0
  choice.kernel = std::make_shared<PrimitiveKernel>(pd, dnnl::binary(pd), std::move(arguments),
                                                    onednn_exec_type(pd, ElementType::kF32));
  return choice;
}

}  // namespace octet::cpu
