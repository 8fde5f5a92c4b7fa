// DetectionOutput: attributes, shape checks and registration (the decoding and NMS are in
// openvino_detection_output_run.cpp).
#include "ops/openvino_detection_output.h"

#include "ops/op_helpers.h"
#include "ops/op_registry.h"
#include "ops/openvino_attributes.h"
#include "ops/openvino_ops.h"

namespace octet {
namespace openvino {
namespace {

constexpr size_t kLoc = 0, kConf = 1, kPriors = 2, kAuxConf = 3, kAuxLoc = 4;

bool known(int64_t dim) {
  return dim != kDynamicDim;
}

// a * b, or kDynamicDim if either is unknown.
int64_t product(int64_t a, int64_t b) {
  return known(a) && known(b) ? a * b : kDynamicDim;
}

void check_rank(const Node& node, const Shape& shape, size_t rank, const char* what) {
  OCTET_CHECK(shape.rank_known() && shape.rank() == rank, ErrorCode::kInvalidModel, node.label(), ": ", what,
              " must have rank ", rank, ", got ", shape.to_string());
}

// Checks that a known dim equals an expected value (when that is known).
void check_dim(const Node& node, int64_t actual, int64_t expected, const char* what) {
  OCTET_CHECK(!known(actual) || !known(expected) || actual == expected, ErrorCode::kInvalidModel,
              node.label(), ": ", what, " is ", actual, ", expected ", expected);
}

}  // namespace

DetectionOutputAttributes detection_output_attributes(const Node& node) {
  DetectionOutputAttributes a;
  a.num_classes = int_attribute_or(node, "num_classes", -1);
  a.background_label_id = int_attribute_or(node, "background_label_id", 0);
  a.top_k = int_attribute_or(node, "top_k", -1);
  const std::vector<int64_t> keep_top_k = int_list_attribute_or(node, "keep_top_k", {});
  OCTET_CHECK(!keep_top_k.empty(), ErrorCode::kInvalidModel, node.label(), ": attribute 'keep_top_k' is ",
              node.has_attribute("keep_top_k") ? "empty" : "missing");
  a.keep_top_k = keep_top_k[0];
  a.variance_encoded_in_target = bool_attribute_or(node, "variance_encoded_in_target", false);
  a.share_location = bool_attribute_or(node, "share_location", true);
  const std::string code_type =
      lower_string_attribute_or(node, "code_type", "caffe.priorboxparameter.corner");
  OCTET_CHECK(
      code_type == "caffe.priorboxparameter.corner" || code_type == "caffe.priorboxparameter.center_size",
      ErrorCode::kInvalidModel, node.label(), ": code_type '", code_type,
      "' is not caffe.PriorBoxParameter.CORNER or caffe.PriorBoxParameter.CENTER_SIZE");
  a.center_size = code_type == "caffe.priorboxparameter.center_size";
  a.clip_after_nms = bool_attribute_or(node, "clip_after_nms", false);
  a.clip_before_nms = bool_attribute_or(node, "clip_before_nms", false);
  a.decrease_label_id = bool_attribute_or(node, "decrease_label_id", false);
  a.normalized = bool_attribute_or(node, "normalized", false);
  a.input_height = int_attribute_or(node, "input_height", 1);
  a.input_width = int_attribute_or(node, "input_width", 1);
  a.nms_threshold = float_attribute(node, "nms_threshold");
  a.confidence_threshold = float_attribute_or(node, "confidence_threshold", 0.0f);
  a.objectness_score = float_attribute_or(node, "objectness_score", 0.0f);

  OCTET_CHECK(a.top_k >= -1 && a.keep_top_k >= -1, ErrorCode::kInvalidModel, node.label(), ": top_k (",
              a.top_k, ") and keep_top_k (", a.keep_top_k, ") must be -1 or more");
  OCTET_CHECK(a.normalized || (a.input_height > 0 && a.input_width > 0), ErrorCode::kInvalidModel,
              node.label(), ": input_height and input_width must be positive when normalized is false");
  // Caffe's adaptive NMS (eta < 1) lowers the threshold as boxes are kept; OpenVINO ignores eta, so only the
  // value that means "off" is accepted.
  const float eta = float_attribute_or(node, "eta", 1.0f);
  OCTET_CHECK(eta == 1.0f, ErrorCode::kUnsupported, node.label(), ": eta ", eta,
              " (adaptive NMS) is not supported, only 1");
  return a;
}

DetectionOutputLayout detection_output_layout(const Node& node, const DetectionOutputAttributes& a,
                                              const Shape& loc, const Shape& conf, const Shape& priors,
                                              const Shape* aux_conf, const Shape* aux_loc) {
  check_rank(node, loc, 2, "box_logits");
  check_rank(node, conf, 2, "class_preds");
  check_rank(node, priors, 3, "proposals");
  DetectionOutputLayout l;
  l.prior_size = a.normalized ? 4 : 5;
  l.with_aux = aux_conf != nullptr;
  l.images = known(loc[0]) ? loc[0] : conf[0];
  check_dim(node, conf[0], l.images, "class_preds batch");
  l.prior_batches = priors[0];
  OCTET_CHECK(!known(priors[0]) || !known(l.images) || priors[0] == 1 || priors[0] == l.images,
              ErrorCode::kInvalidModel, node.label(), ": proposals batch is ", priors[0], ", expected 1 or ",
              l.images);
  check_dim(node, priors[1], a.variance_encoded_in_target ? 1 : 2,
            a.variance_encoded_in_target ? "proposals dim 1 (variance_encoded_in_target: boxes only)"
                                         : "proposals dim 1 (boxes and variances)");
  if (known(priors[2])) {
    OCTET_CHECK(priors[2] % l.prior_size == 0 && priors[2] > 0, ErrorCode::kInvalidModel, node.label(),
                ": proposals dim 2 is ", priors[2], ", not a positive multiple of the prior size ",
                l.prior_size);
    l.priors = priors[2] / l.prior_size;
  }
  if (a.num_classes != -1) {
    OCTET_CHECK(a.num_classes > 0, ErrorCode::kInvalidModel, node.label(), ": num_classes is ",
                a.num_classes);
    l.classes = a.num_classes;
    check_dim(node, conf[1], product(l.priors, l.classes), "class_preds dim 1 (priors * num_classes)");
  } else if (known(conf[1]) && known(l.priors)) {
    OCTET_CHECK(conf[1] % l.priors == 0 && conf[1] > 0, ErrorCode::kInvalidModel, node.label(),
                ": class_preds dim 1 is ", conf[1], ", not a positive multiple of the ", l.priors, " priors");
    l.classes = conf[1] / l.priors;
  }
  l.loc_classes = a.share_location ? 1 : l.classes;
  check_dim(node, loc[1], product(product(l.priors, l.loc_classes), 4),
            "box_logits dim 1 (priors * location classes * 4)");
  if (aux_conf) {
    check_rank(node, *aux_conf, 2, "aux_class_preds");
    check_rank(node, *aux_loc, 2, "aux_box_preds");
    check_dim(node, (*aux_conf)[0], l.images, "aux_class_preds batch");
    check_dim(node, (*aux_conf)[1], product(l.priors, 2), "aux_class_preds dim 1 (priors * 2)");
    check_dim(node, (*aux_loc)[0], loc[0], "aux_box_preds batch");
    check_dim(node, (*aux_loc)[1], loc[1], "aux_box_preds dim 1");
    // OpenVINO's reference divides the once-refined priors by the input size a second time in this form.
    OCTET_CHECK(a.normalized, ErrorCode::kUnsupported, node.label(),
                ": aux_box_preds with normalized=false is not supported");
  }
  if (a.keep_top_k > 0) {
    l.rows = product(l.images, a.keep_top_k);
  } else if (a.top_k > 0) {
    l.rows = product(product(l.images, a.top_k), l.classes);
  } else {
    l.rows = product(product(l.images, l.priors), l.classes);
  }
  return l;
}

namespace {

void infer_detection_output(Node& node) {
  const bool aux = node.has_input(kAuxConf);
  OCTET_CHECK(aux == node.has_input(kAuxLoc), ErrorCode::kInvalidModel, node.label(),
              ": takes 3 inputs, or 5 with both aux_class_preds and aux_box_preds");
  for (size_t i = 0; i < node.input_count(); ++i) {
    if (!node.has_input(i)) continue;
    const ElementType type = input_type(node, i);
    OCTET_CHECK(type == ElementType::kF32,
                is_floating(type) ? ErrorCode::kUnsupported : ErrorCode::kInvalidModel, node.label(),
                ": input ", i, " has type ", to_string(type), ", only f32 is supported");
  }
  const DetectionOutputAttributes a = detection_output_attributes(node);
  const DetectionOutputLayout l = detection_output_layout(
      node, a, input_shape(node, kLoc), input_shape(node, kConf), input_shape(node, kPriors),
      aux ? &input_shape(node, kAuxConf) : nullptr, aux ? &input_shape(node, kAuxLoc) : nullptr);
  set_output(node, 0, ElementType::kF32, Shape({1, 1, l.rows, 7}));
}

std::vector<Tensor> evaluate_detection_output(const Node& node, const std::vector<const Tensor*>& inputs) {
  const DetectionOutputAttributes a = detection_output_attributes(node);
  const bool aux = inputs.size() == 5 && inputs[kAuxConf] && inputs[kAuxLoc];
  const Shape aux_conf = aux ? Shape(inputs[kAuxConf]->dims()) : Shape();
  const Shape aux_loc = aux ? Shape(inputs[kAuxLoc]->dims()) : Shape();
  const DetectionOutputLayout l = detection_output_layout(
      node, a, Shape(inputs[kLoc]->dims()), Shape(inputs[kConf]->dims()), Shape(inputs[kPriors]->dims()),
      aux ? &aux_conf : nullptr, aux ? &aux_loc : nullptr);
  return {run_detection_output(a, l, inputs)};
}

}  // namespace
}  // namespace openvino

void register_openvino_detection_output_op(OpRegistry& registry) {
  registry.add(
      {"DetectionOutput", 3, 5, 1, 1, openvino::infer_detection_output, openvino::evaluate_detection_output});
}

}  // namespace octet
