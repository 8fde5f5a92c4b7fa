// The exact fallback for int8 layers that oneDNN's int8 kernels must decline: QLinearConv, QLinearMatMul and
// QGemm computed with oneDNN's fp32 convolution / matmul on integer-valued floats.
//
// Why: on AVX2 without VNNI, oneDNN's int8 kernels add pairs of u8 x s8 products into a saturating i16
// (vpmaddubsw), so onednn_qlinear_conv / onednn_qlinear_matmul decline weights with a pair |w0| + |w1| > 128
// (onednn_int8_exactness.h). Full-range 8-bit weights (OpenVINO INT8 IRs, onnxruntime QDQ models without
// reduce_range) break that bound in most layers, which would otherwise fall to the reference kernel.
//
// How (onednn_qlinear_exact_kernel.h): x - x_zero_point as f32 (our loop, then a plain reorder into the
// layout the fp32 primitive wants; the primitive's spatial padding then reads as 0.0 = the real zero of ONNX,
// i.e. x_zero_point in 8-bit space; oneDNN 2.6's reorder with a source zero point is wrong for some layouts),
// weights w - w_zero_point[oc] and the i32 bias as f32 prepared once, the fp32 primitive, then a requantizing
// reorder y = saturate(round(acc * scale[oc] + y_zero_point)) with scale = x_scale * w_scale[oc] / y_scale
// computed in float in the op's order. x is read in the layout its producer wrote; y is written plain after a
// plain x, channels-last otherwise (what the int8 kernels use); the matmuls read and write plain.
//
// Exactness: every source value |x - x_zp| <= 255 and weight |w - w_zp| <= 255 is an integer, so each
// product (|p| <= 65025 < 2^24) is exact in fp32, and so is every sum of such integers as long as its
// magnitude stays below 2^24. Whatever order oneDNN adds the products and the bias in, every partial sum is
// bounded by B[oc] = |bias[oc]| + max|x - x_zp| * sum over the window of |w - w_zp|, so B[oc] < 2^24 for
// every output channel proves the f32 accumulator equals the int32 one. The factory computes B at kernel
// creation from the weights and the source type (exactness_bound(); OCTET_VERBOSE_KERNELS=1 prints it). When
// the bound fails (a 3x3 layer of 256+ channels with full-range weights, say) the kernel is still taken: sums
// beyond 2^24 are rounded to fp32, and the usual summation bound limits the accumulator's error to
// n * 2^-24 * B for n additions (typically nearer sqrt(n) * 2^-24 * B), i.e. E = n * 2^-24 * B * scale output
// steps, which the factory also reports. With E < 1 an output can differ from the integer result by at most
// one step, and only where acc * scale lies within E of a rounding boundary. (The op itself converts acc to
// float before scaling, so beyond 2^24 the reference rounds too.) Against the reference: the requantization
// adds y_zero_point before rounding (round(v + zp) vs round(v) + zp), the same one-step-at-a-tie caveat as
// onednn_qlinear_conv.
//
// Exec type: "<oneDNN impl>_exact_FP32" (e.g. jit_avx2_exact_FP32): the arithmetic is fp32 FMAs, so the -pc
// summary counts its MACs as fp32.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {
// The reason the performance counters give for a node on this kernel.
inline constexpr const char* kExactFp32Reason = "weights could saturate vpmaddubsw (no VNNI): exact fp32";

std::optional<KernelChoice> create_onednn_qlinear_conv_exact(const KernelRequest& request,
                                                             std::string& why_not);

// QLinearMatMul and QGemm (any M; batch-1 u8 rows go to x86_gemv_qlinear_matmul first).
std::optional<KernelChoice> create_onednn_qlinear_matmul_exact(const KernelRequest& request,
                                                               std::string& why_not);

// The largest |x - zero| of an 8-bit source of `type` (u8 or s8) with that zero point.
int64_t max_source_magnitude(ElementType type, int32_t zero);

// The exactness bound: the largest B[c] = |bias[c]| + source_max * sum_i |w[c][i]| over the `channels`
// lines of `weights` (line c holds `length` elements from weights[c * line_stride], `step` apart); bias may
// be empty. B < 2^24 proves the fp32 accumulation exact.
int64_t exactness_bound(std::span<const int32_t> weights, int64_t channels, int64_t line_stride,
                        int64_t length, int64_t step, std::span<const int32_t> bias, int64_t source_max);

inline constexpr int64_t kExactFloatIntegers = int64_t{1} << 24;

// "jit_avx2_exact_FP32" from oneDNN's "jit:avx2".
std::string exact_exec_type(const dnnl::primitive_desc_base& pd);

// With OCTET_VERBOSE_KERNELS set, prints the node's bound B, whether it proves the result exact, and if not
// the worst-case error E = additions * 2^-24 * B * max(scale) in output steps.
void report_exactness(const Node& node, int64_t bound, int64_t additions, std::span<const float> scales);

}  // namespace octet::cpu
