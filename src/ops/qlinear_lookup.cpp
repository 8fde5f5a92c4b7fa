// QLinearLookup (Octet's own, made by the low-precision passes): an elementwise function of a per-tensor
// quantized tensor, as a table of its 256 possible results.
//   inputs:  X (u8 or i8), Table (constant [256], u8 or i8: the output type)
//   output:  Y, X's dims, Table's type: Y[i] = Table[stored byte of X[i]] (X = -128 is byte 0x80, index 128)
// The passes fill the table with QuantizeLinear(f(DequantizeLinear(x))) evaluated by the reference ops for
// each of the 256 values of x, so the op equals the Q/DQ graph it replaces bit for bit (TFLite and ONNX
// Runtime run their int8 Sigmoid / LeakyRelu / HardSwish the same way).
#include <cstdint>
#include <vector>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/quantization_ops.h"

namespace octet {
namespace {

constexpr size_t kX = 0, kTable = 1;

void infer_qlinear_lookup(Node& node) {
  expect_input_type(node, kX, {ElementType::kU8, ElementType::kI8});
  expect_input_type(node, kTable, {ElementType::kU8, ElementType::kI8});
  const Shape& table = input_shape(node, kTable);
  OCTET_CHECK(!table.rank_known() || table.dims() == Dims{256}, ErrorCode::kInvalidModel, node.label(),
              ": Table must have 256 entries, got dims ", to_string(table.dims()));
  set_output(node, 0, input_type(node, kTable), input_shape(node, kX));
}

std::vector<Tensor> evaluate_qlinear_lookup(const Node& node, const std::vector<const Tensor*>& inputs) {
  const Tensor& x = *inputs[kX];
  const Tensor& table = *inputs[kTable];
  OCTET_CHECK(table.element_count() == 256, ErrorCode::kInvalidModel, node.label(),
              ": Table must have 256 entries, got ", table.element_count());
  Tensor y(table.type(), x.dims());
  const auto* bytes = static_cast<const uint8_t*>(x.raw_data());
  const auto* entries = static_cast<const uint8_t*>(table.raw_data());
  auto* out = static_cast<uint8_t*>(y.raw_data());
  for (int64_t i = 0; i < x.element_count(); ++i) out[i] = entries[bytes[i]];
  return {y};
}

}  // namespace

void register_qlinear_lookup_op(OpRegistry& registry) {
  registry.add({"QLinearLookup", 2, 2, 1, 1, infer_qlinear_lookup, evaluate_qlinear_lookup});
}

}  // namespace octet
