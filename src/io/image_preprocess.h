// From a decoded image to a model input tensor: resize, center crop, channel order, normalization, layout.
// The exact arithmetic is specified in docs/preprocessing.md; it reproduces the usual PIL/numpy pipelines.
#pragma once

#include <array>
#include <string>

#include "io/image.h"
#include "octet/tensor.h"

namespace octet {

enum class ResizeMode { kNone, kShorterSide, kExact };
enum class ColorOrder { kRgb, kBgr };
enum class TensorLayout { kNchw, kNhwc };

struct PreprocessOptions {
  ResizeMode resize_mode = ResizeMode::kNone;
  int resize_shorter = 0;                   // kShorterSide: the shorter side becomes this
  int resize_width = 0, resize_height = 0;  // kExact
  int crop = 0;                             // side of the central square crop; 0 = no crop
  ColorOrder color = ColorOrder::kRgb;
  // Per channel of the output, in output channel order (so B, G, R for kBgr), on 0..255 values.
  std::array<float, 3> mean = {0.f, 0.f, 0.f};
  std::array<float, 3> std = {1.f, 1.f, 1.f};
  TensorLayout layout = TensorLayout::kNchw;
};

// Size of the image after the resize step: shorter side N gives round(long * N / short) for the other side
// (round half to even, as Python's round()).
std::pair<int, int> resized_size(int width, int height, const PreprocessOptions& options);

// Runs every step; returns f32 [1,3,H,W] (nchw) or [1,H,W,3] (nhwc). Throws kInvalidArgument if the crop does
// not fit or an option is out of range.
Tensor preprocess_image(const RgbImage& image, const PreprocessOptions& options);

// Parsers for command-line values ("rgb", "nchw", "0.5,0.5,0.5"); throw kInvalidArgument naming the flag.
ColorOrder parse_color_order(const std::string& text);
TensorLayout parse_layout(const std::string& text);
std::array<float, 3> parse_three_floats(const std::string& text, const std::string& flag);

}  // namespace octet
