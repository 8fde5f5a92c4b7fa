// A Kernel around one oneDNN primitive whose arguments are fixed at compile time: each runtime input and
// output is one argument id with the layout the kernel chose, and constant operands (a binary's second input,
// batch-norm statistics) are oneDNN memories made once and shared read-only by every request. The kernels of
// the memory-bound ops (eltwise, binary, concat, softmax, resampling, LRN, batch norm, transpose) differ only
// in how they build the primitive, so they share this class.
#pragma once

#include <dnnl.hpp>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpu/buffer_desc.h"
#include "cpu/kernel.h"
#include "cpu/kernel_factory.h"

namespace octet::cpu {

struct PrimitiveArgument {
  int id = 0;  // DNNL_ARG_SRC, DNNL_ARG_MULTIPLE_SRC + i, ...
  dnnl::memory::desc
      desc;  // the layout the primitive reads or writes (dims may be a reshape of the buffer's)
};

struct PrimitiveArguments {
  std::vector<PrimitiveArgument> inputs;   // one per runtime input, in KernelRequest order
  std::vector<PrimitiveArgument> outputs;  // one per output
  std::unordered_map<int, dnnl::memory> constants;
};

class PrimitiveKernel : public Kernel {
 public:
  PrimitiveKernel(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
                  PrimitiveArguments arguments, std::string exec_type);

  std::string exec_type() const override { return exec_type_; }
  size_t scratchpad_bytes() const override { return scratchpad_.get_size(); }
  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext& context) const override;

 private:
  dnnl::primitive primitive_;
  PrimitiveArguments arguments_;
  dnnl::memory::desc scratchpad_;
  std::string exec_type_;
};

// The choice of a kernel whose runtime inputs and outputs are f32 buffers in exactly the layouts of
// `arguments` (dims included); the exec type comes from the implementation oneDNN picked.
KernelChoice make_primitive_choice(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
                                   PrimitiveArguments arguments, int in_place_input = -1);

// make(desc) for the input's own layout, then for plain layout if oneDNN refuses the first (a layout-agnostic
// op should not cost a reorder, but not every oneDNN implementation takes every layout).
template <typename PrimitiveDesc, typename Make>
std::optional<PrimitiveDesc> in_own_layout_or_plain(const BufferDesc& input, Make make,
                                                    std::string& why_not) {
  for (const bool plain : {false, true}) {
    if (plain && input.is_plain()) break;
    try {
      return make(plain ? BufferDesc::plain(input.type, input.dims).md : input.md);
    } catch (const dnnl::error& e) {
      why_not = std::string("oneDNN: ") + e.what();
    }
  }
  return std::nullopt;
}

// A copy of `value` (row-major, `dims` elements of f32) in layout `desc`, made once at compile time.
dnnl::memory constant_memory(const void* value, const dnnl::memory::dims& dims,
                             const dnnl::memory::desc& desc, const dnnl::engine& engine);

// True when the request has no post-ops (only fusion heads get them), every runtime input is f32 with a
// oneDNN descriptor (no empty or rank-0 tensors) and every output is non-empty f32; otherwise says why not.
bool is_simple_f32_request(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
