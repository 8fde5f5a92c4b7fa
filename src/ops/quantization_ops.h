// The parts of the quantization family (ops/quantization.cpp registers them all): one file per group of ops.
#pragma once

namespace octet {

class OpRegistry;

void register_quantize_linear_ops(
    OpRegistry& registry);  // quantize_linear.cpp: QuantizeLinear, DequantizeLinear
void register_dynamic_quantize_linear_op(OpRegistry& registry);  // dynamic_quantize_linear.cpp
void register_fake_quantize_op(OpRegistry& registry);            // fake_quantize.cpp: FakeQuantize (OpenVINO)
void register_integer_ops(OpRegistry& registry);  // integer_ops.cpp: ConvInteger, MatMulInteger
void register_qlinear_conv_matmul_ops(
    OpRegistry& registry);  // qlinear_conv_matmul.cpp: QLinearConv, QLinearMatMul
void register_qlinear_binary_ops(OpRegistry& registry);       // qlinear_binary.cpp: QLinearAdd, QLinearMul
void register_qlinear_pool_concat_ops(OpRegistry& registry);  // qlinear_pool_concat.cpp:
                                                              // QLinearGlobalAveragePool, QLinearConcat

void register_qgemm_op(OpRegistry& registry);                 // qgemm.cpp: QGemm (com.microsoft)
void register_qlinear_average_pool_op(OpRegistry& registry);  // qlinear_average_pool.cpp (com.microsoft)
void register_qlinear_lookup_op(OpRegistry& registry);        // qlinear_lookup.cpp (Octet's own)
void register_qlinear_scale_shift_op(OpRegistry& registry);   // qlinear_scale_shift.cpp (Octet's own)

}  // namespace octet
