#include "ops/multiply_accumulates.h"

#include <string>

namespace octet {
namespace {

const Dims* static_dims(const Value* value) {
  return value && value->shape().is_static() ? &value->shape().static_dims() : nullptr;
}

int64_t product(const Dims& dims, size_t begin) {
  int64_t result = 1;
  for (size_t i = begin; i < dims.size(); ++i) result *= dims[i];
  return result;
}

// Convolution: every output element sums (input channels / group) x kernel area products.
int64_t convolution_macs(const Node& node, size_t weights_input) {
  const Dims* y = static_dims(node.output(0));
  const Dims* w = static_dims(node.input(weights_input));
  if (!y || !w || w->size() < 2) return 0;
  return product(*y, 0) * product(*w, 1);  // w: [M, C/group, k...]
}

// Transposed convolution: every input element scatters into (output channels / group) x kernel area outputs.
int64_t transposed_convolution_macs(const Node& node) {
  const Dims* x = static_dims(node.input(0));
  const Dims* w = static_dims(node.input(1));
  if (!x || !w || w->size() < 2) return 0;
  return product(*x, 0) * product(*w, 1);  // w: [C, M/group, k...]
}

// Matrix products: every output element sums K products, K being A's last dim (or first, transposed).
int64_t matmul_macs(const Node& node, size_t a_input, bool a_transposed) {
  const Dims* a = static_dims(node.input(a_input));
  const Dims* y = static_dims(node.output(0));
  if (!a || !y || a->empty()) return 0;
  const int64_t k = a_transposed && a->size() == 2 ? (*a)[0] : a->back();
  return product(*y, 0) * k;
}

}  // namespace

int64_t multiply_accumulates(const Node& node) {
  const std::string& type = node.op_type();
  if (node.output_count() == 0) return 0;
  if (type == "Conv" || type == "ConvInteger") return convolution_macs(node, 1);
  if (type == "QLinearConv") return convolution_macs(node, 3);
  if (type == "ConvTranspose") return transposed_convolution_macs(node);
  if (type == "Gemm") return matmul_macs(node, 0, node.attribute_or<int64_t>("transA", 0) != 0);
  if (type == "QGemm") return matmul_macs(node, 0, node.attribute_or<int64_t>("transA", 0) != 0);
  if (type == "MatMul" || type == "MatMulInteger" || type == "QLinearMatMul")
    return matmul_macs(node, 0, false);
  return 0;
}

}  // namespace octet
