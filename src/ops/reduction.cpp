// Reductions: Reduce{Mean,Max,Min,Sum,Prod,L1,L2,SumSquare,LogSum,LogSumExp} (opset 18: axes as optional
// input 1, keepdims, noop_with_empty_axes), ArgMax / ArgMin and TopK. Floats accumulate in double; integers
// accumulate in int64 (wrapping like the narrower type would) and results that need real math (L2, LogSum*)
// are truncated.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>

#include "ops/op_families.h"
#include "ops/op_helpers.h"
#include "ops/op_registry.h"

namespace octet {
namespace {

enum class ReduceKind { kMean, kMax, kMin, kSum, kProd, kL1, kL2, kSumSquare, kLogSum, kLogSumExp };

// Numeric types an op accepts: f32 and i32/i64 everywhere, i8/u8 only where order is all that matters.
void expect_numeric_input(const Node& node, size_t index, bool allow_8bit) {
  const ElementType type = input_type(node, index);
  OCTET_CHECK(type != ElementType::kF16, ErrorCode::kUnsupported, node.label(), ": input ", index,
              " of type f16 is not supported");
  if (allow_8bit) {
    expect_input_type(
        node, index,
        {ElementType::kF32, ElementType::kI32, ElementType::kI64, ElementType::kI8, ElementType::kU8});
  } else {
    expect_input_type(node, index, {ElementType::kF32, ElementType::kI32, ElementType::kI64});
  }
}

// Which axes a Reduce* node reduces: `noop` (the output is the input) or a mask over the input's axes.
struct ReducedAxes {
  bool noop = false;
  std::vector<bool> mask;
};

ReducedAxes resolve_reduced_axes(const Node& node, const std::vector<int64_t>& axes, int64_t rank) {
  ReducedAxes r;
  if (axes.empty()) {
    r.noop = node.attribute_or<int64_t>("noop_with_empty_axes", 0) != 0;
    r.mask.assign(static_cast<size_t>(rank), !r.noop);
    return r;
  }
  r.mask.assign(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    const auto axis = static_cast<size_t>(normalize_axis(node, a, rank));
    OCTET_CHECK(!r.mask[axis], ErrorCode::kInvalidModel, node.label(), ": axis ", a, " is repeated in axes");
    r.mask[axis] = true;
  }
  return r;
}

// The output dims: reduced axes become 1 (keepdims) or disappear. Works on dynamic dims too.
Dims reduced_dims(const Dims& dims, const std::vector<bool>& mask, bool keepdims) {
  Dims out;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (!mask[d]) {
      out.push_back(dims[d]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  return out;
}

void infer_reduce(Node& node, ReduceKind kind) {
  expect_numeric_input(node, 0, kind == ReduceKind::kMax || kind == ReduceKind::kMin);
  const ElementType type = input_type(node, 0);
  const Shape& x = input_shape(node, 0);
  const bool keepdims = node.attribute_or<int64_t>("keepdims", 1) != 0;
  if (node.has_input(1)) expect_input_type(node, 1, {ElementType::kI64});
  const Tensor* axes = constant_input(node, 1);
  if (!x.rank_known()) return set_output(node, 0, type, Shape::unknown());
  const auto rank = static_cast<int64_t>(x.rank());
  if (!node.has_input(1) || axes) {
    const ReducedAxes r =
        resolve_reduced_axes(node, axes ? axes->to_int64_vector() : std::vector<int64_t>{}, rank);
    return set_output(node, 0, type, r.noop ? x : Shape(reduced_dims(x.dims(), r.mask, keepdims)));
  }
  // Axes known only at run time: the rank is known if dims are kept, or if the number of axes is.
  const Shape& axes_shape = input_shape(node, 1);
  if (keepdims) return set_output(node, 0, type, Shape::dynamic(x.rank()));
  if (axes_shape.rank_known() && axes_shape.rank() == 1 && axes_shape[0] > 0 && axes_shape[0] <= rank)
    return set_output(node, 0, type, Shape::dynamic(static_cast<size_t>(rank - axes_shape[0])));
  set_output(node, 0, type, Shape::unknown());
}

// Converts a real result back to the element type: integers truncate toward zero and saturate.
template <typename T>
T from_double(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (std::isnan(v)) return T{0};
    const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
    const double hi = static_cast<double>(std::numeric_limits<T>::max());
    return static_cast<T>(std::clamp(std::trunc(v), lo, hi));
  }
}

template <typename T>
Tensor reduce(ReduceKind kind, const Tensor& x, const Dims& keep_dims) {
  using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
  const std::vector<int64_t> out_of = broadcast_index_map(x.dims(), keep_dims);  // input element -> output
  const auto outputs = static_cast<size_t>(element_count(keep_dims));
  const int64_t count = outputs == 0 ? 0 : x.element_count() / static_cast<int64_t>(outputs);
  const T* src = x.data<T>();
  Tensor y(x.type(), keep_dims);
  T* dst = y.data<T>();

  if (kind == ReduceKind::kLogSumExp) {  // log(sum(exp(v - max))) + max, finite for large inputs
    std::vector<double> max(outputs, -std::numeric_limits<double>::infinity()), sum(outputs, 0.0);
    for (size_t i = 0; i < out_of.size(); ++i) {
      const auto o = static_cast<size_t>(out_of[i]);
      max[o] = std::max(max[o], static_cast<double>(src[i]));
    }
    for (size_t i = 0; i < out_of.size(); ++i) {
      const auto o = static_cast<size_t>(out_of[i]);
      sum[o] += std::exp(static_cast<double>(src[i]) - max[o]);
    }
    for (size_t o = 0; o < outputs; ++o)
      dst[o] =
          from_double<T>(count == 0 ? -std::numeric_limits<double>::infinity() : std::log(sum[o]) + max[o]);
    return y;
  }

  // Max / Min of an empty set give the identity of the comparison: -inf / +inf, or the type's limits.
  Acc init = 0;
  if (kind == ReduceKind::kProd) init = 1;
  if (kind == ReduceKind::kMax)
    init = std::is_floating_point_v<T> ? -std::numeric_limits<Acc>::infinity()
                                       : static_cast<Acc>(std::numeric_limits<T>::lowest());
  if (kind == ReduceKind::kMin)
    init = std::is_floating_point_v<T> ? std::numeric_limits<Acc>::infinity()
                                       : static_cast<Acc>(std::numeric_limits<T>::max());
  // Integer sums and products wrap (in unsigned arithmetic, where wrapping is defined) like the narrow type
  // would.
  auto add = [](Acc a, Acc b) -> Acc {
    if constexpr (std::is_floating_point_v<Acc>)
      return a + b;
    else
      return static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  };
  auto mul = [](Acc a, Acc b) -> Acc {
    if constexpr (std::is_floating_point_v<Acc>)
      return a * b;
    else
      return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  };
  std::vector<Acc> acc(outputs, init);
  for (size_t i = 0; i < out_of.size(); ++i) {
    Acc& a = acc[static_cast<size_t>(out_of[i])];
    const Acc v = static_cast<Acc>(src[i]);
    switch (kind) {
      case ReduceKind::kMean:
      case ReduceKind::kSum:
      case ReduceKind::kLogSum:
        a = add(a, v);
        break;
      case ReduceKind::kProd:
        a = mul(a, v);
        break;
      case ReduceKind::kMax:
        a = std::max(a, v);
        break;
      case ReduceKind::kMin:
        a = std::min(a, v);
        break;
      case ReduceKind::kL1:
        a = add(a, v < 0 ? mul(v, -1) : v);
        break;
      case ReduceKind::kL2:
      case ReduceKind::kSumSquare:
        a = add(a, mul(v, v));
        break;
      case ReduceKind::kLogSumExp:
        break;  // handled above
    }
  }
  for (size_t o = 0; o < outputs; ++o) {
    const Acc a = acc[o];
    switch (kind) {
      case ReduceKind::kMean:
        if constexpr (std::is_floating_point_v<T>) {
          dst[o] = static_cast<T>(a / static_cast<double>(count));
        } else {
          dst[o] =
              count == 0 ? T{0} : static_cast<T>(a / count);  // integer mean truncates, as numpy's astype
        }
        break;
      case ReduceKind::kL2:
        dst[o] = from_double<T>(std::sqrt(static_cast<double>(a)));
        break;
      case ReduceKind::kLogSum:
        dst[o] = from_double<T>(std::log(static_cast<double>(a)));
        break;
      default:
        dst[o] = static_cast<T>(a);
        break;
    }
  }
  return y;
}

std::vector<Tensor> evaluate_reduce(const Node& node, const std::vector<const Tensor*>& in, ReduceKind kind) {
  const Tensor& x = *in[0];
  const std::vector<int64_t> axes =
      in.size() > 1 && in[1] ? in[1]->to_int64_vector() : std::vector<int64_t>{};
  const ReducedAxes r = resolve_reduced_axes(node, axes, static_cast<int64_t>(x.rank()));
  if (r.noop) return {x.clone()};
  const Tensor y = dispatch_numeric(node, x.type(), [&](auto zero) {
    return reduce<decltype(zero)>(kind, x, reduced_dims(x.dims(), r.mask, true));
  });
  const bool keepdims = node.attribute_or<int64_t>("keepdims", 1) != 0;
  return {keepdims ? y : y.reshaped(reduced_dims(x.dims(), r.mask, false))};
}

void add_reduce(OpRegistry& registry, const std::string& type, ReduceKind kind) {
  registry.add({type, 1, 2, 1, 1, [kind](Node& node) { infer_reduce(node, kind); },
                [kind](const Node& node, const std::vector<const Tensor*>& in) {
                  return evaluate_reduce(node, in, kind);
                }});
}

// --- ArgMax / ArgMin ---

void infer_arg(Node& node) {
  expect_numeric_input(node, 0, true);
  const Shape& x = input_shape(node, 0);
  if (!x.rank_known()) return set_output(node, 0, ElementType::kI64, Shape::unknown());
  const auto rank = static_cast<int64_t>(x.rank());
  const auto axis = static_cast<size_t>(normalize_axis(node, node.attribute_or<int64_t>("axis", 0), rank));
  std::vector<bool> mask(x.rank(), false);
  mask[axis] = true;
  set_output(node, 0, ElementType::kI64,
             Shape(reduced_dims(x.dims(), mask, node.attribute_or<int64_t>("keepdims", 1) != 0)));
}

template <typename T>
Tensor arg_extreme(const Tensor& x, size_t axis, bool find_max, bool last, const Dims& out_dims) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= x.dims()[d];
  for (size_t d = axis + 1; d < x.rank(); ++d) inner *= x.dims()[d];
  const int64_t n = x.dims()[axis];
  const T* src = x.data<T>();
  Tensor y(ElementType::kI64, out_dims);
  int64_t* dst = y.data<int64_t>();
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t best = 0;
      for (int64_t a = 1; a < n; ++a) {
        const T v = src[(o * n + a) * inner + i];
        const T b = src[(o * n + best) * inner + i];
        // Strictly better moves to a; an equal value moves only when the last index is wanted.
        const bool better = find_max ? v > b : v < b;
        if (better || (last && v == b)) best = a;
      }
      dst[o * inner + i] = best;
    }
  }
  return y;
}

