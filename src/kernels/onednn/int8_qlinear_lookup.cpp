#include "kernels/onednn/int8_qlinear_lookup.h"

#include <array>
#include <cstring>

#include "kernels/onednn/int8_loop_kernel.h"
#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {
namespace {

constexpr size_t kX = 0, kTable = 1;

class QLinearLookupKernel : public Int8LoopKernel {
 public:
  QLinearLookupKernel(const std::array<uint8_t, 256>& table, int64_t count)
      : Int8LoopKernel("lookup_I8"), table_(table), count_(count) {}

  void run(std::span<const void* const> inputs, std::span<void* const> outputs) const override {
    const auto* x = static_cast<const uint8_t*>(inputs[0]);
    auto* y = static_cast<uint8_t*>(outputs[0]);
#pragma omp parallel for schedule(static) if (count_ > (1 << 16))
    for (int64_t i = 0; i < count_; ++i) y[i] = table_[x[i]];
  }

 private:
  std::array<uint8_t, 256> table_;
  int64_t count_;
};

}  // namespace

std::optional<KernelChoice> create_int8_qlinear_lookup(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != kX || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty() || !node.has_input(kTable) || !node.input(kTable)->is_constant()) {
    why_not = "needs one runtime u8/i8 input, a constant table and no post-ops";
    return std::nullopt;
  }
  const Tensor& table = node.input(kTable)->constant();
  if (table.element_count() != 256 || !is_8bit(table.type())) {
    why_not = "the table must hold 256 u8/i8 entries";
    return std::nullopt;
  }
  std::array<uint8_t, 256> entries{};
  std::memcpy(entries.data(), table.raw_data(), entries.size());
  // Elementwise: the output is laid out like the input, whatever the layout (the lanes of a padded blocked
  // layout are mapped too; nobody reads them).
  // Between u8 and i8 the descriptors differ in type: both plain then.
  const BufferDesc& x = request.inputs[0];
  const ElementType out_type = request.outputs[0].type;
  KernelChoice choice;
  if (out_type == x.type) {
    choice.inputs = {x};
    choice.outputs = {x};
  } else {
    choice.inputs = {BufferDesc::plain(x.type, x.dims)};
    choice.outputs = {BufferDesc::plain(out_type, x.dims)};
  }
  choice.kernel =
      std::make_shared<QLinearLookupKernel>(entries, static_cast<int64_t>(choice.inputs[0].byte_size()));
  return choice;
}

}  // namespace octet::cpu
