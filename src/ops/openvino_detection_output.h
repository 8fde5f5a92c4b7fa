// DetectionOutput (OpenVINO opset1 and opset8): SSD post-processing. Decodes the predicted box offsets
// (box_logits) against the prior boxes (proposals), runs per-class non-maximum suppression on the class
// scores (class_preds), keeps the best keep_top_k per image and writes [1, 1, rows, 7] rows of
// [image_id, label, confidence, xmin, ymin, xmax, ymax], grouped by image, then by label in increasing order,
// then by decreasing confidence; the first unused row has image_id -1 and the rest are zeros. The optional
// inputs 4 and 5 (aux_class_preds, aux_box_preds) are the RefineDet form: objectness scores and a first
// regression of the priors. Semantics follow OpenVINO's reference (ov::reference::referenceDetectionOutput).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "octet/tensor.h"

namespace octet::openvino {

struct DetectionOutputAttributes {
  int64_t num_classes = -1;  // opset1 attribute; opset8 derives it from class_preds
  int64_t background_label_id = 0;
  int64_t top_k = -1;
  int64_t keep_top_k = -1;  // the first element of the IR's keep_top_k list
  bool variance_encoded_in_target = false;
  bool share_location = true;
  bool center_size = false;  // code_type: CENTER_SIZE, else CORNER
  bool clip_after_nms = false;
  bool clip_before_nms = false;
  bool decrease_label_id = false;  // MXNet-style NMS: one best class per prior, labels shifted down by one
  bool normalized = false;
  int64_t input_height = 1, input_width = 1;
  float nms_threshold = 0;
  float confidence_threshold = 0;
  float objectness_score = 0;
};

DetectionOutputAttributes detection_output_attributes(const Node& node);

// Sizes read from the input shapes; kDynamicDim where a shape leaves them unknown.
struct DetectionOutputLayout {
  int64_t images = kDynamicDim;
  int64_t priors = kDynamicDim;
  int64_t classes = kDynamicDim;
  int64_t loc_classes = kDynamicDim;  // 1 with share_location, else classes
  int64_t prior_size = 4;             // 4 when normalized, else 5 (a leading batch index)
  int64_t prior_batches = kDynamicDim;
  bool with_aux = false;
  int64_t rows = kDynamicDim;  // output rows: images * (keep_top_k or top_k * classes or priors * classes)
};

// Checks the input shapes against each other and the attributes; throws kInvalidModel naming the node.
// `aux_conf` / `aux_loc` are nullptr when the node has 3 inputs.
DetectionOutputLayout detection_output_layout(const Node& node, const DetectionOutputAttributes& attributes,
                                              const Shape& loc, const Shape& conf, const Shape& priors,
                                              const Shape* aux_conf, const Shape* aux_loc);

// The output [1, 1, layout.rows, 7] for static inputs (inputs 3 and 4 may be nullptr).
Tensor run_detection_output(const DetectionOutputAttributes& attributes, const DetectionOutputLayout& layout,
                            const std::vector<const Tensor*>& inputs);

}  // namespace octet::openvino
