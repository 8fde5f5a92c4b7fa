#include "kernels/onednn/int8_qlinear_binary.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/target_clones.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

constexpr size_t kA = 0, kAScale = 1, kAZero = 2, kB = 3, kBScale = 4, kBZero = 5, kCScale = 6, kCZero = 7;

// One operand: its dequantization table, where its bytes come from and its strides over the output dims
// (0 along broadcast axes).
struct Operand {
  std::array<float, 256> table{};  // indexed by the stored byte
  std::optional<size_t> input;     // runtime input index, or
  std::vector<uint8_t> constant;   // the constant's bytes
  std::vector<int64_t> strides;
};

template <typename T>
void fill_table(std::array<float, 256>& table, float scale, int32_t zero) {
  for (int v = 0; v < 256; ++v) {
    const T q = static_cast<T>(static_cast<uint8_t>(v));  // the value whose stored byte is v
    table[static_cast<size_t>(v)] = dequantize_value(q, scale, zero);
  }
}

// The common case (a residual Add of two quantized branches): both operands runtime tensors of the output's
// dims in the same layout, so the op is a flat loop over the buffers, whatever the layout (channel padding
// included: padded lanes compute garbage nobody reads). The formulas are the reference's
// (quantization_math.h: int32 subtraction, float products and division, ties to even), vectorized:
// std::nearbyint in the default rounding mode is ties-to-even, and the AVX2 clone turns it into vroundps.
// ResNet-50 QDQ's 16 residual adds: 4.1 ms in all instead of 78 ms with the table-and-odometer loop below
// (2 threads, loaded machine).
struct FlatOperands {
  float a_scale, b_scale, c_scale;
  int32_t a_zero, b_zero, c_zero;
};

template <typename T>
OCTET_TARGET_CLONES_AVX2 void flat_loop(const T* a, const T* b, T* c, int64_t count, bool add,
                                        const FlatOperands& p) {
  constexpr float lo = static_cast<float>(std::numeric_limits<T>::lowest());
  constexpr float hi = static_cast<float>(std::numeric_limits<T>::max());
#pragma omp parallel for schedule(static) if (count > (1 << 15))
  for (int64_t i = 0; i < count; ++i) {
    const float va = static_cast<float>(static_cast<int32_t>(a[i]) - p.a_zero) * p.a_scale;
    const float vb = static_cast<float>(static_cast<int32_t>(b[i]) - p.b_zero) * p.b_scale;
    const float v = std::nearbyint((add ? va + vb : va * vb) / p.c_scale) + static_cast<float>(p.c_zero);
    c[i] = static_cast<T>(std::min(std::max(v, lo), hi));
  }
}

class FlatQLinearBinaryKernel : public Int8LoopKernel {
 public:
  FlatQLinearBinaryKernel(bool add, bool is_signed, int64_t count, FlatOperands operands)
      : Int8LoopKernel(__builtin_cpu_supports("avx2") ? "eltwise_avx2_I8" : "eltwise_I8"),
        add_(add),
        signed_(is_signed),
        count_(count),
        operands_(operands) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    if (signed_) {
      flat_loop(static_cast<const int8_t*>(inputs[0]), static_cast<const int8_t*>(inputs[1]),
                static_cast<int8_t*>(outputs[0]), count_, add_, operands_);
    } else {
      flat_loop(static_cast<const uint8_t*>(inputs[0]), static_cast<const uint8_t*>(inputs[1]),
                static_cast<uint8_t*>(outputs[0]), count_, add_, operands_);
    }
  }

 private:
  bool add_, signed_;
  int64_t count_;
  FlatOperands operands_;
};

// A [N, C, spatial...] operand times (or plus) a per-channel one [N or 1, C, 1...] (the
// squeeze-and-excitation scale of MobileNet v3 and EfficientNet), with A read in its own layout: plain NCHW
// or channels-last (what oneDNN's int8 convolutions write), so that no reorder surrounds it. Same float
// formula as flat_loop.
struct ChannelGeometry {
  int64_t batch = 0, channels = 0, spatial = 0;
  bool channels_last = false;
  bool per_image = false;  // the per-channel operand has one row of C per image (else one row for all)
  size_t full_input = 0;   // which runtime input is the full tensor (the other is per channel)
};

