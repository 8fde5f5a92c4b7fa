#include "kernels/generic/gather_kernel.h"

#include <cstring>
#include <utility>
#include <vector>

#include "octet/error.h"

namespace octet::cpu {
namespace {

constexpr size_t kData = 0, kIndices = 1;

// Where one of the node's inputs comes from: runtime input `runtime` of the bound kernel, or else a constant,
// copied into the kernel (which must not depend on the graph it was compiled from staying alive).
struct GatherSource {
  int runtime = -1;
  std::vector<std::byte> constant;
  const void* pick(std::span<void* const> inputs) const {
    return runtime >= 0 ? inputs[static_cast<size_t>(runtime)] : constant.data();
  }
};

class GatherKernel : public Kernel {
 public:
  GatherKernel(std::string label, ElementType type, ElementType index_type, int64_t outer, int64_t dim,
               int64_t inner, int64_t index_count, GatherSource data, GatherSource indices)
      : label_(std::move(label)),
        type_(type),
        index_type_(index_type),
        outer_(outer),
        dim_(dim),
        slice_bytes_(static_cast<size_t>(inner) * size_of(type)),
        index_count_(index_count),
        data_(std::move(data)),
        indices_(std::move(indices)) {}

  std::string exec_type() const override { return "simple_" + precision_name(type_); }

  std::unique_ptr<BoundKernel> bind(std::span<void* const> inputs, std::span<void* const> outputs,
                                    BindContext&) const override {
    struct Bound : BoundKernel {
      const GatherKernel& kernel;
      const std::byte* data;
      const void* indices;
      std::byte* out;
      std::vector<int64_t> rows;  // per index, its checked position along the axis
      Bound(const GatherKernel& k, const void* d, const void* i, void* o)
          : kernel(k),
            data(static_cast<const std::byte*>(d)),
            indices(i),
            out(static_cast<std::byte*>(o)),
            rows(static_cast<size_t>(k.index_count_)) {}
      void execute() override { kernel.run(data, indices, out, rows); }
    };
    return std::make_unique<Bound>(*this, data_.pick(inputs), indices_.pick(inputs), outputs[0]);
  }

 private:
  int64_t index_at(const void* indices, int64_t j) const {
    return index_type_ == ElementType::kI64 ? static_cast<const int64_t*>(indices)[j]
                                            : int64_t{static_cast<const int32_t*>(indices)[j]};
  }

  void run(const std::byte* data, const void* indices, std::byte* out, std::vector<int64_t>& rows) const {
    // Every index is checked before the first copy (and outside the parallel loop, which must not throw).
    for (int64_t j = 0; j < index_count_; ++j) {
      const int64_t index = index_at(indices, j);
      OCTET_CHECK(index >= -dim_ && index < dim_, ErrorCode::kInvalidArgument, label_, ": index ", index,
                  " is out of range for an axis of length ", dim_);
      rows[static_cast<size_t>(j)] = index < 0 ? index + dim_ : index;
    }
    const int64_t slices = outer_ * index_count_;
    // Large gathers split across the request's threads; an embedding lookup of a few hundred rows does not.
#pragma omp parallel for schedule(static) if (static_cast <size_t>(slices) * slice_bytes_ > (size_t{1} << 18))
    for (int64_t s = 0; s < slices; ++s) {
      const int64_t o = s / index_count_, j = s % index_count_;
      const int64_t source = o * dim_ + rows[static_cast<size_t>(j)];
      std::memcpy(out + static_cast<size_t>(s) * slice_bytes_,
                  data + static_cast<size_t>(source) * slice_bytes_, slice_bytes_);
    }
  }

  std::string label_;
  ElementType type_, index_type_;
  int64_t outer_, dim_;
  size_t slice_bytes_;
  int64_t index_count_;
  GatherSource data_, indices_;
};

}  // namespace

std::optional<KernelChoice> create_gather_kernel(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  if (!request.post_ops.empty() || request.outputs.size() != 1) {
    why_not = "needs one output and no post-ops";
    return std::nullopt;
  }
  KernelChoice choice;
  GatherSource sources[2];
  Dims dims[2];
  ElementType types[2] = {};
  for (size_t k = 0; k < request.inputs.size(); ++k) {
    const size_t input = request.input_indices[k];
    if (input != kData && input != kIndices) {
      why_not = "unexpected runtime input";
      return std::nullopt;
    }
    sources[input].runtime = static_cast<int>(k);
    dims[input] = request.inputs[k].dims;
    types[input] = request.inputs[k].type;
    choice.inputs.push_back(BufferDesc::plain(request.inputs[k].type, request.inputs[k].dims));
  }
  for (size_t input : {kData, kIndices}) {
    if (sources[input].runtime >= 0) continue;
    const Value* value = node.input(input);
    if (!value || !value->is_constant()) {
      why_not = "an input is neither a runtime buffer nor a constant";
      return std::nullopt;
    }
    const auto* bytes = static_cast<const std::byte*>(value->constant().raw_data());
    sources[input].constant.assign(bytes, bytes + value->constant().byte_size());
    dims[input] = value->constant().dims();
    types[input] = value->constant().type();
  }
  if (types[kIndices] != ElementType::kI32 && types[kIndices] != ElementType::kI64) {
    why_not = "indices must be i32 or i64";
    return std::nullopt;
  }
  const Dims& data_dims = dims[kData];
  const int64_t rank = static_cast<int64_t>(data_dims.size());
  int64_t axis = node.attribute_or<int64_t>("axis", 0);
  if (rank < 1 || axis < -rank || axis >= rank) {
    why_not = "data of rank 0 or an axis out of range";
    return std::nullopt;
  }
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t a = 0; a < axis; ++a) outer *= data_dims[static_cast<size_t>(a)];
  for (int64_t a = axis + 1; a < rank; ++a) inner *= data_dims[static_cast<size_t>(a)];
  Dims out_dims(data_dims.begin(), data_dims.begin() + axis);
  out_dims.insert(out_dims.end(), dims[kIndices].begin(), dims[kIndices].end());
  out_dims.insert(out_dims.end(), data_dims.begin() + axis + 1, data_dims.end());
  if (out_dims != request.outputs[0].dims || types[kData] != request.outputs[0].type) {
    why_not = "the output differs from the inferred one";
    return std::nullopt;
  }
  choice.outputs.push_back(BufferDesc::plain(request.outputs[0].type, request.outputs[0].dims));
  choice.kernel = std::make_shared<GatherKernel>(
      node.label(), types[kData], types[kIndices], outer, data_dims[static_cast<size_t>(axis)], inner,
      element_count(dims[kIndices]), std::move(sources[kData]), std::move(sources[kIndices]));
  return choice;
}

}  // namespace octet::cpu
