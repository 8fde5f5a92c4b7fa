// StridedSlice -> Slice (+ Squeeze for shrink_axis_mask, + Unsqueeze for new_axis_mask); Gather; Split and
// VariadicSplit -> Split with explicit sizes.
#include <limits>

#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

bool bit(const std::vector<int64_t>& mask, size_t i) {
  return i < mask.size() && mask[i] != 0;
}

struct SlicePlan {
  std::vector<int64_t> starts, ends, axes, steps;  // over input axes
  std::vector<int64_t> squeeze_axes;               // input axes removed by shrink_axis_mask
  std::vector<int64_t> new_axes;                   // output positions inserted by new_axis_mask
};

// Walks the begin/end entries as OpenVINO (and TensorFlow) do: an ellipsis stands for the input axes no
// other entry names; new axes consume no input axis; shrunk axes take one element and disappear.
SlicePlan plan_strided_slice(const IrOpContext& c, int64_t rank, const std::vector<int64_t>& begin,
                             const std::vector<int64_t>& end, const std::vector<int64_t>& strides) {
  const std::vector<int64_t> begin_mask = c.attr_ints_or("begin_mask", {});
  const std::vector<int64_t> end_mask = c.attr_ints_or("end_mask", {});
  const std::vector<int64_t> new_axis_mask = c.attr_ints_or("new_axis_mask", {});
  const std::vector<int64_t> shrink_mask = c.attr_ints_or("shrink_axis_mask", {});
  const std::vector<int64_t> ellipsis_mask = c.attr_ints_or("ellipsis_mask", {});
  const size_t n = begin.size();
  if (end.size() != n || strides.size() != n) c.invalid("begin, end and strides differ in length");
  int64_t named_axes = 0;
  int ellipses = 0;
  for (size_t i = 0; i < n; ++i) {
    if (bit(ellipsis_mask, i)) {
      ++ellipses;
    } else if (!bit(new_axis_mask, i)) {
      ++named_axes;
    }
  }
  if (ellipses > 1) c.invalid("ellipsis_mask has more than one bit set");
  if (named_axes > rank) c.invalid("begin has more entries than the input has axes");

  SlicePlan plan;
  int64_t in_axis = 0;
  int64_t out_axis = 0;
  for (size_t i = 0; i < n; ++i) {
    if (bit(ellipsis_mask, i)) {
      const int64_t covered = rank - named_axes;
      in_axis += covered;
      out_axis += covered;
      continue;
    }
    if (bit(new_axis_mask, i)) {
      plan.new_axes.push_back(out_axis++);
      continue;
    }
    const int64_t step = strides[i];
    if (step == 0) c.invalid("a stride is 0");
    if (bit(shrink_mask, i)) {
      const int64_t b = begin[i];
      plan.starts.push_back(b);
      plan.ends.push_back(b == -1 ? kMax : b + 1);
      plan.steps.push_back(1);
      plan.axes.push_back(in_axis);
      plan.squeeze_axes.push_back(in_axis++);
      continue;
    }
    plan.starts.push_back(bit(begin_mask, i) ? (step > 0 ? 0 : kMax) : begin[i]);
    plan.ends.push_back(bit(end_mask, i) ? (step > 0 ? kMax : kMin) : end[i]);
    plan.steps.push_back(step);
    plan.axes.push_back(in_axis++);
    ++out_axis;
  }
  return plan;
}

std::vector<Value*> strided_slice(IrOpContext& c) {
  c.expect_inputs(3, 4);
  const std::vector<int64_t> begin = c.constant_ints(1);
  const std::vector<int64_t> end = c.constant_ints(2);
  const std::vector<int64_t> strides =
      c.input_count() == 4 ? c.constant_ints(3) : std::vector<int64_t>(begin.size(), 1);
  const SlicePlan plan = plan_strided_slice(c, c.input_rank(0), begin, end, strides);
  Value* out = c.input(0);
  if (!plan.axes.empty()) {
    out = c.add("Slice", {out, c.constant_i64(plan.starts), c.constant_i64(plan.ends),
                          c.constant_i64(plan.axes), c.constant_i64(plan.steps)});
  }
  if (!plan.squeeze_axes.empty()) out = c.add("Squeeze", {out, c.constant_i64(plan.squeeze_axes)});
  if (!plan.new_axes.empty()) out = c.add("Unsqueeze", {out, c.constant_i64(plan.new_axes)});
  if (out == c.input(0)) out = c.add("Identity", {out});
  return {out};
}

