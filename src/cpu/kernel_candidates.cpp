// The implementation lists: for each op type, the kernels to try, fastest first. The reference fallback ends
// every list. Adding a kernel = one line here.
#include <map>

#include "cpu/kernel_factory.h"
#include "kernels/generic/axis_map_copy_kernel.h"
#include "kernels/generic/gather_kernel.h"
#include "kernels/onednn/int8_max_pool.h"
#include "kernels/onednn/int8_qlinear_average_pool.h"
#include "kernels/onednn/int8_qlinear_binary.h"
#include "kernels/onednn/int8_qlinear_concat.h"
#include "kernels/onednn/int8_qlinear_global_average_pool.h"
#include "kernels/onednn/int8_qlinear_lookup.h"
#include "kernels/onednn/int8_qlinear_scale_shift.h"
#include "kernels/onednn/onednn_batch_norm.h"
#include "kernels/onednn/onednn_binary.h"
#include "kernels/onednn/onednn_concat.h"
#include "kernels/onednn/onednn_convolution.h"
#include "kernels/onednn/onednn_deconvolution.h"
#include "kernels/onednn/onednn_eltwise.h"
#include "kernels/onednn/onednn_inner_product.h"
#include "kernels/onednn/onednn_lrn.h"
#include "kernels/onednn/onednn_matmul.h"
#include "kernels/onednn/onednn_pooling.h"
#include "kernels/onednn/onednn_qlinear_conv.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "kernels/onednn/onednn_qlinear_matmul.h"
#include "kernels/onednn/onednn_quantize.h"
#include "kernels/onednn/onednn_resampling.h"
#include "kernels/onednn/onednn_softmax.h"
#include "kernels/onednn/onednn_transpose.h"
#include "kernels/ref/copy_kernel.h"
#include "kernels/ref/reference_kernel.h"
#include "kernels/x86/x86_int8_factories.h"