// One row of the channel loop: `count` elements of A against B's value at each element (kPerElementB:
// channels-last, the row runs along the channels) or one value for the whole row (plain: the row is one
// channel). The parameters are locals so that the byte stores cannot alias them; with the layout and the op
// as template arguments the loop has no branch, and vectorizes.
template <bool kAdd, bool kPerElementB, typename T>
inline void channel_row(const T* a, const T* b, T* c, int64_t count, const FlatOperands& p) {
  constexpr float lo = static_cast<float>(std::numeric_limits<T>::lowest());
  constexpr float hi = static_cast<float>(std::numeric_limits<T>::max());
  const float a_scale = p.a_scale, b_scale = p.b_scale, c_scale = p.c_scale;
  const int32_t a_zero = p.a_zero, b_zero = p.b_zero;
  const auto c_zero = static_cast<float>(p.c_zero);
  for (int64_t i = 0; i < count; ++i) {
    const float va = static_cast<float>(static_cast<int32_t>(a[i]) - a_zero) * a_scale;
    const float vb = static_cast<float>(static_cast<int32_t>(b[kPerElementB ? i : 0]) - b_zero) * b_scale;
    const float v = std::nearbyint((kAdd ? va + vb : va * vb) / c_scale) + c_zero;
    c[i] = static_cast<T>(std::min(std::max(v, lo), hi));
  }
}

// Cloned for AVX2 here, where the OpenMP loop is (its outlined body gets the clone's target).
template <bool kAdd, typename T>
OCTET_TARGET_CLONES_AVX2 void channel_rows(const T* a, const T* b, T* c, const ChannelGeometry& g,
                                           const FlatOperands& p) {
  const int64_t outer = g.channels_last ? g.spatial : g.channels;
  const int64_t inner = g.channels_last ? g.channels : g.spatial;
  for (int64_t n = 0; n < g.batch; ++n) {
    const T* b_row = b + (g.per_image ? n * g.channels : 0);
    const int64_t image = n * g.channels * g.spatial;
#pragma omp parallel for schedule(static) if (outer * inner > (1 << 15))
    for (int64_t o = 0; o < outer; ++o) {
      const int64_t at = image + o * inner;
      if (g.channels_last) {
        channel_row<kAdd, true>(a + at, b_row, c + at, inner, p);
      } else {
        channel_row<kAdd, false>(a + at, b_row + o, c + at, inner, p);
      }
    }
  }
}

template <typename T>
void channel_loop(const T* a, const T* b, T* c, const ChannelGeometry& g, bool add, const FlatOperands& p) {
  if (add) {
    channel_rows<true>(a, b, c, g, p);
  } else {
    channel_rows<false>(a, b, c, g, p);
  }
}

class ChannelQLinearBinaryKernel : public Int8LoopKernel {
 public:
  ChannelQLinearBinaryKernel(bool add, bool is_signed, ChannelGeometry geometry, FlatOperands operands)
      : Int8LoopKernel("channel_eltwise_I8"),
        add_(add),
        signed_(is_signed),
        geometry_(geometry),
        operands_(operands) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    const void* full = inputs[geometry_.full_input];
    const void* scale = inputs[1 - geometry_.full_input];
    if (signed_) {
      channel_loop(static_cast<const int8_t*>(full), static_cast<const int8_t*>(scale),
                   static_cast<int8_t*>(outputs[0]), geometry_, add_, operands_);
    } else {
      channel_loop(static_cast<const uint8_t*>(full), static_cast<const uint8_t*>(scale),
                   static_cast<uint8_t*>(outputs[0]), geometry_, add_, operands_);
    }
  }

 private:
  bool add_, signed_;
  ChannelGeometry geometry_;
  FlatOperands operands_;
};

class QLinearBinaryKernel : public Int8LoopKernel {
 public:
  QLinearBinaryKernel(bool add, bool is_signed, Operand a, Operand b, Dims out, float c_scale, int32_t c_zero)
      : Int8LoopKernel("qlinear_loop_I8"),
        add_(add),
        signed_(is_signed),
        a_(std::move(a)),
        b_(std::move(b)),
        out_(std::move(out)),
        c_scale_(c_scale),
        c_zero_(c_zero) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    const auto* a = static_cast<const uint8_t*>(a_.input ? inputs[*a_.input] : a_.constant.data());
    const auto* b = static_cast<const uint8_t*>(b_.input ? inputs[*b_.input] : b_.constant.data());
    if (signed_) {
      loop<int8_t>(a, b, static_cast<int8_t*>(outputs[0]));
    } else {
      loop<uint8_t>(a, b, static_cast<uint8_t*>(outputs[0]));
    }
  }

 private:
  template <typename T>
  void loop(const uint8_t* a, const uint8_t* b, T* c) const {
    const size_t rank = out_.size();
    const int64_t inner = rank ? out_.back() : 1;
    const int64_t a_step = rank ? a_.strides.back() : 0, b_step = rank ? b_.strides.back() : 0;
    const int64_t rows = inner ? element_count(out_) / inner : 0;
    std::vector<int64_t> index(rank, 0);  // odometer over the outer axes
    int64_t a_offset = 0, b_offset = 0;
    for (int64_t row = 0; row < rows; ++row) {
      for (int64_t i = 0; i < inner; ++i) {
        const float va = a_.table[a[a_offset + i * a_step]];
        const float vb = b_.table[b[b_offset + i * b_step]];
        *c++ = quantize_value<T>(add_ ? va + vb : va * vb, c_scale_, c_zero_);
      }
      for (size_t d = rank - 1; d-- > 0;) {
        a_offset += a_.strides[d];
        b_offset += b_.strides[d];
        if (++index[d] < out_[d]) break;
        a_offset -= a_.strides[d] * out_[d];
        b_offset -= b_.strides[d] * out_[d];
        index[d] = 0;
      }
    }
  }

  bool add_, signed_;
  Operand a_, b_;
  Dims out_;
  float c_scale_;
  int32_t c_zero_;
};