// Gather-1/7/8 with a constant scalar axis; batch_dims other than 0 has no ONNX Gather counterpart.
std::vector<Value*> gather(IrOpContext& c) {
  c.expect_inputs(3, 3);
  if (c.attr_int_or("batch_dims", 0) != 0) c.unsupported("batch_dims other than 0 is not supported");
  const std::vector<int64_t> axis = c.constant_ints(2);
  if (axis.size() != 1) c.invalid("axis must be a single value");
  return {c.add("Gather", {c.input(0), c.input(1)}, {{"axis", axis[0]}})};
}

int64_t split_axis(IrOpContext& c, size_t input) {
  const std::vector<int64_t> axis = c.constant_ints(input);
  if (axis.size() != 1) c.invalid("axis must be a single value");
  const int64_t rank = c.input_rank(0);
  const int64_t a = axis[0] < 0 ? axis[0] + rank : axis[0];
  if (a < 0 || a >= rank) c.invalid("axis is out of range");
  return a;
}

std::vector<Value*> split_with_sizes(IrOpContext& c, int64_t axis, const std::vector<int64_t>& sizes) {
  if (sizes.size() != c.output_count()) c.invalid("the number of parts differs from the number of outputs");
  return c.add_multi("Split", {c.input(0), c.constant_i64(sizes)}, sizes.size(), {{"axis", axis}});
}

std::vector<Value*> split(IrOpContext& c) {
  c.expect_inputs(2, 2);
  const int64_t axis = split_axis(c, 1);
  const int64_t parts = c.attr_int("num_splits");
  const int64_t dim = c.input_shape(0)[static_cast<size_t>(axis)];
  if (parts <= 0) c.invalid("num_splits must be positive");
  if (dim == kDynamicDim) c.unsupported("Split of a dynamic axis");
  if (dim % parts != 0) c.invalid("the axis does not divide into num_splits equal parts");
  return split_with_sizes(c, axis, std::vector<int64_t>(static_cast<size_t>(parts), dim / parts));
}

// split_lengths may hold one -1: the rest of the axis.
std::vector<Value*> variadic_split(IrOpContext& c) {
  c.expect_inputs(3, 3);
  const int64_t axis = split_axis(c, 1);
  std::vector<int64_t> lengths = c.constant_ints(2);
  const int64_t dim = c.input_shape(0)[static_cast<size_t>(axis)];
  int64_t known = 0;
  int64_t unknown = -1;
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] == -1) {
      if (unknown >= 0) c.invalid("split_lengths has more than one -1");
      unknown = static_cast<int64_t>(i);
    } else if (lengths[i] < 0) {
      c.invalid("split_lengths has a negative length");
    } else if (__builtin_add_overflow(known, lengths[i], &known)) {  // untrusted lengths (fuzzer finding 5)
      c.invalid("split_lengths add up to more than a 64-bit count holds");
    }
  }
  if (unknown >= 0) {
    if (dim == kDynamicDim) c.unsupported("VariadicSplit with -1 on a dynamic axis");
    if (known > dim) c.invalid("split_lengths add up to more than the axis");
    lengths[static_cast<size_t>(unknown)] = dim - known;
  }
  // With a -1 the lengths now add up to the axis by construction; without, `known` is their (checked) sum.
  if (dim != kDynamicDim && unknown < 0 && known != dim) c.invalid("split_lengths do not add up to the axis");
  return split_with_sizes(c, axis, lengths);
}

}  // namespace

void register_slicing_translators(IrTranslatorTable& table) {
  table.add("StridedSlice", {1}, strided_slice, {"Slice", "Squeeze", "Unsqueeze", "Identity"});
  table.add("Gather", {1, 7, 8}, gather, {"Gather"});
  table.add("Split", {1}, split, {"Split"});
  table.add("VariadicSplit", {1}, variadic_split, {"Split"});
}

}  // namespace octet::openvino_ir
