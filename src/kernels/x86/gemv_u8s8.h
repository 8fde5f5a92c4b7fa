// Batch-1 fully connected layer (GEMV), u8 activations x s8 weights (zero point 0) -> int32 -> u8 / i8 /
// f32: y[n] = out(sum_k (a[k] - a_zero) * b[k][n] + bias[n]), the arithmetic of ONNX QLinearMatMul / QGemm
// with one row. a is K contiguous u8, y is N contiguous values (plain layout on both sides).
//
// The vector paths widen both operands to int16 and use vpmaddwd, which is exact for any weights (no
// vpmaddubsw, so nothing can saturate); weights stay s8 in memory (1 byte per MAC), widened on the fly.
// Created once per layer, then run() from any number of threads at once; OpenMP splits the columns.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kernels/x86/int8_common.h"
#include "kernels/x86/x86_isa.h"

namespace octet::x86 {

class GemvU8S8 {
 public:
  // b: K x N s8, row-major ([K, N] as MatMul's B), or N x K when b_transposed (Gemm's transB / an inner
  // product's [out, in] weights). bias: N values or empty. Throws kUnsupported when the bias could overflow
  // the int32 accumulator.
  GemvU8S8(int64_t k, int64_t n, std::span<const int8_t> b, bool b_transposed, std::span<const int32_t> bias,
           int32_t a_zero, OutputQuantization output, Isa isa);

  // Bytes of scratch run() needs (the activation pairs), for a caller that owns per-request memory.
  size_t scratch_bytes() const;
  // a: K u8 values; y: N values of the output kind; scratch: scratch_bytes() bytes, not shared between
  // concurrent calls.
  void run(const uint8_t* a, void* y, void* scratch) const;

  Isa isa() const { return isa_; }
  int64_t k() const { return k_; }
  int64_t n() const { return n_; }

 private:
  void run_reference(const uint8_t* a, void* y) const;

  int64_t k_, n_;
  Isa isa_;
  int32_t a_zero_;
  OutputQuantization output_;
  OutputStage stage_;
  std::vector<int8_t> b_;  // reference path: K x N
  std::vector<int32_t> bias_;
  int64_t group_cols_ = 0, groups_ = 0;
  std::vector<int8_t> packed_b_;
  std::vector<int32_t> packed_bias_;
  std::vector<float> packed_scales_;
};

}  // namespace octet::x86
