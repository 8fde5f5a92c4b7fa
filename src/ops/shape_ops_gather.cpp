// Gather (whole slices along an axis) and GatherElements (single elements along an axis), with negative
// indices counting from the back. An index out of range is an error in the data, so it is kInvalidArgument at
// evaluation.
#include <string>

#include "ops/shape_ops_common.h"

namespace octet {
namespace {

// Maps index (in [-dim, dim-1]) into [0, dim).
int64_t checked_index(const Node& node, int64_t index, int64_t dim) {
  OCTET_CHECK(index >= -dim && index < dim, ErrorCode::kInvalidArgument, node.label(), ": index ", index,
              " is out of range for an axis of length ", dim);
  return index < 0 ? index + dim : index;
}

size_t gather_axis(const Node& node, size_t rank) {
  return static_cast<size_t>(
      normalize_axis(node, node.attribute_or<int64_t>("axis", 0), static_cast<int64_t>(rank)));
}

void register_gather(OpRegistry& registry) {
  OpDefinition def;
  def.type = "Gather";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 1, {ElementType::kI32, ElementType::kI64});
    const Shape& data = input_shape(node, 0);
    const Shape& indices = input_shape(node, 1);
    Shape out;
    if (data.rank_known() && indices.rank_known()) {
      OCTET_CHECK(data.rank() >= 1, ErrorCode::kInvalidModel, node.label(), ": data must have rank >= 1");
      const size_t axis = gather_axis(node, data.rank());
      // data.dims[:axis] + indices.dims + data.dims[axis+1:]
      Dims dims(data.dims().begin(), data.dims().begin() + static_cast<std::ptrdiff_t>(axis));
      dims.insert(dims.end(), indices.dims().begin(), indices.dims().end());
      dims.insert(dims.end(), data.dims().begin() + static_cast<std::ptrdiff_t>(axis) + 1, data.dims().end());
      out = dims;
    }
    set_output(node, 0, input_type(node, 0), out);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& data = *inputs[0];
    const Tensor& indices = *inputs[1];
    OCTET_CHECK(data.rank() >= 1, ErrorCode::kInvalidArgument, node.label(), ": data must have rank >= 1");
    const size_t axis = gather_axis(node, data.rank());
    const std::vector<int64_t> index_values = int_values(node, indices, "indices");
    const int64_t dim = data.dims()[axis];
    const int64_t outer =
        element_count(Dims(data.dims().begin(), data.dims().begin() + static_cast<std::ptrdiff_t>(axis)));
    const int64_t inner =
        element_count(Dims(data.dims().begin() + static_cast<std::ptrdiff_t>(axis) + 1, data.dims().end()));
    Dims out_dims(data.dims().begin(), data.dims().begin() + static_cast<std::ptrdiff_t>(axis));
    out_dims.insert(out_dims.end(), indices.dims().begin(), indices.dims().end());
    out_dims.insert(out_dims.end(), data.dims().begin() + static_cast<std::ptrdiff_t>(axis) + 1,
                    data.dims().end());
    // out[o, j, i] = data[o, indices[j], i] with o over the outer axes and i over the inner ones.
    std::vector<int64_t> source;
    source.reserve(static_cast<size_t>(element_count(out_dims)));
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t index : index_values) {
        const int64_t k = checked_index(node, index, dim);
        for (int64_t i = 0; i < inner; ++i) source.push_back((o * dim + k) * inner + i);
      }
    }
    // Indices are checked even when the output is empty, so that a bad model fails the same way at any size.
    for (int64_t index : index_values) checked_index(node, index, dim);
    return std::vector<Tensor>{copy_elements(data, out_dims, source)};
  };
  registry.add(std::move(def));
}

void register_gather_elements(OpRegistry& registry) {
  OpDefinition def;
  def.type = "GatherElements";
  def.min_inputs = def.max_inputs = 2;
  def.infer = [](Node& node) {
    expect_input_type(node, 1, {ElementType::kI32, ElementType::kI64});
    const Shape& data = input_shape(node, 0);
    const Shape& indices = input_shape(node, 1);
    if (data.rank_known() && indices.rank_known()) {
      OCTET_CHECK(data.rank() == indices.rank() && data.rank() >= 1, ErrorCode::kInvalidModel, node.label(),
                  ": data ", data.to_string(), " and indices ", indices.to_string(),
                  " must have the same rank >= 1");
      gather_axis(node, data.rank());
    }
    set_output(node, 0, input_type(node, 0), indices);
  };
  def.evaluate = [](const Node& node, const std::vector<const Tensor*>& inputs) {
    const Tensor& data = *inputs[0];
    const Tensor& indices = *inputs[1];
    OCTET_CHECK(data.rank() == indices.rank() && data.rank() >= 1, ErrorCode::kInvalidArgument, node.label(),
                ": data ", data.description(), " and indices ", indices.description(),
                " must have the same rank >= 1");
    const size_t axis = gather_axis(node, data.rank());
    for (size_t d = 0; d < data.rank(); ++d)
      OCTET_CHECK(d == axis || indices.dims()[d] <= data.dims()[d], ErrorCode::kInvalidArgument, node.label(),
                  ": indices ", indices.description(), " are larger than data ", data.description(),
                  " outside axis ", axis);
    const std::vector<int64_t> index_values = int_values(node, indices, "indices");
    const Dims data_strides = strides_of(data.dims());
    std::vector<int64_t> source;
    size_t flat = 0;
    // out[c] = data[c with c[axis] replaced by indices[c]]
    for_each_coordinate(indices.dims(), [&](const Dims& c) {
      Dims at = c;
      at[axis] = checked_index(node, index_values[flat++], data.dims()[axis]);
      source.push_back(flat_offset(at, data_strides));
    });
    return std::vector<Tensor>{copy_elements(data, indices.dims(), source)};
  };
  registry.add(std::move(def));
}

}  // namespace

void register_gather_ops(OpRegistry& registry) {
  register_gather(registry);
  register_gather_elements(registry);
}

}  // namespace octet
