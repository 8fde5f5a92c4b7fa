#include "ops/op_helpers.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace octet {

void set_output(Node& node, size_t index, ElementType type, Shape shape) {
  OCTET_CHECK(index < node.output_count(), ErrorCode::kInvalidModel, node.label(), ": has no output ", index);
  node.output(index)->set_type(type);
  node.output(index)->set_shape(std::move(shape));
}

const Tensor* constant_input(const Node& node, size_t index) {
  const Value* v = node.input(index);
  return v && v->is_constant() ? &v->constant() : nullptr;
}

ElementType input_type(const Node& node, size_t index) {
  const Value* v = node.input(index);
  OCTET_CHECK(v, ErrorCode::kInvalidModel, node.label(), ": input ", index, " is missing");
  return v->type();
}

const Shape& input_shape(const Node& node, size_t index) {
  const Value* v = node.input(index);
  OCTET_CHECK(v, ErrorCode::kInvalidModel, node.label(), ": input ", index, " is missing");
  return v->shape();
}

void expect_input_type(const Node& node, size_t index, std::span<const ElementType> allowed) {
  const ElementType type = input_type(node, index);
  if (std::find(allowed.begin(), allowed.end(), type) != allowed.end()) return;
  std::string names;
  for (ElementType a : allowed) names += (names.empty() ? "" : ", ") + std::string(to_string(a));
  fail(ErrorCode::kInvalidModel, node.label(), ": input ", index, " ('", node.input(index)->name(),
       "') has type ", to_string(type), ", expected one of ", names);
}

Shape dynamic_shape_of_rank(const Node& node, int64_t rank) {
  OCTET_CHECK(rank >= 0 && rank <= kMaxRank, ErrorCode::kInvalidModel, node.label(), ": an output of rank ",
              rank, " (the length of its shape input) is past the ", kMaxRank, " dims a tensor may have");
  return Shape::dynamic(static_cast<size_t>(rank));
}

int64_t normalize_axis(const Node& node, int64_t axis, int64_t rank) {
  OCTET_CHECK(axis >= -rank && axis < rank, ErrorCode::kInvalidModel, node.label(), ": axis ", axis,
              " is out of range for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

Shape broadcast_shapes(const Node& node, const Shape& a, const Shape& b) {
  if (!a.rank_known() || !b.rank_known()) return Shape::unknown();
  const size_t rank = std::max(a.rank(), b.rank());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.rank() ? 1 : a[i - (rank - a.rank())];
    const int64_t db = i < rank - b.rank() ? 1 : b[i - (rank - b.rank())];
    if (da == 1) {
      out[i] = db;
    } else if (db == 1) {
      out[i] = da;
    } else if (da == kDynamicDim) {
      out[i] = db;
    } else if (db == kDynamicDim || da == db) {
      out[i] = da;
    } else {
      fail(ErrorCode::kInvalidModel, node.label(), ": shapes ", a.to_string(), " and ", b.to_string(),
           " cannot be broadcast");
    }
  }
  return Shape(out);
}

Dims broadcast_dims(const Node& node, const Dims& a, const Dims& b) {
  return broadcast_shapes(node, Shape(a), Shape(b)).dims();
}

Dims strides_of(const Dims& dims) {
  Dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

std::vector<int64_t> broadcast_index_map(const Dims& out_dims, const Dims& in_dims) {
  OCTET_ASSERT(in_dims.size() <= out_dims.size());
  const size_t rank = out_dims.size();
  const size_t offset = rank - in_dims.size();
  // Stride of each output axis in the input (0 where the input is broadcast along it).
  Dims in_strides_full(rank, 0);
  const Dims in_strides = strides_of(in_dims);
  for (size_t i = 0; i < in_dims.size(); ++i)
    in_strides_full[offset + i] = in_dims[i] == 1 ? 0 : in_strides[i];
  const int64_t count = element_count(out_dims);
  std::vector<int64_t> map(static_cast<size_t>(count));
  Dims index(rank, 0);
  int64_t in_flat = 0;
  for (int64_t flat = 0; flat < count; ++flat) {
    map[static_cast<size_t>(flat)] = in_flat;
    for (size_t axis = rank; axis-- > 0;) {  // odometer increment
      ++index[axis];
      in_flat += in_strides_full[axis];
      if (index[axis] < out_dims[axis]) break;
      in_flat -= in_strides_full[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return map;
}

namespace {

template <typename To>
To saturate_from_double(double v) {
  if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else {
    if (std::isnan(v)) return To{0};
    const double lo = static_cast<double>(std::numeric_limits<To>::lowest());
    const double hi = static_cast<double>(std::numeric_limits<To>::max());
    return static_cast<To>(std::clamp(std::trunc(v), lo, hi));
  }
}

}  // namespace

Tensor convert_tensor(const Tensor& tensor, ElementType type) {
  if (tensor.type() == type) return tensor;
  Tensor out(type, tensor.dims());
  const int64_t n = tensor.element_count();
  const bool integral_source = is_integral(tensor.type());
  for (int64_t i = 0; i < n; ++i) {
    switch (type) {
      case ElementType::kF32:
        out.data<float>()[i] = static_cast<float>(tensor.value_as_double(i));
        break;
      case ElementType::kF16:
        out.data<Float16>()[i] = Float16(static_cast<float>(tensor.value_as_double(i)));
        break;
      case ElementType::kBool:
        out.data<uint8_t>()[i] = tensor.value_as_double(i) != 0.0;
        break;
      case ElementType::kI64:
        out.data<int64_t>()[i] = integral_source ? tensor.value_as_int64(i)
                                                 : saturate_from_double<int64_t>(tensor.value_as_double(i));
        break;
      case ElementType::kI32:
        out.data<int32_t>()[i] = saturate_from_double<int32_t>(tensor.value_as_double(i));
        break;
      case ElementType::kI8:
        out.data<int8_t>()[i] = saturate_from_double<int8_t>(tensor.value_as_double(i));
        break;
      case ElementType::kU8:
        out.data<uint8_t>()[i] = saturate_from_double<uint8_t>(tensor.value_as_double(i));
        break;
      case ElementType::kUndefined:
        fail(ErrorCode::kInternal, "conversion to undefined type");
    }
  }
  return out;
}

}  // namespace octet