std::vector<Tensor> evaluate_arg(const Node& node, const std::vector<const Tensor*>& in, bool find_max) {
  const Tensor& x = *in[0];
  const auto axis = static_cast<size_t>(
      normalize_axis(node, node.attribute_or<int64_t>("axis", 0), static_cast<int64_t>(x.rank())));
  OCTET_CHECK(x.rank() > 0 && x.dims()[axis] > 0, ErrorCode::kInvalidArgument, node.label(),
              ": cannot take the arg ", find_max ? "max" : "min", " of an empty axis in ", x.description());
  std::vector<bool> mask(x.rank(), false);
  mask[axis] = true;
  const Dims out_dims = reduced_dims(x.dims(), mask, node.attribute_or<int64_t>("keepdims", 1) != 0);
  const bool last = node.attribute_or<int64_t>("select_last_index", 0) != 0;
  return {dispatch_numeric(node, x.type(), [&](auto zero) {
    return arg_extreme<decltype(zero)>(x, axis, find_max, last, out_dims);
  })};
}

// --- TopK ---

void infer_topk(Node& node) {
  expect_numeric_input(node, 0, true);
  expect_input_type(node, 1, {ElementType::kI64});
  const Shape& x = input_shape(node, 0);
  const ElementType type = input_type(node, 0);
  if (!x.rank_known()) {
    set_output(node, 0, type, Shape::unknown());
    set_output(node, 1, ElementType::kI64, Shape::unknown());
    return;
  }
  const auto axis = static_cast<size_t>(
      normalize_axis(node, node.attribute_or<int64_t>("axis", -1), static_cast<int64_t>(x.rank())));
  Dims dims = x.dims();
  dims[axis] = kDynamicDim;
  if (const Tensor* k = constant_input(node, 1)) {
    OCTET_CHECK(k->element_count() == 1, ErrorCode::kInvalidModel, node.label(),
                ": K must have one element, got ", k->description());
    const int64_t kv = k->value_as_int64(0);
    OCTET_CHECK(kv >= 0 && (x[axis] == kDynamicDim || kv <= x[axis]), ErrorCode::kInvalidModel, node.label(),
                ": K=", kv, " is out of range for axis ", axis, " of ", x.to_string());
    dims[axis] = kv;
  }
  set_output(node, 0, type, Shape(dims));
  set_output(node, 1, ElementType::kI64, Shape(dims));
}

