#include "kernels/onednn/int8_qlinear_lookup.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/x86/x86_isa.h"

namespace octet::cpu {
namespace {

constexpr size_t kX = 0, kTable = 1;

// 64 bytes of x mapped through the 256-entry table at once: the low 7 bits of each byte pick an entry of the
// lower (t0, t1) or upper (t2, t3) half with one vpermt2b each, the top bit picks the half. `mask` selects
// the bytes to read and write (all but in the tail).
[[gnu::target("avx512f,avx512bw,avx512vbmi")]] void lookup_block_vbmi(const uint8_t* x, uint8_t* y,
                                                                      __mmask64 mask, const __m512i (&t)[4]) {
  const __m512i index = _mm512_maskz_loadu_epi8(mask, x);
  const __m512i lower = _mm512_permutex2var_epi8(t[0], index, t[1]);
  const __m512i upper = _mm512_permutex2var_epi8(t[2], index, t[3]);
  _mm512_mask_storeu_epi8(y, mask, _mm512_mask_blend_epi8(_mm512_movepi8_mask(index), lower, upper));
}

[[gnu::target("avx512f,avx512bw,avx512vbmi")]] void lookup_vbmi(const uint8_t* x, uint8_t* y, int64_t count,
                                                                const uint8_t* table) {
  const __m512i t[4] = {_mm512_loadu_si512(table), _mm512_loadu_si512(table + 64),
                        _mm512_loadu_si512(table + 128), _mm512_loadu_si512(table + 192)};
  int64_t i = 0;
  for (; i + 64 <= count; i += 64) lookup_block_vbmi(x + i, y + i, ~__mmask64{0}, t);
  if (i < count) lookup_block_vbmi(x + i, y + i, (__mmask64{1} << (count - i)) - 1, t);
}

class QLinearLookupKernel : public Int8LoopKernel {
 public:
  QLinearLookupKernel(const std::array<uint8_t, 256>& table, int64_t count, bool byte_permutes)
      : Int8LoopKernel("lookup_I8"), table_(table), count_(count), byte_permutes_(byte_permutes) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    const auto* x = static_cast<const uint8_t*>(inputs[0]);
    auto* y = static_cast<uint8_t*>(outputs[0]);
    // Chunks of 16 KB (a multiple of 64 bytes) spread over the threads for large tensors.
    constexpr int64_t kChunk = int64_t{1} << 14;
    const int64_t chunks = (count_ + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static) if (count_ > (1 << 16))
    for (int64_t c = 0; c < chunks; ++c) {
      const int64_t begin = c * kChunk, n = std::min(kChunk, count_ - begin);
      if (byte_permutes_) {
        lookup_vbmi(x + begin, y + begin, n, table_.data());
      } else {
        for (int64_t i = begin; i < begin + n; ++i) y[i] = table_[x[i]];
      }
    }
  }

 private:
  std::array<uint8_t, 256> table_;
  int64_t count_;
  // AVX-512 VBMI: 64 lookups per pair of vpermt2b. EfficientNet-B0's 112x112x96 SiLU lookup (2 threads,
  // `-pc`, three runs each with OCTET_X86_ISA=avx2 for the byte loop): 321-344 us as a byte loop, 56-58 us.
  bool byte_permutes_;
};

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_lookup(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != kX || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty() || !node.has_input(kTable) || !node.input(kTable)->is_constant()) {
    why_not = "needs one runtime u8/i8 input, a constant table and no post-ops";
    return std::nullopt;
  }
  const Tensor& table = node.input(kTable)->constant();
  if (table.element_count() != 256 || !is_8bit(table.type())) {
    why_not = "the table must hold 256 u8/i8 entries";
    return std::nullopt;
  }
  std::array<uint8_t, 256> entries{};
  std::memcpy(entries.data(), table.raw_data(), entries.size());
  // Elementwise: the output is laid out like the input, whatever the layout (the lanes of a padded blocked
  // layout are mapped too; nobody reads them).
  // Between u8 and i8 the descriptors differ in type: both plain then.
  const BufferDesc& x = request.inputs[0];
  const ElementType out_type = request.outputs[0].type;
  KernelChoice choice;
  if (out_type == x.type) {
    choice.inputs = {x};
    choice.outputs = {x};
  } else {
    choice.inputs = {BufferDesc::plain(x.type, x.dims)};
    choice.outputs = {BufferDesc::plain(out_type, x.dims)};
  }
  choice.kernel =
      std::make_shared<QLinearLookupKernel>(entries, static_cast<int64_t>(choice.inputs[0].byte_size()),
                                            x86::byte_permutes_available(x86::default_isa()));
  return choice;
}

}  // namespace octet::cpu
