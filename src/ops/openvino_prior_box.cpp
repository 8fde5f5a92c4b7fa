// PriorBox (OpenVINO opset1 and opset8) and PriorBoxClustered (opset1): the SSD anchor generators. Both take
// output_size [H, W] (the feature map) and image_size [IH, IW] as 1-d integer tensors and give f32
// [2, 4 * H * W * priors_per_cell]: row 0 the boxes (xmin, ymin, xmax, ymax normalized by the image size,
// cell by cell in row-major order, the cell's priors in turn), row 1 the variances of each box coordinate.
// Arithmetic follows OpenVINO's reference (ov::reference::prior_box / prior_box_clustered) step by step in
// float, so that the boxes agree with OpenVINO to the last bit or two.
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/openvino_attributes.h"
#include "ops/openvino_ops.h"

namespace octet {
namespace {

using namespace openvino;

constexpr size_t kOutputSize = 0;
constexpr size_t kImageSize = 1;

// --- what both ops share: the [H, W] inputs, the variances and the output shape ---

void check_size_input(const Node& node, size_t index, const char* what) {
  const ElementType type = input_type(node, index);
  OCTET_CHECK(is_integral(type) && type != ElementType::kBool, ErrorCode::kInvalidModel, node.label(), ": ",
              what, " must be an integer tensor, got ", to_string(type));
  const Shape& shape = input_shape(node, index);
  OCTET_CHECK(!shape.rank_known() || (shape.rank() == 1 && (shape[0] == kDynamicDim || shape[0] == 2)),
              ErrorCode::kInvalidModel, node.label(), ": ", what, " must be 1-d with 2 elements, got ",
              shape.to_string());
}

struct SizePair {
  int64_t height = 0, width = 0;
};

SizePair read_size(const Node& node, const Tensor& tensor, const char* what) {
  OCTET_CHECK(tensor.element_count() == 2, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " must have 2 elements, got ", tensor.description());
  const SizePair size{tensor.value_as_int64(0), tensor.value_as_int64(1)};
  OCTET_CHECK(size.height > 0 && size.width > 0, ErrorCode::kInvalidModel, node.label(), ": ", what, " is [",
              size.height, ", ", size.width, "], both must be positive");
  return size;
}

std::vector<float> read_variance(const Node& node) {
  std::vector<float> variance = float_list_attribute_or(node, "variance", {});
  OCTET_CHECK(variance.size() <= 1 || variance.size() == 4, ErrorCode::kInvalidModel, node.label(),
              ": variance has ", variance.size(), " values, expected 0, 1 or 4");
  if (variance.empty()) variance.push_back(0.1f);  // OpenVINO's default
  return variance;
}

// [2, 4 * H * W * priors], with H * W known only when output_size is a constant.
void infer_prior_output(Node& node, int64_t priors_per_cell) {
  check_size_input(node, kOutputSize, "output_size");
  check_size_input(node, kImageSize, "image_size");
  int64_t boxes = kDynamicDim;
  if (const Tensor* size = constant_input(node, kOutputSize)) {
    const SizePair cells = read_size(node, *size, "output_size");
    boxes = 4 * cells.height * cells.width * priors_per_cell;
  }
  set_output(node, 0, ElementType::kF32, Shape({2, boxes}));
}

// Row 1: the variance of every coordinate (one value repeated, or the same 4 values for every box).
void fill_variances(float* variances, int64_t box_count, const std::vector<float>& variance) {
  for (int64_t b = 0; b < box_count; ++b)
    for (size_t j = 0; j < 4; ++j)
      variances[b * 4 + static_cast<int64_t>(j)] = variance[variance.size() == 1 ? 0 : j];
}

// --- PriorBox ---

struct PriorBoxAttributes {
  std::vector<float> min_size, max_size, aspect_ratio, density, fixed_ratio, fixed_size, variance;
  bool flip = false, clip = false, scale_all_sizes = true, min_max_aspect_ratios_order = true;
  float step = 0, offset = 0;
  std::vector<float> ratios;  // 1, then each distinct aspect_ratio (and its inverse with flip)
};

// The aspect ratios in the order boxes are made: 1 first, then each new value (within 1e-6) followed by its
// inverse when flip is set.
std::vector<float> box_aspect_ratios(const Node& node, const std::vector<float>& aspect_ratio, bool flip) {
  std::vector<float> ratios{1.0f};
  for (float ratio : aspect_ratio) {
    OCTET_CHECK(ratio > 0, ErrorCode::kInvalidModel, node.label(), ": aspect_ratio ", ratio,
                " is not positive");
    const bool seen =
        std::any_of(ratios.begin(), ratios.end(), [&](float r) { return std::fabs(ratio - r) < 1e-6; });
    if (seen) continue;
    ratios.push_back(ratio);
    if (flip) ratios.push_back(1.0f / ratio);
  }
  return ratios;
}

// OpenVINO's count of priors per cell (ov::op::v8::PriorBox::number_of_priors), which fixes the output
// shape. Its distinct ratios are counted after rounding to 1e-6.
int64_t openvino_prior_count(const PriorBoxAttributes& a) {
  std::set<float> unique{1.0f};
  for (float r : a.aspect_ratio) {
    unique.insert(std::round(r * 1e6f) / 1e6f);
    if (a.flip) unique.insert(std::round(1 / r * 1e6f) / 1e6f);
  }
  const auto ratios = static_cast<int64_t>(unique.size());
  auto count = static_cast<int64_t>(a.scale_all_sizes ? ratios * static_cast<int64_t>(a.min_size.size()) +
                                                            static_cast<int64_t>(a.max_size.size())
                                                      : ratios + static_cast<int64_t>(a.min_size.size()) - 1);
  if (!a.fixed_size.empty()) count = ratios * static_cast<int64_t>(a.fixed_size.size());
  for (float d : a.density) {
    const auto density = static_cast<int64_t>(d);
    count += (a.fixed_ratio.empty() ? ratios : static_cast<int64_t>(a.fixed_ratio.size())) *
             (density * density - 1);
  }
  return count;
}

// One prior: its center and half sizes in pixels; `clamped` boxes (the fixed_size ones) keep xmin, ymin >= 0
// and xmax, ymax <= 1 even without the clip attribute, as OpenVINO makes them.
using EmitPrior = std::function<void(float cx, float cy, float half_w, float half_h, bool clamped)>;

// The priors of the cell centered at (cx, cy), in OpenVINO's order: fixed_size boxes (density grids), then
// per min_size: the min box, the sqrt(min * max) box and the aspect-ratio boxes (or aspect ratios before the
// max box when min_max_aspect_ratios_order is false). min_sizes are already scaled (mxnet form).
void emit_cell_priors(const PriorBoxAttributes& a, const std::vector<float>& min_sizes, float cx, float cy,
                      const EmitPrior& emit) {
  for (size_t s = 0; s < a.fixed_size.size(); ++s) {
    const auto fixed = static_cast<size_t>(a.fixed_size[s]);
    const auto density = static_cast<int64_t>(a.density[s]);
    const auto shift = static_cast<int64_t>(a.fixed_size[s] / static_cast<float>(density));
    // A density x density grid of boxes of the given half sizes inside the fixed_size square.
    auto grid = [&](float half_w, float half_h) {
      for (int64_t r = 0; r < density; ++r)
        for (int64_t c = 0; c < density; ++c)
          emit(cx - static_cast<float>(fixed / 2) + static_cast<float>(shift) / 2.f +
                   static_cast<float>(c * shift),
               cy - static_cast<float>(fixed / 2) + static_cast<float>(shift) / 2.f +
                   static_cast<float>(r * shift),
               half_w, half_h, true);
    };
    if (!a.fixed_ratio.empty()) {
      for (float ratio : a.fixed_ratio) {
        const float root = std::sqrt(ratio);
        grid(a.fixed_size[s] * 0.5f * root, a.fixed_size[s] * 0.5f / root);
      }
      continue;
    }
    grid(static_cast<float>(fixed) * 0.5f, static_cast<float>(fixed) * 0.5f);
    for (float ratio : a.ratios) {
      if (std::fabs(ratio - 1.0f) < 1e-6) continue;
      const float root = std::sqrt(ratio);
      grid(a.fixed_size[s] * 0.5f * root, a.fixed_size[s] * 0.5f / root);
    }
  }
  for (size_t m = 0; m < min_sizes.size(); ++m) {
    const float min_size = min_sizes[m];
    emit(cx, cy, min_size * 0.5f, min_size * 0.5f, false);
    // Without scale_all_sizes (mxnet) only the last min_size gets the aspect-ratio boxes, made from the first
    // min_size, and max_size is ignored (as the spec and OpenVINO's output shape say).
    const bool with_ratios = a.scale_all_sizes || m + 1 == min_sizes.size();
    const float ratio_size = a.scale_all_sizes ? min_size : min_sizes[0];
    auto max_box = [&] {
      if (!a.scale_all_sizes || m >= a.max_size.size()) return;
      const float half = std::sqrt(min_size * a.max_size[m]) * 0.5f;
      emit(cx, cy, half, half, false);
    };
    auto ratio_boxes = [&] {
      if (!with_ratios) return;
      for (float ratio : a.ratios) {
        if (std::fabs(ratio - 1.0f) < 1e-6) continue;
        const float root = std::sqrt(ratio);
        emit(cx, cy, ratio_size * 0.5f * root, ratio_size * 0.5f / root, false);
      }
    };
    if (a.min_max_aspect_ratios_order) {
      max_box();
      ratio_boxes();
    } else {
      ratio_boxes();
      max_box();
    }
  }
}

PriorBoxAttributes prior_box_attributes(const Node& node) {
  PriorBoxAttributes a;
  a.min_size = float_list_attribute_or(node, "min_size", {});
  a.max_size = float_list_attribute_or(node, "max_size", {});
  a.aspect_ratio = float_list_attribute_or(node, "aspect_ratio", {});
  a.density = float_list_attribute_or(node, "density", {});
  a.fixed_ratio = float_list_attribute_or(node, "fixed_ratio", {});
  a.fixed_size = float_list_attribute_or(node, "fixed_size", {});
  a.variance = read_variance(node);
  a.flip = bool_attribute_or(node, "flip", false);
  a.clip = bool_attribute_or(node, "clip", false);
  a.scale_all_sizes = bool_attribute_or(node, "scale_all_sizes", true);
  a.min_max_aspect_ratios_order = bool_attribute_or(node, "min_max_aspect_ratios_order", true);
  a.step = float_attribute_or(node, "step", 0.0f);
  a.offset = float_attribute(node, "offset");
  a.ratios = box_aspect_ratios(node, a.aspect_ratio, a.flip);
  if (!a.fixed_size.empty())
    OCTET_CHECK(a.density.size() == a.fixed_size.size(), ErrorCode::kInvalidModel, node.label(),
                ": density has ", a.density.size(), " values but fixed_size has ", a.fixed_size.size());
  for (float d : a.density)
    OCTET_CHECK(d >= 1, ErrorCode::kInvalidModel, node.label(), ": density ", d, " is below 1");
  for (float f : a.fixed_size)
    OCTET_CHECK(f >= 1, ErrorCode::kInvalidModel, node.label(), ": fixed_size ", f, " is below 1");
  for (float r : a.fixed_ratio)
    OCTET_CHECK(r > 0, ErrorCode::kInvalidModel, node.label(), ": fixed_ratio ", r, " is not positive");
  OCTET_CHECK(!a.min_size.empty() || !a.fixed_size.empty(), ErrorCode::kInvalidModel, node.label(),
              ": needs min_size or fixed_size");
  return a;
}

// Priors per cell. OpenVINO sizes the output with a formula that disagrees with the boxes it makes for some
// attribute mixes (min_size with fixed_size, fixed_ratio with a different number of aspect ratios, more
// max_size than min_size, density without fixed_size); those are rejected rather than guessed.
int64_t prior_count(const Node& node, const PriorBoxAttributes& a) {
  int64_t made = 0;
  emit_cell_priors(a, a.min_size, 0, 0, [&](float, float, float, float, bool) { ++made; });
  const int64_t sized = openvino_prior_count(a);
  OCTET_CHECK(made == sized, ErrorCode::kUnsupported, node.label(), ": this mix of min_size/max_size/",
              "fixed_size/fixed_ratio/density makes ", made,
              " priors per cell but OpenVINO sizes its output for ", sized);
  return made;
}

void infer_prior_box(Node& node) {
  const PriorBoxAttributes a = prior_box_attributes(node);
  infer_prior_output(node, prior_count(node, a));
}

std::vector<Tensor> evaluate_prior_box(const Node& node, const std::vector<const Tensor*>& inputs) {
  const PriorBoxAttributes a = prior_box_attributes(node);
  const int64_t priors = prior_count(node, a);
  const SizePair cells = read_size(node, *inputs[kOutputSize], "output_size");
  const SizePair image = read_size(node, *inputs[kImageSize], "image_size");
  const auto ih = static_cast<float>(image.height), iw = static_cast<float>(image.width);

  float step = a.step;
  std::vector<float> min_sizes = a.min_size;
  if (!a.scale_all_sizes) {
    // mxnet form: step and sizes are fractions of the image height (step -1: one cell).
    step = step == -1 ? ih / static_cast<float>(cells.height) : step * ih;
    for (float& size : min_sizes) size *= ih;
  }
  const float step_x = step == 0 ? iw / static_cast<float>(cells.width) : step;
  const float step_y = step == 0 ? ih / static_cast<float>(cells.height) : step;
  const float inv_w = 1.0f / iw, inv_h = 1.0f / ih;

  const int64_t box_count = cells.height * cells.width * priors;
  Tensor out(ElementType::kF32, {2, 4 * box_count});
  float* boxes = out.data<float>();
  int64_t k = 0;
  const EmitPrior write = [&](float cx, float cy, float half_w, float half_h, bool clamped) {
    float xmin = (cx - half_w) * inv_w, ymin = (cy - half_h) * inv_h;
    float xmax = (cx + half_w) * inv_w, ymax = (cy + half_h) * inv_h;
    if (clamped) {
      xmin = std::max(xmin, 0.0f), ymin = std::max(ymin, 0.0f);
      xmax = std::min(xmax, 1.0f), ymax = std::min(ymax, 1.0f);
    }
    boxes[k++] = xmin, boxes[k++] = ymin, boxes[k++] = xmax, boxes[k++] = ymax;
  };
  for (int64_t h = 0; h < cells.height; ++h) {
    for (int64_t w = 0; w < cells.width; ++w) {
      // With step 0 the centers are the cell centers (offset is not used).
      const float cx =
          step == 0 ? (static_cast<float>(w) + 0.5f) * step_x : (a.offset + static_cast<float>(w)) * step;
      const float cy =
          step == 0 ? (static_cast<float>(h) + 0.5f) * step_y : (a.offset + static_cast<float>(h)) * step;
      emit_cell_priors(a, min_sizes, cx, cy, write);
    }
  }
  OCTET_ASSERT(k == 4 * box_count);
  if (a.clip)
    for (int64_t i = 0; i < 4 * box_count; ++i) boxes[i] = std::min(std::max(boxes[i], 0.0f), 1.0f);
  fill_variances(boxes + 4 * box_count, box_count, a.variance);
  return {out};
}

// --- PriorBoxClustered ---

struct ClusteredAttributes {
  std::vector<float> widths, heights, variance;
  bool clip = true;
  float step = 0, step_w = 0, step_h = 0, offset = 0, img_w = 0, img_h = 0;
};

ClusteredAttributes clustered_attributes(const Node& node) {
  ClusteredAttributes a;
  a.widths = float_list_attribute_or(node, "width", {1.0f});
  a.heights = float_list_attribute_or(node, "height", {1.0f});
  OCTET_CHECK(a.widths.size() == a.heights.size() && !a.widths.empty(), ErrorCode::kInvalidModel,
              node.label(), ": width has ", a.widths.size(), " values and height ", a.heights.size(),
              ", expected the same non-zero number");
  a.variance = read_variance(node);
  a.clip = bool_attribute_or(node, "clip", true);
  a.step = float_attribute_or(node, "step", 0.0f);
  a.step_w = float_attribute_or(node, "step_w", 0.0f);
  a.step_h = float_attribute_or(node, "step_h", 0.0f);
  a.offset = float_attribute(node, "offset");
  // Older IRs may carry the image size as attributes; non-zero values replace the image_size input.
  a.img_w = float_attribute_or(node, "img_w", 0.0f);
  a.img_h = float_attribute_or(node, "img_h", 0.0f);
  return a;
}

void infer_prior_box_clustered(Node& node) {
  const ClusteredAttributes a = clustered_attributes(node);
  infer_prior_output(node, static_cast<int64_t>(a.widths.size()));
}

std::vector<Tensor> evaluate_prior_box_clustered(const Node& node, const std::vector<const Tensor*>& inputs) {
  const ClusteredAttributes a = clustered_attributes(node);
  const SizePair cells = read_size(node, *inputs[kOutputSize], "output_size");
  const SizePair image = read_size(node, *inputs[kImageSize], "image_size");
  const float iw = a.img_w != 0 ? a.img_w : static_cast<float>(image.width);
  const float ih = a.img_h != 0 ? a.img_h : static_cast<float>(image.height);
  // step_w / step_h fall back to step, then to the image size over the grid size.
  float step_w = a.step_w == 0 ? a.step : a.step_w;
  float step_h = a.step_h == 0 ? a.step : a.step_h;
  if (step_w == 0 && step_h == 0) {
    step_w = iw / static_cast<float>(cells.width);
    step_h = ih / static_cast<float>(cells.height);
  }
  const auto priors = static_cast<int64_t>(a.widths.size());
  const int64_t box_count = cells.height * cells.width * priors;
  Tensor out(ElementType::kF32, {2, 4 * box_count});
  float* boxes = out.data<float>();
  int64_t k = 0;
  for (int64_t h = 0; h < cells.height; ++h) {
    for (int64_t w = 0; w < cells.width; ++w) {
      const float cx = (static_cast<float>(w) + a.offset) * step_w;
      const float cy = (static_cast<float>(h) + a.offset) * step_h;
      for (size_t s = 0; s < a.widths.size(); ++s) {
        float coords[4] = {(cx - a.widths[s] / 2.0f) / iw, (cy - a.heights[s] / 2.0f) / ih,
                           (cx + a.widths[s] / 2.0f) / iw, (cy + a.heights[s] / 2.0f) / ih};
        for (float c : coords) boxes[k++] = a.clip ? std::min(std::max(c, 0.0f), 1.0f) : c;
      }
    }
  }
  fill_variances(boxes + 4 * box_count, box_count, a.variance);
  return {out};
}

}  // namespace

void register_openvino_prior_box_ops(OpRegistry& registry) {
  registry.add({"PriorBox", 2, 2, 1, 1, infer_prior_box, evaluate_prior_box});
  registry.add({"PriorBoxClustered", 2, 2, 1, 1, infer_prior_box_clustered, evaluate_prior_box_clustered});
}

}  // namespace octet
