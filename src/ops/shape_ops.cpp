#include <algorithm>
#include <cstring>

#include "ops/op_families.h"
#include "ops/shape_ops_common.h"

namespace octet {

void register_shape_ops(OpRegistry& registry) {
  register_reshape_ops(registry);
  register_layout_ops(registry);
  register_slice_ops(registry);
  register_pad_op(registry);
  register_gather_ops(registry);
  register_shape_source_ops(registry);
}

std::vector<int64_t> int_values(const Node& node, const Tensor& tensor, std::string_view what) {
  OCTET_CHECK(tensor.type() == ElementType::kI64 || tensor.type() == ElementType::kI32,
              ErrorCode::kInvalidModel, node.label(), ": ", what, " must be an i32 or i64 tensor, got ",
              tensor.description());
  return tensor.to_int64_vector();
}

std::optional<std::vector<int64_t>> constant_int_values(const Node& node, size_t index,
                                                        std::string_view what) {
  const Tensor* tensor = constant_input(node, index);
  if (!tensor) return std::nullopt;
  return int_values(node, *tensor, what);
}

std::vector<int64_t> normalize_axes(const Node& node, const std::vector<int64_t>& axes, int64_t rank) {
  std::vector<int64_t> out;
  for (int64_t axis : axes) {
    OCTET_CHECK(axis >= -rank && axis < rank, ErrorCode::kInvalidModel, node.label(), ": axis ", axis,
                " is out of range for rank ", rank);
    const int64_t normalized = axis < 0 ? axis + rank : axis;
    OCTET_CHECK(std::find(out.begin(), out.end(), normalized) == out.end(), ErrorCode::kInvalidModel,
                node.label(), ": axis ", axis, " is repeated");
    out.push_back(normalized);
  }
  return out;
}

int64_t product_or_dynamic(const Dims& dims, size_t begin, size_t end) {
  int64_t product = 1;
  for (size_t i = begin; i < end; ++i) {
    if (dims[i] == kDynamicDim) return kDynamicDim;
    // Dims come from the model file: a product past int64 is a broken model, not an overflow.
    OCTET_CHECK(!__builtin_mul_overflow(product, dims[i], &product), ErrorCode::kInvalidModel, "shape ",
                to_string(dims), " has more elements than a 64-bit count holds");
  }
  return product;
}

Tensor copy_elements(const Tensor& input, const Dims& out_dims, const std::vector<int64_t>& source,
                     const std::byte* fill) {
  Tensor out(input.type(), out_dims);
  OCTET_ASSERT(static_cast<int64_t>(source.size()) == out.element_count());
  const size_t size = size_of(input.type());
  const auto* in = static_cast<const std::byte*>(input.raw_data());
  auto* dst = static_cast<std::byte*>(out.raw_data());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] >= 0) {
      OCTET_ASSERT(source[i] < input.element_count());
      std::memcpy(dst + i * size, in + source[i] * size, size);
    } else if (fill) {
      std::memcpy(dst + i * size, fill, size);
    }
  }
  return out;
}

}  // namespace octet
