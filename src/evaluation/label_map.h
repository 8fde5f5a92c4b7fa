// Per-pixel class labels: segmentation ground truth read from a mask file, and a model's prediction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "octet/tensor.h"

namespace octet::evaluation {

struct LabelMap {
  int width = 0;
  int height = 0;
  std::vector<int32_t> labels;  // height * width, row-major
};

// A mask file: a greyscale PNG (8-bit values are the classes) or an integer .npy [H,W] / [1,H,W] / [1,1,H,W].
// Palette PNGs (VOC's SegmentationClass) are kUnsupported: their decoded colours are not class indices;
// convert them to greyscale index PNGs or .npy first.
LabelMap read_label_mask(const std::string& path);

// A segmentation output [1,C,H,W] (C >= 2: argmax over C, ties to the lower class) or [1,1,H,W] / [1,H,W]
// holding class indices already.
LabelMap predicted_labels(const Tensor& output);

// Nearest-neighbour resampling (pixel centres), so that a prediction is compared at the mask's resolution.
LabelMap resize_nearest(const LabelMap& map, int width, int height);

}  // namespace octet::evaluation
