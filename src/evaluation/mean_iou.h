// Semantic segmentation: mean intersection-over-union from a confusion matrix accumulated over every pixel of
// every sample, ignoring pixels whose ground truth is the ignore label (255, VOC's "void" border).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace octet::evaluation {

class MeanIou {
 public:
  explicit MeanIou(int num_classes, int ignore_label = 255);

  // One sample's predicted and true class per pixel (same size). A true class outside 0..C-1 other than the
  // ignore label is kInvalidArgument.
  void add(std::span<const int32_t> predicted, std::span<const int32_t> truth);

  int num_classes() const { return num_classes_; }
  size_t count() const { return count_; }
  // Per class TP / (TP + FP + FN); -1 for a class that appears in neither prediction nor truth.
  std::vector<double> class_iou() const;
  double mean_iou() const;        // mean over the classes that appear; 0..1
  double pixel_accuracy() const;  // correctly labeled pixels / counted pixels

 private:
  int num_classes_;
  int ignore_label_;
  size_t count_ = 0;
  std::vector<uint64_t> confusion_;  // [truth][predicted]
};

}  // namespace octet::evaluation
