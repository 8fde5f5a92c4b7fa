#include "kernels/onednn/onednn_quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_primitive.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/x86_isa_loops.h"
#include "ops/quantization_math.h"

namespace octet::cpu {
namespace {

constexpr size_t kScale = 1, kZeroPoint = 2;

class QuantizeReorderKernel : public Kernel {
 public:
  QuantizeReorderKernel(dnnl::reorder::primitive_desc pd, std::unordered_map<int, dnnl::memory> constants)
      : pd_(std::move(pd)), primitive_(pd_), constants_(std::move(constants)) {}
  std::string exec_type() const override { return "reorder_I8"; }
  size_t scratchpad_bytes() const override { return pd_.scratchpad_desc().get_size(); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override {
    std::unordered_map<int, dnnl::memory> args = constants_;
    args.emplace(DNNL_ARG_FROM, dnnl::memory(pd_.src_desc(), context.engine, inputs[0]));
    args.emplace(DNNL_ARG_TO, dnnl::memory(pd_.dst_desc(), context.engine, outputs[0]));
    args.emplace(DNNL_ARG_SCRATCHPAD, scratchpad_memory(pd_.scratchpad_desc(), context));
    return std::make_unique<BoundPrimitive>(primitive_, context.stream, std::move(args));
  }

 private:
  dnnl::reorder::primitive_desc pd_;
  dnnl::reorder primitive_;
  std::unordered_map<int, dnnl::memory> constants_;
};

// quantize_value (ops/quantization_math.h) over a chunk, as quantize_value_vectorizable: restrict pointers
// and by-value parameters, always inlined into the instruction set's copy of the caller (x86_isa_loops.h).
// The loop it replaces (nearbyint and a NaN test inside the OpenMP region, target_clones AVX2) was not
// vectorized at all (-fopt-info-vec: "control flow in loop"): 363 us for DenseNet-121's 800 K-element
// quantization.
template <typename T>
[[gnu::always_inline]] inline void quantize_chunk(const float* __restrict x, T* __restrict y, int64_t count,
                                                  float scale, int32_t zero) {
#pragma omp simd
  for (int64_t i = 0; i < count; ++i) y[i] = quantize_value_vectorizable<T>(x[i], scale, zero);
}

// Tensors from this many elements on are split over the threads.
constexpr int64_t kParallelElements = int64_t{1} << 15;

// The span in chunks of 4096 elements, spread over the threads for large tensors.
template <typename T>
void quantize_floats(x86::Isa isa, const float* x, T* y, int64_t count, float scale, int32_t zero) {
  constexpr int64_t kChunk = 4096;
  const int64_t chunks = (count + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static) if (count > kParallelElements)
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t begin = c * kChunk, n = std::min(kChunk, count - begin);
    x86::run_for_isa(isa,
                     [&] [[gnu::always_inline]] { quantize_chunk(x + begin, y + begin, n, scale, zero); });
  }
}

// out[3i + c] = plane c's byte i: with the target's byte shuffles GCC vectorizes this as a group of three
// interleaved stores.
template <typename T>
[[gnu::always_inline]] inline void interleave_three(const T* __restrict a, const T* __restrict b,
                                                    const T* __restrict c, T* __restrict out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    out[3 * i] = a[i];
    out[3 * i + 1] = b[i];
    out[3 * i + 2] = c[i];
  }
}

// An image batch [N, 3, H, W] quantized into channels-last memory [N, H, W, 3]: each plane's chunk is
// quantized with the vectorized loop into a small buffer, then the three byte rows are interleaved. The int8
// convolutions read channels-last, so this saves the byte reorder a plain output would need next. MobileNet
// v2's 1x3x224x224 input, 1 thread, `-pc`, 3 runs each: quantize + reorder 98-112 us, this loop 67-79 us.
template <typename T>
void quantize_planes_to_channels_last(x86::Isa isa, const float* x, T* y, int64_t images, int64_t pixels,
                                      float scale, int32_t zero) {
  constexpr int64_t kChannels = 3, kChunk = 2048;
  const int64_t chunks = (pixels + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static) if (images * pixels * kChannels > kParallelElements)
  for (int64_t job = 0; job < images * chunks; ++job) {
    const int64_t n = job / chunks, begin = job % chunks * kChunk, count = std::min(kChunk, pixels - begin);
    T planes[kChannels][kChunk];
    const float* plane = x + n * kChannels * pixels + begin;
    T* out = y + (n * pixels + begin) * kChannels;
    x86::run_for_isa(isa, [&] [[gnu::always_inline]] {
      for (int64_t c = 0; c < kChannels; ++c)
        quantize_chunk(plane + c * pixels, planes[c], count, scale, zero);
      interleave_three(planes[0], planes[1], planes[2], out, count);
    });
  }
}

// Per-tensor QuantizeLinear with the op's own formula (x / scale, not x * (1 / scale)): bit-exact. The
// computation is elementwise, so any dense layout without padding is read and written as it is; or, with
// `images` > 0, a plain [N, 3, H, W] input is written channels-last.
class QuantizeLoopKernel : public Int8LoopKernel {
 public:
  QuantizeLoopKernel(x86::Isa isa, ElementType type, int64_t count, float scale, int32_t zero,
                     int64_t images = 0)
      : Int8LoopKernel(images > 0 ? "quantize_nhwc_loop_I8" : "quantize_loop_I8"),
        isa_(isa),
        type_(type),
        count_(count),
        scale_(scale),
        zero_(zero),
        images_(images) {}
  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    const auto* x = static_cast<const float*>(inputs[0]);
    if (type_ == ElementType::kU8) {
      run_typed(x, static_cast<uint8_t*>(outputs[0]));
    } else {
      run_typed(x, static_cast<int8_t*>(outputs[0]));
    }
  }

