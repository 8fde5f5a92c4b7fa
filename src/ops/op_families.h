// Every op family registers its ops here. Registration is explicit (not static initializers) so that nothing
// is lost when linking static libraries, and this list is the one place that says which families exist.
#pragma once

namespace octet {

class OpRegistry;

void register_elementwise_ops(OpRegistry& registry);  // ops/elementwise.cpp: unary and binary math, Cast...
void register_convolution_ops(OpRegistry& registry);  // ops/convolution.cpp: Conv, ConvTranspose
void register_matmul_ops(OpRegistry& registry);       // ops/matmul.cpp: MatMul, Gemm
void register_pooling_ops(OpRegistry& registry);      // ops/pooling.cpp: MaxPool, AveragePool, Global*, LRN
void register_normalization_ops(
    OpRegistry& registry);  // ops/normalization.cpp: BatchNorm, MVN, InstanceNorm, Softmax
void register_reduction_ops(OpRegistry& registry);  // ops/reduction.cpp: ReduceMean/Max/Sum/...
void register_shape_ops(OpRegistry& registry);      // ops/shape_ops.cpp: Reshape, Transpose, Concat, Slice...
void register_resize_ops(OpRegistry& registry);     // ops/resize.cpp: Resize
void register_quantization_ops(
    OpRegistry& registry);  // ops/quantization.cpp: Q/DQ, FakeQuantize, QLinear*, *Integer
void register_openvino_ops(OpRegistry& registry);  // ops/openvino_*.cpp: PriorBox, DetectionOutput, MVN...

inline void register_op_families(OpRegistry& registry) {
  register_elementwise_ops(registry);
  register_convolution_ops(registry);
  register_matmul_ops(registry);
  register_pooling_ops(registry);
  register_normalization_ops(registry);
  register_reduction_ops(registry);
  register_shape_ops(registry);
  register_resize_ops(registry);
  register_quantization_ops(registry);
  register_openvino_ops(registry);
}

}  // namespace octet
