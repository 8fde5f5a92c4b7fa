#include "io/image_preprocess.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "io/image_resize.h"

namespace octet {

std::pair<int, int> resized_size(int width, int height, const PreprocessOptions& options) {
  switch (options.resize_mode) {
    case ResizeMode::kNone:
      return {width, height};
    case ResizeMode::kExact:
      return {options.resize_width, options.resize_height};
    case ResizeMode::kShorterSide: {
      const int n = options.resize_shorter;
      // double(long) * n / short is the same IEEE computation as Python's long * n / short; nearbyint in the
      // default rounding mode rounds half to even like Python's round().
      auto other = [n](int long_side, int short_side) {
        return static_cast<int>(std::nearbyint(static_cast<double>(long_side) * n / short_side));
      };
      if (width <= height) return {n, other(height, width)};
      return {other(width, height), n};
    }
  }
  fail(ErrorCode::kInternal, "unknown resize mode");
}

Tensor preprocess_image(const RgbImage& image, const PreprocessOptions& options) {
  OCTET_CHECK(options.resize_mode != ResizeMode::kShorterSide || options.resize_shorter > 0,
              ErrorCode::kInvalidArgument, "resize size must be positive, got ", options.resize_shorter);
  const auto [width, height] = resized_size(image.width, image.height, options);
  const RgbImage resized = resize_bilinear(image, width, height);

  const int out_w = options.crop > 0 ? options.crop : width;
  const int out_h = options.crop > 0 ? options.crop : height;
  OCTET_CHECK(options.crop >= 0 && out_w <= width && out_h <= height, ErrorCode::kInvalidArgument,
              "cannot crop ", options.crop, "x", options.crop, " from a ", width, "x", height, " image");
  const int left = (width - out_w) / 2;
  const int top = (height - out_h) / 2;
  for (float s : options.std) OCTET_CHECK(s != 0.f, ErrorCode::kInvalidArgument, "std must not be zero");

  const bool nchw = options.layout == TensorLayout::kNchw;
  Tensor tensor(ElementType::kF32, nchw ? Dims{1, 3, out_h, out_w} : Dims{1, out_h, out_w, 3});
  float* out = tensor.data<float>();
  for (int y = 0; y < out_h; ++y) {
    for (int x = 0; x < out_w; ++x) {
      for (int c = 0; c < 3; ++c) {
        const int source_channel = options.color == ColorOrder::kRgb ? c : 2 - c;
        const float v = static_cast<float>(resized.at(top + y, left + x, source_channel));
        const size_t index = nchw ? (static_cast<size_t>(c) * out_h + y) * out_w + x
                                  : (static_cast<size_t>(y) * out_w + x) * 3 + c;
        // Subtract then divide in float32, as numpy does on a float32 array with Python float scalars.
        out[index] = (v - options.mean[c]) / options.std[c];
      }
    }
  }
  return tensor;
}

ColorOrder parse_color_order(const std::string& text) {
  if (text == "rgb") return ColorOrder::kRgb;
  if (text == "bgr") return ColorOrder::kBgr;
  fail(ErrorCode::kInvalidArgument, "--color must be rgb or bgr, got '", text, "'");
}

TensorLayout parse_layout(const std::string& text) {
  if (text == "nchw") return TensorLayout::kNchw;
  if (text == "nhwc") return TensorLayout::kNhwc;
  fail(ErrorCode::kInvalidArgument, "--layout must be nchw or nhwc, got '", text, "'");
}

std::array<float, 3> parse_three_floats(const std::string& text, const std::string& flag) {
  std::array<float, 3> values{};
  std::istringstream in(text);
  std::string item;
  size_t n = 0;
  while (std::getline(in, item, ',')) {
    OCTET_CHECK(n < 3, ErrorCode::kInvalidArgument, flag, " takes three comma-separated numbers, got '", text,
                "'");
    float v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    OCTET_CHECK(ec == std::errc() && end == item.data() + item.size() && std::isfinite(v),
                ErrorCode::kInvalidArgument, flag, ": '", item, "' is not a number");
    values[n++] = v;
  }
  OCTET_CHECK(n == 3, ErrorCode::kInvalidArgument, flag, " takes three comma-separated numbers, got '", text,
              "'");
  return values;
}

}  // namespace octet