 private:
  template <typename T>
  void run_typed(const float* x, T* y) const {
    if (images_ > 0)
      quantize_planes_to_channels_last(isa_, x, y, images_, count_ / images_ / 3, scale_, zero_);
    else
      quantize_floats(isa_, x, y, count_, scale_, zero_);
  }

  x86::Isa isa_;
  ElementType type_;
  int64_t count_;
  float scale_;
  int32_t zero_;
  int64_t images_;
};

bool has_padding(const dnnl::memory::desc& md) {
  for (int i = 0; i < md.data.ndims; ++i) {
    if (md.data.dims[i] != md.data.padded_dims[i]) return true;
  }
  return false;
}

}  // namespace

std::optional<KernelChoice> create_onednn_quantize(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const bool quantize = node.op_type() == "QuantizeLinear";
  if (request.inputs.size() != 1 || request.input_indices[0] != 0 || !request.inputs[0].has_dnnl_desc() ||
      !request.post_ops.empty()) {
    why_not = "needs one non-empty runtime input and constant parameters";
    return std::nullopt;
  }
  const BufferDesc& x = request.inputs[0];
  const ElementType y_type = request.outputs[0].type;
  const bool types_ok = quantize
                            ? x.type == ElementType::kF32 && is_8bit(y_type)
                            : (is_8bit(x.type) || x.type == ElementType::kI32) && y_type == ElementType::kF32;
  if (!types_ok || node.has_attribute("block_size") || node.has_attribute("output_dtype")) {
    why_not = "only f32 <-> u8/i8 (and i32 -> f32), without block_size";
    return std::nullopt;
  }
  const auto scales = constant_scales(node, kScale, why_not);
  const auto zero_points = constant_zero_points(node, kZeroPoint, why_not);
  if (!scales || !zero_points) return std::nullopt;
  for (const int32_t z : *zero_points) {
    if (z != (*zero_points)[0]) {
      why_not = "per-axis zero points that differ (oneDNN reorders take one)";
      return std::nullopt;
    }
  }
  if (quantize && scales->size() == 1) {
    const BufferDesc layout = has_padding(x.md) ? BufferDesc::plain(x.type, x.dims) : x;
    const int64_t count = static_cast<int64_t>(layout.md.get_size() / 4);
    KernelChoice choice;
    choice.inputs.push_back(layout);
    // A plain 3-channel image batch goes out channels-last, the layout its int8 convolution reads.
    if (x.dims.size() == 4 && x.dims[1] == 3 && layout.is_plain() && count > 0) {
      const dnnl::memory::desc nhwc(to_dnnl_dims(x.dims), to_dnnl(y_type), dnnl::memory::format_tag::nhwc);
      choice.outputs.push_back(BufferDesc::from_dnnl(y_type, nhwc));
      choice.kernel = std::make_shared<QuantizeLoopKernel>(x86::default_isa(), y_type, count, (*scales)[0],
                                                           (*zero_points)[0], x.dims[0]);
      return choice;
    }
    choice.outputs.push_back(BufferDesc::from_dnnl(y_type, with_element_type(layout.md, y_type)));
    choice.kernel = std::make_shared<QuantizeLoopKernel>(x86::default_isa(), y_type, count, (*scales)[0],
                                                         (*zero_points)[0]);
    return choice;
  }
  int mask = 0;
  if (scales->size() > 1) {
    const int64_t rank = static_cast<int64_t>(x.dims.size());
    int64_t axis = node.attribute_or<int64_t>("axis", 1);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank ||
        x.dims[static_cast<size_t>(axis)] != static_cast<int64_t>(scales->size())) {
      why_not = "per-axis scales that do not match the input's axis";
      return std::nullopt;
    }
    mask = 1 << axis;
  }
  std::vector<float> factors;
  for (const float s : *scales) factors.push_back(quantize ? 1.0f / s : s);

  const dnnl::engine& engine = request.engine;
  std::unordered_map<int, dnnl::memory> constants;
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  attr.set_output_scales(mask, factors);
  add_zero_point(attr, constants, quantize ? DNNL_ARG_DST : DNNL_ARG_SRC, (*zero_points)[0], engine);
  const dnnl::memory::desc dst = with_element_type(x.md, y_type);
  dnnl::reorder::primitive_desc pd;
  try {
    pd = dnnl::reorder::primitive_desc(engine, x.md, engine, dst, attr);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(x);
  choice.outputs.push_back(BufferDesc::from_dnnl(y_type, dst));
  choice.kernel = std::make_shared<QuantizeReorderKernel>(pd, std::move(constants));
  return choice;
}

}  // namespace octet::cpu
