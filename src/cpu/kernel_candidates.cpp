// The implementation lists: for each op type, the kernels to try, fastest first. The reference fallback ends
// every list. Adding a kernel = one line here.
#include <map>

#include "cpu/kernel_factory.h"
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
#include "kernels/onednn/onednn_resampling.h"
#include "kernels/onednn/onednn_softmax.h"
#include "kernels/onednn/onednn_transpose.h"
#include "kernels/ref/copy_kernel.h"
#include "kernels/ref/reference_kernel.h"

namespace octet::cpu {

std::vector<KernelCandidate> kernel_candidates(std::string_view op_type) {
  static const std::map<std::string, std::vector<KernelCandidate>, std::less<>> kLists = {
      {"Conv", {{"onednn_convolution", create_onednn_convolution}}},
      {"ConvTranspose", {{"onednn_deconvolution", create_onednn_deconvolution}}},
      {"Gemm",
       {{"onednn_inner_product", create_onednn_inner_product}, {"onednn_matmul", create_onednn_matmul}}},
      {"MatMul",
       {{"onednn_inner_product", create_onednn_inner_product}, {"onednn_matmul", create_onednn_matmul}}},
      {"MaxPool", {{"onednn_pooling", create_onednn_pooling}}},
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
      {"Reshape", {{"copy", create_copy_kernel}}},
      {"Flatten", {{"copy", create_copy_kernel}}},
      {"Squeeze", {{"copy", create_copy_kernel}}},
      {"Unsqueeze", {{"copy", create_copy_kernel}}},
      {"Identity", {{"copy", create_copy_kernel}}},
      {"Dropout", {{"copy", create_copy_kernel}}},
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
    case ElementType::kI8:
      return "I8";
    case ElementType::kU8:
      return "U8";
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
