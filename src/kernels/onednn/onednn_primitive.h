// Shared plumbing of the kernels that wrap one oneDNN primitive: the exec type from the implementation oneDNN
// picked, and the bound form that executes the primitive with argument memories made once per request.
#pragma once

#include <dnnl.hpp>
#include <string>
#include <unordered_map>
#include <utility>

#include "cpu/kernel.h"
#include "octet/element_type.h"

namespace octet::cpu {

// "jit_avx2_FP32" from oneDNN's "jit:avx2", "gemm_jit_FP32" from "gemm:jit", "ref_any_FP32" from "ref:any".
std::string onednn_exec_type(const dnnl::primitive_desc_base& pd, ElementType precision);

// Executes `primitive` with fixed arguments on the request's stream; the scratchpad (if any) is the
// request's.
class BoundPrimitive : public BoundKernel {
 public:
  BoundPrimitive(const dnnl::primitive& primitive, dnnl::stream& stream,
                 std::unordered_map<int, dnnl::memory> args)
      : primitive_(primitive), stream_(stream), args_(std::move(args)) {}
  void execute() override { primitive_.execute(stream_, args_); }

 private:
  const dnnl::primitive& primitive_;
  dnnl::stream& stream_;
  std::unordered_map<int, dnnl::memory> args_;
};

// The request's scratchpad as a oneDNN memory for a primitive whose scratchpad_desc() is `desc`.
dnnl::memory scratchpad_memory(const dnnl::memory::desc& desc, const BindContext& context);

}  // namespace octet::cpu
