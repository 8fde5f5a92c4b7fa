// VOC-style detection mean average precision for SSD-style outputs (OpenVINO DetectionOutput: [1,1,N,7] rows
// of image_id, label, confidence, x0, y0, x1, y1 with normalized corners).
//
// Matching follows the PASCAL VOC devkit: per class, detections in decreasing confidence; each takes the
// ground-truth box of its class and image with the largest IoU; IoU >= threshold (0.5) and the box not yet
// taken is a true positive, a box marked difficult makes the detection count as neither, anything else is a
// false positive. Boxes are in normalized coordinates, so IoU has no VOC "+1 pixel" term. The mean is over
// the classes that have at least one non-difficult ground-truth box.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "octet/tensor.h"

namespace octet::evaluation {

struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
float intersection_over_union(const Box& a, const Box& b);

struct Detection {
  int label = 0;
  float confidence = 0;
  Box box;
};

struct GroundTruthObject {
  int label = 0;
  Box box;
  bool difficult = false;
};

enum class ApMethod {
  kElevenPoint,  // VOC2007: mean of the best precision at recall >= 0, 0.1, ..., 1 (the SSD papers' number)
  kAllPoints,    // VOC2010+: area under the precision envelope at every recall step
};
ApMethod parse_ap_method(const std::string& name);  // "11point" | "allpoints"

class DetectionMap {
 public:
  explicit DetectionMap(ApMethod method = ApMethod::kElevenPoint, float iou_threshold = 0.5f);

  // One image: the model's detections and the image's ground truth (labels in the model's label space).
  void add(std::span<const Detection> detections, std::span<const GroundTruthObject> truth);

  size_t images() const { return images_; }
  // Average precision per class with ground truth.
  std::map<int, double> average_precisions() const;
  double mean_average_precision() const;  // 0..1; 0 when no class has ground truth

 private:
  struct Scored {
    float confidence;
    bool true_positive;
  };
  ApMethod method_;
  float iou_threshold_;
  size_t images_ = 0;
  std::map<int, std::vector<Scored>> scored_;  // per class, detections that count (difficult matches dropped)
  std::map<int, size_t> positives_;            // per class, non-difficult ground-truth boxes
};

// The rows of a DetectionOutput tensor (last dim 7) up to the first with image_id -1 (its end marker).
std::vector<Detection> parse_detection_output(const Tensor& output);

// Ground truth of one image, a text file:
//   # comment lines and blank lines are skipped
//   size W H                      optional: the boxes below are in pixels of a W x H image (else 0..1)
//   label x0 y0 x1 y1 [difficult] one object per line; difficult is 0 or 1 (default 0)
// Labels are the model's output labels minus --label-offset. Throws kIo / kInvalidArgument naming file and
// line.
std::vector<GroundTruthObject> read_box_annotation(const std::string& path, int label_offset = 0);

}  // namespace octet::evaluation