namespace octet::cpu {

std::vector<KernelCandidate> kernel_candidates(std::string_view op_type) {
  static const std::map<std::string, std::vector<KernelCandidate>, std::less<>> kLists = {
      {"Conv", {{"onednn_convolution", create_onednn_convolution}}},
      {"ConvTranspose", {{"onednn_deconvolution", create_onednn_deconvolution}}},
      {"Gemm",
       {{"onednn_inner_product", create_onednn_inner_product}, {"onednn_matmul", create_onednn_matmul}}},
      {"MatMul",
       {{"onednn_inner_product", create_onednn_inner_product}, {"onednn_matmul", create_onednn_matmul}}},
      {"MaxPool", {{"int8_max_pool", create_int8_max_pool}, {"onednn_pooling", create_onednn_pooling}}},
      {"AveragePool", {{"onednn_pooling", create_onednn_pooling}}},
      {"GlobalAveragePool", {{"onednn_pooling", create_onednn_pooling}}},
      {"GlobalMaxPool", {{"onednn_pooling", create_onednn_pooling}}},
      {"Relu", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"LeakyRelu", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Sigmoid", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Tanh", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Elu", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"HardSwish", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Exp", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Abs", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Clip", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Sqrt", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Log", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Softplus", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Neg", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Reciprocal", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Round", {{"onednn_eltwise", create_onednn_eltwise}}},
      {"Add", {{"onednn_binary", create_onednn_binary}}},
      {"Sub", {{"onednn_binary", create_onednn_binary}}},
      {"Mul", {{"onednn_binary", create_onednn_binary}}},
      {"Div", {{"onednn_binary", create_onednn_binary}}},
      {"Max", {{"onednn_binary", create_onednn_binary}}},
      {"Min", {{"onednn_binary", create_onednn_binary}}},
      {"Concat", {{"onednn_concat", create_onednn_concat}}},
      {"Softmax", {{"onednn_softmax", create_onednn_softmax}}},
      {"LogSoftmax", {{"onednn_softmax", create_onednn_softmax}}},
      {"Resize", {{"onednn_resampling", create_onednn_resampling}}},
      {"LRN", {{"onednn_lrn", create_onednn_lrn}}},
      {"BatchNormalization", {{"onednn_batch_norm", create_onednn_batch_norm}}},
      {"Transpose", {{"onednn_transpose", create_onednn_transpose}}},
      {"Slice", {{"axis_map_copy", create_axis_map_copy_kernel}}},
      {"Gather", {{"gather", create_gather_kernel}}},
      {"Pad", {{"axis_map_copy", create_axis_map_copy_kernel}}},
      {"Reshape", {{"copy", create_copy_kernel}}},
      {"Flatten", {{"copy", create_copy_kernel}}},
      {"Squeeze", {{"copy", create_copy_kernel}}},
      {"Unsqueeze", {{"copy", create_copy_kernel}}},
      {"Identity", {{"copy", create_copy_kernel}}},
      {"Dropout", {{"copy", create_copy_kernel}}},
      // Int8 (QOperator form, docs/int8.md).
      // Our AVX2 depthwise and batch-1 GEMV first: exact for any weights, where oneDNN 2.6 on AVX2 is slower
      // than fp32 (GEMV) or must decline weights that could saturate vpmaddubsw (depthwise). oneDNN's int8
      // primitives take the layers whose weights provably cannot saturate; the rest run exactly in fp32.
      {"QLinearConv",
       {{"x86_depthwise_qlinear_conv", create_x86_depthwise_qlinear_conv},
        {"onednn_qlinear_conv", create_onednn_qlinear_conv},
        {"onednn_qlinear_conv_exact", create_onednn_qlinear_conv_exact}}},
      {"QLinearMatMul",
       {{"x86_gemv_qlinear_matmul", create_x86_gemv_qlinear_matmul},
        {"onednn_qlinear_matmul", create_onednn_qlinear_matmul},
        {"onednn_qlinear_matmul_exact", create_onednn_qlinear_matmul_exact}}},
      {"QGemm",
       {{"x86_gemv_qlinear_matmul", create_x86_gemv_qlinear_matmul},
        {"onednn_qlinear_matmul", create_onednn_qlinear_matmul},
        {"onednn_qlinear_matmul_exact", create_onednn_qlinear_matmul_exact}}},
      {"QLinearAdd", {{"int8_qlinear_binary", create_int8_qlinear_binary}}},
      {"QLinearMul", {{"int8_qlinear_binary", create_int8_qlinear_binary}}},
      {"QLinearConcat", {{"int8_qlinear_concat", create_int8_qlinear_concat}}},
      {"QLinearAveragePool", {{"int8_qlinear_average_pool", create_int8_qlinear_average_pool}}},
      {"QLinearGlobalAveragePool",
       {{"int8_qlinear_global_average_pool", create_int8_qlinear_global_average_pool}}},
      {"QLinearLookup", {{"int8_qlinear_lookup", create_int8_qlinear_lookup}}},
      {"QLinearScaleShift", {{"int8_qlinear_scale_shift", create_int8_qlinear_scale_shift}}},
      {"QuantizeLinear", {{"onednn_quantize", create_onednn_quantize}}},
      {"DequantizeLinear", {{"onednn_quantize", create_onednn_quantize}}},
  };
  std::vector<KernelCandidate> candidates;
  if (const auto it = kLists.find(op_type); it != kLists.end()) candidates = it->second;
  candidates.push_back({"reference", create_reference_kernel});
  return candidates;
}

std::string precision_name(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return "FP32";
    case ElementType::kF16:
      return "FP16";
    // Both 8-bit types are "I8", as OpenVINO's counters print them (a u8 tensor's reorder is "reorder_I8"):
    // the suffix says "runs in int8", which is what users scan the table for.
    case ElementType::kI8:
    case ElementType::kU8:
      return "I8";
    case ElementType::kI32:
      return "I32";
    case ElementType::kI64:
      return "I64";
    case ElementType::kBool:
      return "BOOL";
    case ElementType::kUndefined:
      break;
  }
  return "UNDEFINED";
}

}  // namespace octet::cpu
