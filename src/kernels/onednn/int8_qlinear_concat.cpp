#include "kernels/onednn/int8_qlinear_concat.h"

#include <cstring>
#include <vector>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/x86_isa_loops.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

constexpr size_t kFirstTriple = 2;

struct ConcatPart {
  std::optional<size_t> input;    // runtime input index, or
  std::vector<uint8_t> constant;  // the constant's bytes
  int64_t row_bytes = 0;          // bytes per outer index (its extent along the axis times the inner size)
  bool requantize = false;        // to Y's parameters, with its own:
  float x_scale = 1.0f;
  int32_t x_zero = 0;
};

// One row requantized with the op's formula (rescale_value_vectorizable equals its quantize_value of
// dequantize_value for positive finite scales). A function with restrict pointers and by-value parameters so
// that it vectorizes, always inlined into the instruction set's copy of the caller (x86_isa_loops.h).
template <typename T>
[[gnu::always_inline]] inline void requantize_row(const T* __restrict in, T* __restrict out, int64_t count,
                                                  float x_scale, int32_t x_zero, float y_scale,
                                                  int32_t y_zero) {
#pragma omp simd
  for (int64_t i = 0; i < count; ++i)
    out[i] = rescale_value_vectorizable<T>(int32_t{in[i]} - x_zero, x_scale, y_scale, y_zero);
}

// memcpy of fixed 32- and 8-byte blocks (inlined as vector moves), then single bytes.
inline void copy_bytes(uint8_t* dst, const uint8_t* src, int64_t n) {
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) std::memcpy(dst + i, src + i, 32);
  for (; i + 8 <= n; i += 8) std::memcpy(dst + i, src + i, 8);
  for (; i < n; ++i) dst[i] = src[i];
}

class QLinearConcatKernel : public Int8LoopKernel {
 public:
  QLinearConcatKernel(x86::Isa isa, bool is_signed, std::vector<ConcatPart> parts, int64_t outer,
                      int64_t out_row_bytes, float y_scale, int32_t y_zero)
      : Int8LoopKernel("qlinear_loop_I8"),
        isa_(isa),
        signed_(is_signed),
        parts_(std::move(parts)),
        outer_(outer),
        out_row_(out_row_bytes),
        y_scale_(y_scale),
        y_zero_(y_zero) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    auto* out = static_cast<uint8_t*>(outputs[0]);
    std::vector<const uint8_t*> sources;
    for (const ConcatPart& part : parts_)
      sources.push_back(static_cast<const uint8_t*>(part.input ? inputs[*part.input] : part.constant.data()));
      // Output row by output row, each the inputs' rows side by side. Channels-last rows are short (a
      // DenseNet layer adds 32 channels per position), so they are copied inline, not by a memcpy call each.
#pragma omp parallel for schedule(static) if (outer_ * out_row_ > (1 << 16))
    for (int64_t o = 0; o < outer_; ++o) {
      uint8_t* dst = out + o * out_row_;
      for (size_t p = 0; p < parts_.size(); ++p) {
        const ConcatPart& part = parts_[p];
        const uint8_t* src = sources[p] + o * part.row_bytes;
        if (!part.requantize) {
          copy_bytes(dst, src, part.row_bytes);
        } else if (signed_) {
          x86::run_for_isa(isa_, [&] [[gnu::always_inline]] {
            requantize_row(reinterpret_cast<const int8_t*>(src), reinterpret_cast<int8_t*>(dst),
                           part.row_bytes, part.x_scale, part.x_zero, y_scale_, y_zero_);
          });
        } else {
          x86::run_for_isa(isa_, [&] [[gnu::always_inline]] {
            requantize_row(src, dst, part.row_bytes, part.x_scale, part.x_zero, y_scale_, y_zero_);
          });
        }
        dst += part.row_bytes;
      }
    }
  }

 private:
  x86::Isa isa_;
  bool signed_;
  std::vector<ConcatPart> parts_;
  int64_t outer_, out_row_;
  float y_scale_;
  int32_t y_zero_;
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
  // Channels along axis 1 of channels-last inputs (int8 convolutions write nhwc): concatenate the
  // per-position rows of channels as they are, so that no reorder runs before or after (DenseNet concatenates
  // every layer's output). Only without constant parts, whose bytes are in plain order.
  bool channels_last = false;
  if (axis == 1 && rank >= 3 && rank <= 5) {
    bool constant_part = false;
    for (size_t index = kFirstTriple; index < node.input_count(); index += 3)
      constant_part |= node.input(index) && node.input(index)->is_constant();
    for (const BufferDesc& in : request.inputs) {
      const std::string layout = in.has_dnnl_desc() ? in.layout_name() : "plain";
      channels_last |= layout == "nwc" || layout == "nhwc" || layout == "ndhwc";
    }
    channels_last = channels_last && !constant_part;
  }
  const auto layout_of = [&](const Dims& dims) {
    if (!channels_last) return BufferDesc::plain(type, dims);
    using tag = dnnl::memory::format_tag;
    const tag t = rank == 3 ? tag::nwc : rank == 4 ? tag::nhwc : tag::ndhwc;
    return BufferDesc::from_dnnl(type, dnnl::memory::desc(to_dnnl_dims(dims), to_dnnl(type), t));
  };
  // Rows of `inner` elements per index along the axis, `outer` of them; channels-last: one row of channels
  // per position.
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= out[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= out[static_cast<size_t>(d)];
  if (channels_last) {
    outer *= inner;
    inner = 1;
  }
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
      choice.inputs.push_back(layout_of(dims));
    }
    if (value->type() != type || static_cast<int64_t>(dims.size()) != rank) {
      why_not = "input type or rank differs from the output's";
      return std::nullopt;
    }
    part.row_bytes = dims[static_cast<size_t>(axis)] * inner;
    total += dims[static_cast<size_t>(axis)];
    part.requantize = (*scale)[0] != (*y_scale)[0] || (*zero)[0] != (*y_zero)[0];
    // The requantizing loop is compiled for finite math (src/CMakeLists.txt): x * x_scale / y_scale for
    // |x| <= 255 must stay far from overflow.
    if (part.requantize && !(255.0 * (*scale)[0] / (*y_scale)[0] < 1e30)) {
      why_not = "an input's scale over Y's is beyond 1e30 / 255";
      return std::nullopt;
    }
    part.x_scale = (*scale)[0];
    part.x_zero = (*zero)[0];
    parts.push_back(std::move(part));
  }
  if (total != out[static_cast<size_t>(axis)] || choice.inputs.size() != request.inputs.size()) {
    why_not = "inputs do not add up to the output";
    return std::nullopt;
  }
  choice.outputs.push_back(layout_of(out));
  choice.kernel = std::make_shared<QLinearConcatKernel>(
      x86::default_isa(), type == ElementType::kI8, std::move(parts), outer,
      out[static_cast<size_t>(axis)] * inner, (*y_scale)[0], (*y_zero)[0]);
  return choice;
}

}  // namespace octet::cpu
