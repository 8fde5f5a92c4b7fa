// What the low-precision passes share: the quantization parameters of a QuantizeLinear / DequantizeLinear
// node (constant scale and zero point), building Q and DQ nodes and their parameter constants, and replacing
// a "node unit" (DQ inputs -> op [-> bias Add] -> Q) by one QOperator node that keeps the op's name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/constant_values.h"
#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet::lpt {

// The attribute a pass sets on a quantization node it leaves in fp32, saying why ("levels 16 ...").
inline constexpr const char* kFp32ReasonAttribute = "lpt_fp32_reason";

struct QuantParams {
  ElementType type = ElementType::kU8;  // the integer type (u8 / i8; i32 for biases)
  std::vector<float> scales;            // 1 (per tensor) or one per index along `axis`
  std::vector<int32_t> zero_points;     // same length as scales
  int64_t axis = 1;                     // as written on the node (may be negative); per axis only

  bool per_tensor() const { return scales.size() == 1; }
  // Integer range of `type`.
  int32_t qmin() const;
  int32_t qmax() const;
};

// Equal types, scales (exactly) and zero points; the axis matters only when per axis.
bool same_params(const QuantParams& a, const QuantParams& b);

// The parameters of a QuantizeLinear or DequantizeLinear node whose scale (and zero point, if any) are
// constants; nullopt otherwise (including other ops). The type is the zero point's, or the input's for DQ,
// or u8 for a Q without zero point.
std::optional<QuantParams> qdq_params(const Node& node);

// The DequantizeLinear node computing `value`, or nullptr.
Node* dequantize_producer(const Value* value);
// The per-tensor parameters of the DQ computing `value` from a non-constant u8/i8 tensor (an activation),
// or nullopt.
std::optional<QuantParams> activation_dq_params(const Value* value);

// Constants holding the parameters: scale f32 ([] per tensor, [n] per axis) and zero point of `type`.
Value* add_scale_constant(Graph& graph, const std::string& base, const QuantParams& p);
Value* add_zero_point_constant(Graph& graph, const std::string& base, const QuantParams& p);

// Adds `QuantizeLinear(x)` / `DequantizeLinear(q)` with the parameters; returns the new node's output.
Value* add_quantize(Graph& graph, PassContext& context, Value* x, const QuantParams& p,
                    const std::string& base);
Value* add_dequantize(Graph& graph, PassContext& context, Value* q, const QuantParams& p,
                      const std::string& base);

// The QuantizeLinear that reads `value` as its only use (value not a graph output), or nullptr; also accepts
// several uses when every one is a QuantizeLinear with the same parameters (the first is returned and the
// others' outputs are redirected to it).
Node* sole_quantize_consumer(Graph& graph, const Value* value);

// Replaces the chain anchor -> absorbed... -> quantize (each reading the previous one's output, every output
// used only by the next) by one node of `op_type` named like `anchor`, whose output takes over `quantize`'s
// output (its name, its uses). The absorbed nodes and `quantize` are recorded as absorbed into `anchor`.
Node* replace_unit(Graph& graph, PassContext& context, Node* anchor, const std::vector<Node*>& absorbed,
                   Node* quantize, const std::string& op_type, std::vector<Value*> inputs,
                   Attributes attributes = {});

// The 256 stored bytes 0..255 of an 8-bit `type` (u8 or i8) as a [256] tensor: the inputs on which the passes
// tabulate a function of one quantized value (QLinearLookup tables are indexed by the stored byte).
Tensor every_byte(ElementType type);

// Rounds v to the nearest integer when it is within `tolerance` of it; nullopt otherwise.
std::optional<int32_t> near_integer(double v, double tolerance = 1e-2);

}  // namespace octet::lpt