template <typename T>
std::vector<Tensor> topk(const Tensor& x, size_t axis, int64_t k, bool largest) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= x.dims()[d];
  for (size_t d = axis + 1; d < x.rank(); ++d) inner *= x.dims()[d];
  const int64_t n = x.dims()[axis];
  Dims out_dims = x.dims();
  out_dims[axis] = k;
  Tensor values(x.type(), out_dims), indices(ElementType::kI64, out_dims);
  const T* src = x.data<T>();
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto value = [&](int64_t a) { return src[(o * n + a) * inner + i]; };
      std::iota(order.begin(), order.end(), 0);
      // Stable sort: equal values keep ascending index order, as ONNX requires. `sorted=0` leaves the order
      // unspecified, so the sorted order is valid for it too.
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return largest ? value(a) > value(b) : value(a) < value(b);
      });
      for (int64_t j = 0; j < k; ++j) {
        const int64_t at = (o * k + j) * inner + i;
        values.data<T>()[at] = value(order[static_cast<size_t>(j)]);
        indices.data<int64_t>()[at] = order[static_cast<size_t>(j)];
      }
    }
  }
  return {values, indices};
}

std::vector<Tensor> evaluate_topk(const Node& node, const std::vector<const Tensor*>& in) {
  const Tensor& x = *in[0];
  OCTET_CHECK(x.rank() > 0, ErrorCode::kInvalidArgument, node.label(), ": input must not be a scalar");
  const auto axis = static_cast<size_t>(
      normalize_axis(node, node.attribute_or<int64_t>("axis", -1), static_cast<int64_t>(x.rank())));
  OCTET_CHECK(in[1]->element_count() == 1, ErrorCode::kInvalidArgument, node.label(),
              ": K must have one element, got ", in[1]->description());
  const int64_t k = in[1]->value_as_int64(0);
  OCTET_CHECK(k >= 0 && k <= x.dims()[axis], ErrorCode::kInvalidArgument, node.label(), ": K=", k,
              " is out of range for axis ", axis, " of ", x.description());
  const bool largest = node.attribute_or<int64_t>("largest", 1) != 0;
  std::vector<Tensor> out =
      dispatch_numeric(node, x.type(), [&](auto zero) { return topk<decltype(zero)>(x, axis, k, largest); });
  out.resize(node.output_count());
  return out;
}

}  // namespace