// Reads the per-tensor parameters of A, B and C; false (why_not set) if one is missing or per axis.
bool flat_operands(const Node& node, FlatOperands& p, std::string& why_not) {
  float* scales[] = {&p.a_scale, &p.b_scale, &p.c_scale};
  int32_t* zeros[] = {&p.a_zero, &p.b_zero, &p.c_zero};
  const std::array<std::array<size_t, 2>, 3> params = {
      {{kAScale, kAZero}, {kBScale, kBZero}, {kCScale, kCZero}}};
  for (size_t i = 0; i < params.size(); ++i) {
    const auto scale = constant_scales(node, params[i][0], why_not);
    const auto zero = constant_zero_points(node, params[i][1], why_not);
    if (!scale || !zero || scale->size() != 1 || zero->size() != 1) return false;
    *scales[i] = (*scale)[0];
    *zeros[i] = (*zero)[0];
  }
  return true;
}

// The flat kernel's choice when both operands are runtime inputs A, B (in that order) with the output's dims
// and the same layout, else nullopt.
std::optional<KernelChoice> flat_choice(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 2 || request.input_indices[0] != kA || request.input_indices[1] != kB) {
    return std::nullopt;
  }
  const BufferDesc& a = request.inputs[0];
  const BufferDesc& b = request.inputs[1];
  const ElementType type = request.outputs[0].type;
  if (a.dims != request.outputs[0].dims || b.dims != a.dims || a.type != type || b.type != type ||
      !b.same_layout(a)) {
    return std::nullopt;
  }
  FlatOperands p{};
  if (!flat_operands(node, p, why_not)) return std::nullopt;
  why_not.clear();
  KernelChoice choice;
  choice.inputs = {a, b};
  choice.outputs = {a};
  // Padded blocked layouts: the loop runs over every stored element (padding too).
  const auto count = static_cast<int64_t>(a.byte_size() / size_of(type));
  choice.kernel = std::make_shared<FlatQLinearBinaryKernel>(node.op_type() == "QLinearAdd",
                                                            type == ElementType::kI8, count, p);
  return choice;
}

