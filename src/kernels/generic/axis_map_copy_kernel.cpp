#include "kernels/generic/axis_map_copy_kernel.h"

#include <cstring>
#include <utility>
#include <vector>

#include "ops/axis_index_maps.h"

namespace octet::cpu {
namespace {

// One run of the innermost axis: `count` consecutive output elements that read consecutive input elements
// starting at input index `source` (or the fill value when source is -1).
struct Run {
  int64_t first;  // output index along the innermost axis
  int64_t count;
  int64_t source;
};

// The innermost map cut into maximal runs, so that a Slice with step 1 or a Pad copies whole rows at once.
std::vector<Run> innermost_runs(const std::vector<int64_t>& map) {
  std::vector<Run> runs;
  for (size_t k = 0; k < map.size(); ++k) {
    const int64_t source = map[k];
    Run* last = runs.empty() ? nullptr : &runs.back();
    const bool continues =
        last && ((source < 0 && last->source < 0) ||
                 (source >= 0 && last->source >= 0 && source == last->source + last->count));
    if (continues) {
      ++last->count;
    } else {
      runs.push_back({static_cast<int64_t>(k), 1, source});
    }
  }
  return runs;
}

class AxisMapCopyKernel : public Kernel {
 public:
  AxisMapCopyKernel(AxisIndexMaps maps, const Dims& in_dims, ElementType type, std::vector<std::byte> fill)
      : out_dims_(std::move(maps.out_dims)),
        type_(type),
        element_bytes_(size_of(type)),
        fill_(std::move(fill)) {
    const size_t rank = out_dims_.size();
    // Outer axes: the input offset (in elements) each output index contributes, -1 for padding.
    std::vector<int64_t> in_strides(rank, 1);
    for (size_t a = rank; a-- > 1;) in_strides[a - 1] = in_strides[a] * in_dims[a];
    for (size_t a = 0; a + 1 < rank; ++a) {
      std::vector<int64_t> offsets;
      for (int64_t index : maps.source_index[a]) offsets.push_back(index < 0 ? -1 : index * in_strides[a]);
      outer_offsets_.push_back(std::move(offsets));
    }
    runs_ = rank == 0 ? std::vector<Run>{{0, 1, 0}} : innermost_runs(maps.source_index[rank - 1]);
    row_length_ = rank == 0 ? 1 : out_dims_[rank - 1];
  }

  std::string exec_type() const override { return "simple_" + precision_name(type_); }

  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext&) const override {
    struct Bound : BoundKernel {
      const AxisMapCopyKernel& kernel;
      const std::byte* from;
      std::byte* to;
      Bound(const AxisMapCopyKernel& k, const void* f, void* t)
          : kernel(k), from(static_cast<const std::byte*>(f)), to(static_cast<std::byte*>(t)) {}
      void execute() override { kernel.run(from, to); }
    };
    return std::make_unique<Bound>(*this, inputs[0], outputs[0]);
  }

 private:
  void run(const std::byte* from, std::byte* to) const {
    const size_t outer_rank = outer_offsets_.size();
    int64_t rows = 1;
    for (size_t a = 0; a < outer_rank; ++a) rows *= out_dims_[a];
    const size_t row_bytes = static_cast<size_t>(row_length_) * element_bytes_;
    // Rows are independent; large copies split across the request's threads.
#pragma omp parallel for schedule(static) if (rows * row_length_ > (1 << 16))
    for (int64_t row = 0; row < rows; ++row) {
      // The row's input offset: the sum of the outer axes' offsets, -1 if any of them is padding.
      int64_t offset = 0, rest = row;
      for (size_t a = outer_rank; a-- > 0;) {
        const int64_t index = rest % out_dims_[a];
        rest /= out_dims_[a];
        const int64_t part = outer_offsets_[a][static_cast<size_t>(index)];
        if (part < 0 || offset < 0) {
          offset = -1;
        } else {
          offset += part;
        }
      }
      std::byte* out_row = to + static_cast<size_t>(row) * row_bytes;
      for (const Run& run : runs_) {
        std::byte* out = out_row + static_cast<size_t>(run.first) * element_bytes_;
        if (offset >= 0 && run.source >= 0) {
          std::memcpy(out, from + static_cast<size_t>(offset + run.source) * element_bytes_,
                      static_cast<size_t>(run.count) * element_bytes_);
        } else {
          fill(out, run.count);
        }
      }
    }
  }

  void fill(std::byte* out, int64_t count) const {
    for (int64_t i = 0; i < count; ++i)
      std::memcpy(out + static_cast<size_t>(i) * element_bytes_, fill_.data(), element_bytes_);
  }

  Dims out_dims_;
  ElementType type_;
  size_t element_bytes_;
  std::vector<std::byte> fill_;                      // one element: Pad's constant_value, or zero
  std::vector<std::vector<int64_t>> outer_offsets_;  // per axis but the innermost
  std::vector<Run> runs_;                            // the innermost axis
  int64_t row_length_ = 1;
};

}  // namespace

std::optional<KernelChoice> create_axis_map_copy_kernel(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  if (!request.post_ops.empty()) {
    why_not = "post-ops are not supported";
    return std::nullopt;
  }
  if (request.inputs.size() != 1 || request.input_indices[0] != 0 || request.outputs.size() != 1) {
    why_not = "needs the data as the only runtime input (the other inputs must be constants)";
    return std::nullopt;
  }
  const BufferDesc& input = request.inputs[0];
  std::optional<AxisIndexMaps> maps;
  std::vector<std::byte> fill(size_of(input.type), std::byte{0});
  if (node.op_type() == "Slice") {
    maps = slice_index_maps(node, input.dims);
  } else if (node.op_type() == "Pad") {
    maps = pad_index_maps(node, input.dims);
    if (node.has_input(2)) {
      const Value* value = node.input(2);
      if (!value->is_constant() || value->constant().element_count() != 1) {
        why_not = "constant_value must be a constant scalar";
        return std::nullopt;
      }
      std::memcpy(fill.data(), value->constant().raw_data(), fill.size());
    }
  } else {
    why_not = "not a Slice or Pad";
    return std::nullopt;
  }
  if (!maps) {
    why_not = "the slice / pad parameters are not constants";
    return std::nullopt;
  }
  if (maps->out_dims != request.outputs[0].dims) {
    why_not = "the output dims differ from the inferred ones";
    return std::nullopt;
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::plain(input.type, input.dims));
  choice.outputs.push_back(BufferDesc::plain(request.outputs[0].type, request.outputs[0].dims));
  choice.kernel =
      std::make_shared<AxisMapCopyKernel>(std::move(*maps), input.dims, input.type, std::move(fill));
  return choice;
}

}  // namespace octet::cpu