void register_reduction_ops(OpRegistry& registry) {
  add_reduce(registry, "ReduceMean", ReduceKind::kMean);
  add_reduce(registry, "ReduceMax", ReduceKind::kMax);
  add_reduce(registry, "ReduceMin", ReduceKind::kMin);
  add_reduce(registry, "ReduceSum", ReduceKind::kSum);
  add_reduce(registry, "ReduceProd", ReduceKind::kProd);
  add_reduce(registry, "ReduceL1", ReduceKind::kL1);
  add_reduce(registry, "ReduceL2", ReduceKind::kL2);
  add_reduce(registry, "ReduceSumSquare", ReduceKind::kSumSquare);
  add_reduce(registry, "ReduceLogSum", ReduceKind::kLogSum);
  add_reduce(registry, "ReduceLogSumExp", ReduceKind::kLogSumExp);
  registry.add({"ArgMax", 1, 1, 1, 1, infer_arg, [](const Node& node, const std::vector<const Tensor*>& in) {
                  return evaluate_arg(node, in, true);
                }});
  registry.add({"ArgMin", 1, 1, 1, 1, infer_arg, [](const Node& node, const std::vector<const Tensor*>& in) {
                  return evaluate_arg(node, in, false);
                }});
  registry.add({"TopK", 2, 2, 2, 2, infer_topk, evaluate_topk});
}

}  // namespace octet