// The channel kernel's choice: two runtime operands, one of the output's dims [N, C, spatial...] in plain or
// channels-last layout, the other [N or 1, C, 1...] (either order: torch writes the SE scale first; Add and
// Mul commute exactly in floating point, so swapping them changes no bit); else nullopt.
std::optional<KernelChoice> channel_choice(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 2 || request.input_indices[0] != kA || request.input_indices[1] != kB) {
    return std::nullopt;
  }
  const ElementType type = request.outputs[0].type;
  const Dims& out = request.outputs[0].dims;
  const auto per_channel = [&](const Dims& dims) {
    if (dims.size() != out.size() || dims[1] != out[1] || (dims[0] != out[0] && dims[0] != 1)) return false;
    for (size_t d = 2; d < dims.size(); ++d)
      if (dims[d] != 1) return false;
    return true;
  };
  if (out.size() < 3 || request.inputs[0].type != type || request.inputs[1].type != type) return std::nullopt;
  size_t full = 0;
  if (request.inputs[0].dims == out && per_channel(request.inputs[1].dims)) {
    full = 0;
  } else if (request.inputs[1].dims == out && per_channel(request.inputs[0].dims)) {
    full = 1;
  } else {
    return std::nullopt;
  }
  const BufferDesc& x = request.inputs[full];
  const BufferDesc& scale = request.inputs[1 - full];
  const std::string layout = x.has_dnnl_desc() ? x.layout_name() : "plain";
  const bool channels_last = layout == "nhwc" || layout == "nwc" || layout == "ndhwc";
  if (!channels_last && !x.is_plain()) return std::nullopt;
  FlatOperands p{};
  if (!flat_operands(node, p, why_not)) return std::nullopt;
  if (full == 1) {
    std::swap(p.a_scale, p.b_scale);
    std::swap(p.a_zero, p.b_zero);
  }
  why_not.clear();
  ChannelGeometry g;
  g.batch = out[0];
  g.channels = out[1];
  g.spatial = element_count(out) / (g.batch * g.channels);
  g.channels_last = channels_last;
  g.per_image = scale.dims[0] == out[0] && out[0] > 1;
  g.full_input = full;
  KernelChoice choice;
  choice.inputs = {x, BufferDesc::plain(type, scale.dims)};
  if (full == 1) std::swap(choice.inputs[0], choice.inputs[1]);
  choice.outputs = {x};
  choice.kernel = std::make_shared<ChannelQLinearBinaryKernel>(node.op_type() == "QLinearAdd",
                                                               type == ElementType::kI8, g, p);
  return choice;
}

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_binary(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const ElementType type = request.outputs[0].type;
  if (!is_8bit(type) || !request.post_ops.empty()) {
    why_not = "needs a u8/i8 output and no post-ops";
    return std::nullopt;
  }
  const Dims& out = request.outputs[0].dims;
  if (out.empty() || out.size() > 6) {
    why_not = "scalar output or rank above 6";
    return std::nullopt;
  }
  if (auto flat = flat_choice(request, why_not)) return flat;
  if (auto channel = channel_choice(request, why_not)) return channel;
  KernelChoice choice;
  std::vector<Operand> operands;
  for (const auto& [index, scale_index, zero_index] :
       {std::array<size_t, 3>{kA, kAScale, kAZero}, std::array<size_t, 3>{kB, kBScale, kBZero}}) {
    const auto scale = constant_scales(node, scale_index, why_not);
    const auto zero = constant_zero_points(node, zero_index, why_not);
    if (!scale || !zero || scale->size() != 1 || zero->size() != 1) {
      if (why_not.empty()) why_not = "parameters must be per tensor";
      return std::nullopt;
    }
    Operand operand;
    if (type == ElementType::kU8) {
      fill_table<uint8_t>(operand.table, (*scale)[0], (*zero)[0]);
    } else {
      fill_table<int8_t>(operand.table, (*scale)[0], (*zero)[0]);
    }
    const Value* value = node.input(index);
    Dims dims;
    if (value->is_constant()) {
      const Tensor& t = value->constant();
      operand.constant.assign(static_cast<const uint8_t*>(t.raw_data()),
                              static_cast<const uint8_t*>(t.raw_data()) + t.byte_size());
      dims = t.dims();
    } else {
      for (size_t i = 0; i < request.inputs.size(); ++i) {
        if (request.input_indices[i] == index) operand.input = i;
      }
      if (!operand.input) {
        why_not = "operand is neither constant nor a runtime input";
        return std::nullopt;
      }
      dims = request.inputs[*operand.input].dims;
      choice.inputs.push_back(BufferDesc::plain(request.inputs[*operand.input].type, dims));
    }
    if (value->type() != type || dims.size() > out.size()) {
      why_not = "operand type or rank does not match the output";
      return std::nullopt;
    }
    // Row-major strides of the operand aligned to the output's trailing axes, 0 where it broadcasts.
    operand.strides.assign(out.size(), 0);
    int64_t stride = 1;
    for (size_t d = dims.size(); d-- > 0;) {
      const size_t o = d + out.size() - dims.size();
      if (dims[d] != 1) operand.strides[o] = stride;
      stride *= dims[d];
    }
    operands.push_back(std::move(operand));
  }
  const auto c_scale = constant_scales(node, kCScale, why_not);
  const auto c_zero = constant_zero_points(node, kCZero, why_not);
  if (!c_scale || !c_zero || c_scale->size() != 1 || c_zero->size() != 1) {
    if (why_not.empty()) why_not = "C's parameters must be per tensor";
    return std::nullopt;
  }
  if (choice.inputs.size() != request.inputs.size()) {
    why_not = "unexpected runtime inputs";
    return std::nullopt;
  }
  choice.outputs.push_back(BufferDesc::plain(type, out));
  choice.kernel = std::make_shared<QLinearBinaryKernel>(
      node.op_type() == "QLinearAdd", type == ElementType::kI8, std::move(operands[0]),
      std::move(operands[1]), out, (*c_scale)[0], (*c_zero)[0]);
  return choice;
}

}  // namespace octet::cpu
