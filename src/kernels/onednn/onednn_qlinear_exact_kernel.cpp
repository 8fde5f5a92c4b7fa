#include "kernels/onednn/onednn_qlinear_exact_kernel.h"

#include <cstdint>
#include <utility>

#include "kernels/onednn/onednn_primitive.h"
#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {
namespace {

constexpr size_t kAlignment = 64;

size_t aligned(size_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

dnnl::memory s32_scalar(int32_t value, const dnnl::engine& engine) {
  dnnl::memory memory({{1}, dnnl::memory::data_type::s32, dnnl::memory::format_tag::x}, engine);
  *static_cast<int32_t*>(memory.get_data_handle()) = value;
  return memory;
}

// x - zero as floats, element by element over the physical buffer (the staging layout is the source's own, so
// padding elements of a blocked source become garbage floats that the following reorder never reads).
template <typename T>
void widen(const void* source, float* target, size_t count, int32_t zero) {
  const T* x = static_cast<const T*>(source);
  const auto n = static_cast<int64_t>(count);
#pragma omp parallel for schedule(static) if (n > (1 << 15))
  for (int64_t i = 0; i < n; ++i) target[i] = static_cast<float>(int32_t{x[i]} - zero);
}

// The widening step of one request: our loop into `staging` (the source's layout in f32), then, when that is
// not the primitive's source layout, a plain oneDNN reorder into it.
struct BoundWiden {
  const void* source;
  float* staging;
  size_t count;
  bool is_signed;
  int32_t zero;
  const dnnl::primitive* relayout;  // nullptr when staging is the primitive's source
  std::unordered_map<int, dnnl::memory> args;
};

// One reorder with its fixed arguments for one request.
struct BoundReorder {
  const dnnl::primitive* primitive;
  std::unordered_map<int, dnnl::memory> args;
};

class BoundExact : public BoundKernel {
 public:
  BoundExact(dnnl::stream& stream, BoundWiden widen, const dnnl::primitive& primitive,
             std::unordered_map<int, dnnl::memory> args, BoundReorder requantize)
      : stream_(stream),
        widen_(std::move(widen)),
        primitive_(primitive),
        args_(std::move(args)),
        requantize_(std::move(requantize)) {}
  void execute() override {
    if (widen_.is_signed) {
      widen<int8_t>(widen_.source, widen_.staging, widen_.count, widen_.zero);
    } else {
      widen<uint8_t>(widen_.source, widen_.staging, widen_.count, widen_.zero);
    }
    if (widen_.relayout) widen_.relayout->execute(stream_, widen_.args);
    primitive_.execute(stream_, args_);
    requantize_.primitive->execute(stream_, requantize_.args);
  }

 private:
  dnnl::stream& stream_;
  BoundWiden widen_;
  const dnnl::primitive& primitive_;
  std::unordered_map<int, dnnl::memory> args_;
  BoundReorder requantize_;
};

class ExactFloatKernel : public Kernel {
 public:
  ExactFloatKernel(ExactFloatKernelParts parts, const dnnl::engine& engine) : parts_(std::move(parts)) {
    // Why not one oneDNN reorder u8 -> f32 with a source zero point: oneDNN 2.6's jit reorder ignores the
    // zero point for some layout pairs (u8 nchw -> f32 nChw8c with 8 channels gives x, not x - zp).
    // The loop writes straight into the primitive's source when that has the source's own layout and no
    // padding elements (which the primitive may read as zeros).
    staging_ = with_element_type(parts_.source, ElementType::kF32);
    size_t elements = 1;
    for (const int64_t d : staging_.dims()) elements *= static_cast<size_t>(d);
    if (staging_ != parts_.pd.src_desc() || staging_.get_size() != elements * sizeof(float)) {
      dnnl::primitive_attr relayout_attr;
      relayout_attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
      relayout_pd_ =
          dnnl::reorder::primitive_desc(engine, staging_, engine, parts_.pd.src_desc(), relayout_attr);
      relayout_ = dnnl::reorder(relayout_pd_);
    }

    dnnl::primitive_attr requantize_attr;
    requantize_attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    requantize_attr.set_output_scales(parts_.scales.size() == 1 ? 0 : 1 << parts_.scale_axis, parts_.scales);
    if (parts_.destination_zero != 0) {
      requantize_attr.set_zero_points(DNNL_ARG_DST, 0, {DNNL_RUNTIME_S32_VAL});
      destination_zero_ = s32_scalar(parts_.destination_zero, engine);
    }
    requantize_pd_ = dnnl::reorder::primitive_desc(engine, parts_.pd.dst_desc(), engine, parts_.destination,
                                                   requantize_attr);
    requantize_ = dnnl::reorder(requantize_pd_);
  }

  std::string exec_type() const override { return parts_.exec_type; }

  // [primitive's scratchpad | f32 source | f32 accumulators | f32 staging (if a relayout follows) |
  //  relayout reorder's | requantizing reorder's]
  size_t scratchpad_bytes() const override {
    return aligned(parts_.pd.scratchpad_desc().get_size()) + aligned(parts_.pd.src_desc().get_size()) +
           aligned(parts_.pd.dst_desc().get_size()) + aligned(staging_bytes()) +
           aligned(relayout_scratchpad_bytes()) + requantize_pd_.scratchpad_desc().get_size();
  }

  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override {
    const dnnl::engine& engine = context.engine;
    char* cursor = static_cast<char*>(context.scratchpad);
    const auto take = [&cursor](size_t bytes) {
      char* region = cursor;
      cursor += aligned(bytes);
      return region;
    };
    void* primitive_scratchpad = take(parts_.pd.scratchpad_desc().get_size());
    const dnnl::memory source_f32(parts_.pd.src_desc(), engine, take(parts_.pd.src_desc().get_size()));
    const dnnl::memory accumulators(parts_.pd.dst_desc(), engine, take(parts_.pd.dst_desc().get_size()));
    void* staging = take(staging_bytes());
    void* relayout_scratchpad = take(relayout_scratchpad_bytes());
    void* requantize_scratchpad = take(requantize_pd_.scratchpad_desc().get_size());

    BoundWiden widen{.source = inputs[0],
                     .staging = static_cast<float*>(relayout_ ? staging : source_f32.get_data_handle()),
                     .count = parts_.source.get_size(),  // one byte per element
                     .is_signed = parts_.source.data_type() == dnnl::memory::data_type::s8,
                     .zero = parts_.source_zero,
                     .relayout = relayout_ ? &relayout_ : nullptr,
                     .args = {}};
    if (relayout_) {
      widen.args = {
          {DNNL_ARG_FROM, dnnl::memory(staging_, engine, staging)},
          {DNNL_ARG_TO, source_f32},
          {DNNL_ARG_SCRATCHPAD, dnnl::memory(relayout_pd_.scratchpad_desc(), engine, relayout_scratchpad)}};
    }

    std::unordered_map<int, dnnl::memory> args = parts_.constants;
    args[DNNL_ARG_SRC] = source_f32;
    args[DNNL_ARG_DST] = accumulators;
    args[DNNL_ARG_SCRATCHPAD] = dnnl::memory(parts_.pd.scratchpad_desc(), engine, primitive_scratchpad);

    BoundReorder requantize{&requantize_,
                            {{DNNL_ARG_FROM, accumulators},
                             {DNNL_ARG_TO, dnnl::memory(parts_.destination, engine, outputs[0])},
                             {DNNL_ARG_SCRATCHPAD, dnnl::memory(requantize_pd_.scratchpad_desc(), engine,
                                                                requantize_scratchpad)}}};
    if (parts_.destination_zero != 0)
      requantize.args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST] = destination_zero_;
    return std::make_unique<BoundExact>(context.stream, std::move(widen), parts_.primitive, std::move(args),
                                        std::move(requantize));
  }

 private:
  // No staging buffer when the loop writes straight into the primitive's source.
  size_t staging_bytes() const { return relayout_ ? staging_.get_size() : 0; }
  size_t relayout_scratchpad_bytes() const {
    return relayout_ ? relayout_pd_.scratchpad_desc().get_size() : 0;
  }

  ExactFloatKernelParts parts_;
  dnnl::memory::desc staging_;
  dnnl::reorder::primitive_desc relayout_pd_, requantize_pd_;
  dnnl::reorder relayout_, requantize_;
  dnnl::memory destination_zero_;
};

}  // namespace

std::shared_ptr<const Kernel> make_exact_float_kernel(ExactFloatKernelParts parts,
                                                      const dnnl::engine& engine) {
  return std::make_shared<ExactFloatKernel>(std::move(parts), engine);
}

}  // namespace octet::cpu
