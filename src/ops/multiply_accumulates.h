// How many multiply-accumulates one execution of a node performs, for the performance counters' precision
// summary ("92% of the MACs ran in int8"): Conv, ConvTranspose, Gemm, MatMul and their quantized forms
// (QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger, QGemm). Other ops count 0: their cost is memory
// traffic, not arithmetic. Needs inferred static shapes; returns 0 when a shape is not static.
#pragma once

#include <cstdint>

#include "graph/graph.h"

namespace octet {

int64_t multiply_accumulates(const Node& node);

}  // namespace octet
