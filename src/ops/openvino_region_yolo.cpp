// RegionYolo (OpenVINO opset1): the YOLO v2 "region" / v3 "yolo" output layer. The input [N, C, H, W] holds,
// per region (anchor), a block of coords + 1 + classes channels: x, y, w, h (coords of them), objectness,
// class scores. x, y and the objectness go through a sigmoid; w, h stay as they are. With do_softmax (v2,
// `num` regions) the class scores get a softmax over the classes and the output is the input flattened from
// `axis` to `end_axis`; without it (v3, len(mask) regions) the class scores get a sigmoid and the shape
// stays. Arithmetic follows OpenVINO's reference (ov::reference::region_yolo) in float.
#include <algorithm>
#include <cmath>

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/openvino_attributes.h"
#include "ops/openvino_ops.h"

namespace octet {
namespace {

using namespace openvino;

struct RegionYoloAttributes {
  int64_t coords = 0, classes = 0, num = 0, axis = 1, end_axis = 3;
  bool do_softmax = true;
  std::vector<int64_t> mask;
  int64_t regions() const { return do_softmax ? num : static_cast<int64_t>(mask.size()); }
  int64_t channels_per_region() const { return coords + classes + 1; }
};

RegionYoloAttributes region_yolo_attributes(const Node& node) {
  RegionYoloAttributes a;
  a.coords = int_attribute(node, "coords");
  a.classes = int_attribute(node, "classes");
  a.num = int_attribute(node, "num");
  a.axis = int_attribute_or(node, "axis", 1);
  a.end_axis = int_attribute_or(node, "end_axis", 3);
  a.do_softmax = bool_attribute_or(node, "do_softmax", true);
  a.mask = int_list_attribute_or(node, "mask", {});
  // anchors only matter to post-processing; read it so that a malformed value is still reported.
  float_list_attribute_or(node, "anchors", {});
  OCTET_CHECK(a.coords >= 2 && a.classes >= 0 && a.num >= 0, ErrorCode::kInvalidModel, node.label(),
              ": coords (", a.coords, ") must be at least 2, classes (", a.classes, ") and num (", a.num,
              ") must not be negative");
  OCTET_CHECK(a.regions() > 0, ErrorCode::kInvalidModel, node.label(),
              a.do_softmax ? ": num must be positive with do_softmax"
                           : ": mask must not be empty without do_softmax");
  return a;
}

Shape region_yolo_output_shape(const Node& node, const RegionYoloAttributes& a, const Shape& x) {
  if (!x.rank_known()) return Shape::unknown();
  OCTET_CHECK(x.rank() == 4, ErrorCode::kInvalidModel, node.label(), ": input must be 4-d [N, C, H, W], got ",
              x.to_string());
  const int64_t channels = a.regions() * a.channels_per_region();
  OCTET_CHECK(x[1] == kDynamicDim || x[1] == channels, ErrorCode::kInvalidModel, node.label(), ": input has ",
              x[1], " channels, expected ", a.regions(), " regions * (coords + classes + 1) = ", channels);
  if (!a.do_softmax) return x;
  const int64_t begin = normalize_axis(node, a.axis, 4), end = normalize_axis(node, a.end_axis, 4);
  OCTET_CHECK(begin <= end, ErrorCode::kInvalidModel, node.label(), ": axis ", a.axis, " is after end_axis ",
              a.end_axis);
  Dims out;
  int64_t flat = 1;
  for (int64_t d = 0; d < 4; ++d) {
    const int64_t dim = x[static_cast<size_t>(d)];
    if (d < begin || d > end) {
      out.push_back(dim);
    } else {
      flat = flat == kDynamicDim || dim == kDynamicDim ? kDynamicDim : flat * dim;
      if (d == end) out.push_back(flat);
    }
  }
  return Shape(out);
}

void infer_region_yolo(Node& node) {
  const ElementType type = input_type(node, 0);
  OCTET_CHECK(type == ElementType::kF32,
              is_floating(type) ? ErrorCode::kUnsupported : ErrorCode::kInvalidModel, node.label(),
              ": input has type ", to_string(type), ", only f32 is supported");
  const RegionYoloAttributes a = region_yolo_attributes(node);
  set_output(node, 0, ElementType::kF32, region_yolo_output_shape(node, a, input_shape(node, 0)));
}

float sigmoid(float x) {
  return 1.f / (1.f + std::exp(-x));
}

std::vector<Tensor> evaluate_region_yolo(const Node& node, const std::vector<const Tensor*>& inputs) {
  const RegionYoloAttributes a = region_yolo_attributes(node);
  const Tensor& x = *inputs[0];
  const Shape out_shape = region_yolo_output_shape(node, a, Shape(x.dims()));
  Tensor y = x.clone().reshaped(out_shape.static_dims());
  float* out = y.data<float>();
  const int64_t area = x.dims()[2] * x.dims()[3];
  const int64_t per_region = a.channels_per_region();
  for (int64_t block = 0; block < x.dims()[0] * a.regions(); ++block) {
    float* region = out + block * per_region * area;
    // Channel k of the region is region[k * area .. (k + 1) * area).
    auto apply_sigmoid = [&](int64_t first_channel, int64_t channels) {
      for (int64_t i = first_channel * area; i < (first_channel + channels) * area; ++i)
        region[i] = sigmoid(region[i]);
    };
    apply_sigmoid(0, 2);                                        // x, y
    apply_sigmoid(a.coords, a.do_softmax ? 1 : 1 + a.classes);  // objectness (and the classes in v3)
    if (!a.do_softmax) continue;
    // Softmax over the classes at each position, with the maximum subtracted first.
    float* scores = region + (a.coords + 1) * area;
    for (int64_t i = 0; i < area; ++i) {
      float max = scores[i];
      for (int64_t c = 0; c < a.classes; ++c) max = std::max(max, scores[c * area + i]);
      float sum = 0;
      for (int64_t c = 0; c < a.classes; ++c) {
        scores[c * area + i] = std::exp(scores[c * area + i] - max);
        sum += scores[c * area + i];
      }
      for (int64_t c = 0; c < a.classes; ++c) scores[c * area + i] /= sum;
    }
  }
  return {y};
}

}  // namespace

void register_openvino_region_yolo_op(OpRegistry& registry) {
  registry.add({"RegionYolo", 1, 1, 1, 1, infer_region_yolo, evaluate_region_yolo});
}

}  // namespace octet
