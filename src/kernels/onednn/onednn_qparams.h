// Reading the quantization parameters of a QOperator node (scales, zero points, int8 weights) for the int8
// kernels, which all need them as compile-time constants: a kernel whose parameters are runtime tensors says
// why not and leaves the node to the reference fallback. Also the oneDNN attribute pieces every int8 kernel
// shares (output scales, runtime zero points) and the "_I8" exec type convention.
#pragma once

#include <dnnl.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpu/kernel_factory.h"
#include "graph/graph.h"

namespace octet::cpu {

bool is_8bit(ElementType type);

// The values of the constant f32 scale at node input `index` (rank 0 or 1), or nullopt (with why_not) when
// it is absent, not constant, or not positive and finite.
std::optional<std::vector<float>> constant_scales(const Node& node, size_t index, std::string& why_not);

// The values of the optional constant zero point at node input `index` as int32 ({0} when absent), or nullopt
// (with why_not) when it is a runtime tensor.
std::optional<std::vector<int32_t>> constant_zero_points(const Node& node, size_t index,
                                                         std::string& why_not);

// Weights as s8 with the zero point subtracted: w[i] - w_zero[channel(i)] where channel(i) = (i / inner) %
// channels and w_zero has 1 or `channels` entries; nullopt when a difference leaves [-128, 127] (u8 weights
// with a zero point far from 128, say).
std::optional<std::vector<int8_t>> weights_minus_zero_point(const Tensor& w,
                                                            const std::vector<int32_t>& w_zero,
                                                            int64_t channels, int64_t inner);

// Adds runtime zero points for `arg` (DNNL_ARG_SRC / DNNL_ARG_DST) to `attr` and the constant s32 memory
// holding `value` to `constants`, unless the zero point is 0 (oneDNN's default).
void add_zero_point(dnnl::primitive_attr& attr, std::unordered_map<int, dnnl::memory>& constants, int arg,
                    int32_t value, const dnnl::engine& engine);

// `md` with another element type (same dims, blocking and strides in elements).
dnnl::memory::desc with_element_type(const dnnl::memory::desc& md, ElementType type);

// True when oneDNN picked one of its reference implementations ("ref:any", "ref_int8:any"...): correct but
// slower than our own reference path is not worth a reorder, and the int8 kernels reject it.
bool is_onednn_reference(const dnnl::primitive_desc_base& pd);

}  // namespace octet::cpu
