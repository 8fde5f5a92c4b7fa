#include "kernels/onednn/int8_qlinear_concat.h"

#include <array>
#include <cstring>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_qparams.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

constexpr size_t kFirstTriple = 2;

struct ConcatPart {
  std::optional<size_t> input;    // runtime input index, or
  std::vector<uint8_t> constant;  // the constant's bytes
  int64_t row_bytes = 0;          // bytes per outer index (its extent along the axis times the inner size)
  bool requantize = false;
  std::array<uint8_t, 256> table{};  // stored byte in -> stored byte out
};

template <typename T>
void fill_table(std::array<uint8_t, 256>& table, float x_scale, int32_t x_zero, float y_scale,
                int32_t y_zero) {
  for (int v = 0; v < 256; ++v) {
    const T q = static_cast<T>(static_cast<uint8_t>(v));
    const T r = quantize_value<T>(dequantize_value(q, x_scale, x_zero), y_scale, y_zero);
    table[static_cast<size_t>(v)] = static_cast<uint8_t>(r);
  }
}

class QLinearConcatKernel : public Int8LoopKernel {
 public:
  QLinearConcatKernel(std::vector<ConcatPart> parts, int64_t outer, int64_t out_row_bytes)
      : Int8LoopKernel("qlinear_loop_I8"), parts_(std::move(parts)), outer_(outer), out_row_(out_row_bytes) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    auto* out = static_cast<uint8_t*>(outputs[0]);
    int64_t offset = 0;
    for (const ConcatPart& part : parts_) {
      const auto* in = static_cast<const uint8_t*>(part.input ? inputs[*part.input] : part.constant.data());
      for (int64_t o = 0; o < outer_; ++o) {
        const uint8_t* src = in + o * part.row_bytes;
        uint8_t* dst = out + o * out_row_ + offset;
        if (!part.requantize) {
          std::memcpy(dst, src, static_cast<size_t>(part.row_bytes));
        } else {
          for (int64_t i = 0; i < part.row_bytes; ++i) dst[i] = part.table[src[i]];
        }
      }
      offset += part.row_bytes;
    }
  }

 private:
  std::vector<ConcatPart> parts_;
  int64_t outer_, out_row_;
};

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_concat(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const ElementType type = request.outputs[0].type;
  const Dims& out = request.outputs[0].dims;
  if (!is_8bit(type) || out.empty() || !request.post_ops.empty() || node.input_count() < kFirstTriple + 3 ||
      (node.input_count() - kFirstTriple) % 3 != 0) {
    why_not = "needs a u8/i8 output, (tensor, scale, zero point) triples and no post-ops";
    return std::nullopt;
  }
  const auto y_scale = constant_scales(node, 0, why_not);
  const auto y_zero = constant_zero_points(node, 1, why_not);
  if (!y_scale || !y_zero || y_scale->size() != 1 || y_zero->size() != 1) {
    if (why_not.empty()) why_not = "Y's parameters must be per tensor";
    return std::nullopt;
  }
  const int64_t rank = static_cast<int64_t>(out.size());
  int64_t axis = node.attribute_or<int64_t>("axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) {
    why_not = "axis out of range";
    return std::nullopt;
  }
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= out[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= out[static_cast<size_t>(d)];
  KernelChoice choice;
  std::vector<ConcatPart> parts;
  int64_t total = 0;
  for (size_t index = kFirstTriple; index < node.input_count(); index += 3) {
    const auto scale = constant_scales(node, index + 1, why_not);
    const auto zero = constant_zero_points(node, index + 2, why_not);
    if (!scale || !zero || scale->size() != 1 || zero->size() != 1) {
      if (why_not.empty()) why_not = "input parameters must be per tensor";
      return std::nullopt;
    }
    const Value* value = node.input(index);
    ConcatPart part;
    Dims dims;
    if (!value) {
      why_not = "an input is missing";
      return std::nullopt;
    }
    if (value->is_constant()) {
      const Tensor& t = value->constant();
      part.constant.assign(static_cast<const uint8_t*>(t.raw_data()),
                           static_cast<const uint8_t*>(t.raw_data()) + t.byte_size());
      dims = t.dims();
    } else {
      for (size_t i = 0; i < request.inputs.size(); ++i) {
        if (request.input_indices[i] == index) part.input = i;
      }
      if (!part.input) {
        why_not = "an input is neither constant nor a runtime input";
        return std::nullopt;
      }
      dims = request.inputs[*part.input].dims;
      choice.inputs.push_back(BufferDesc::plain(type, dims));
    }
    if (value->type() != type || static_cast<int64_t>(dims.size()) != rank) {
      why_not = "input type or rank differs from the output's";
      return std::nullopt;
    }
    part.row_bytes = dims[static_cast<size_t>(axis)] * inner;
    total += dims[static_cast<size_t>(axis)];
    part.requantize = (*scale)[0] != (*y_scale)[0] || (*zero)[0] != (*y_zero)[0];
    if (type == ElementType::kU8) {
      fill_table<uint8_t>(part.table, (*scale)[0], (*zero)[0], (*y_scale)[0], (*y_zero)[0]);
    } else {
      fill_table<int8_t>(part.table, (*scale)[0], (*zero)[0], (*y_scale)[0], (*y_zero)[0]);
    }
    parts.push_back(std::move(part));
  }
  if (total != out[static_cast<size_t>(axis)] || choice.inputs.size() != request.inputs.size()) {
    why_not = "inputs do not add up to the output";
    return std::nullopt;
  }
  choice.outputs.push_back(BufferDesc::plain(type, out));
  choice.kernel =
      std::make_shared<QLinearConcatKernel>(std::move(parts), outer, out[static_cast<size_t>(axis)] * inner);
  return choice;
}

}  // namespace octet::cpu
