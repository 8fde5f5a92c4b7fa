// The arithmetic below follows PIL's separable resampler (libImaging/Resample.c) step for step, because
// "bilinear" alone does not define the pixels: where the filter window is centred, how it is clipped at the
// borders, how weights are normalized and rounded to fixed point, and where results are rounded to 8 bits all
// change the output by one here and there. Every such choice is PIL's; see docs/preprocessing.md.
#include "io/image_resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "octet/error.h"

namespace octet {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // weights in 22-bit fixed point, sums fit in int32

// For each output pixel along one axis: the first input pixel it reads, how many it reads, and their weights.
struct AxisCoefficients {
  int window = 0;                // weights stored per output pixel (some trailing ones are zero)
  std::vector<int> first;        // per output pixel
  std::vector<int> count;        // per output pixel
  std::vector<int32_t> weights;  // output pixel i uses weights[i * window .. + count[i])
};

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

AxisCoefficients compute_coefficients(int in_size, int out_size) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = 1.0 * filter_scale;  // the triangle's support is 1, widened when shrinking
  AxisCoefficients c;
  c.window = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(out_size);
  c.count.resize(out_size);
  c.weights.assign(static_cast<size_t>(out_size) * c.window, 0);
  std::vector<double> w(c.window);
  const double inverse_filter_scale = 1.0 / filter_scale;  // PIL multiplies by the inverse; so do we
  for (int i = 0; i < out_size; ++i) {
    const double center = (i + 0.5) * scale;
    // PIL rounds the window ends by truncating (x + 0.5) toward zero, then clips them to the image.
    const int lo = std::max(static_cast<int>(center - support + 0.5), 0);
    const int hi = std::min(static_cast<int>(center + support + 0.5), in_size);
    const int n = hi - lo;
    double total = 0.0;
    for (int k = 0; k < n; ++k) {
      w[k] = triangle((k + lo - center + 0.5) * inverse_filter_scale);
      total += w[k];
    }
    for (int k = 0; k < n; ++k) {
      const double normalized = total != 0.0 ? w[k] / total : w[k];
      const double fixed = normalized * (1 << kPrecisionBits);
      c.weights[static_cast<size_t>(i) * c.window + k] =
          static_cast<int32_t>(normalized < 0 ? fixed - 0.5 : fixed + 0.5);
    }
    c.first[i] = lo;
    c.count[i] = n;
  }
  return c;
}

uint8_t clip_to_8_bits(int32_t sum) {
  if (sum >= (1 << kPrecisionBits << 8)) return 255;
  if (sum <= 0) return 0;
  return static_cast<uint8_t>(sum >> kPrecisionBits);
}

RgbImage resize_horizontal(const RgbImage& in, int out_width) {
  const AxisCoefficients c = compute_coefficients(in.width, out_width);
  RgbImage out{out_width, in.height, std::vector<uint8_t>(static_cast<size_t>(out_width) * in.height * 3)};
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < out_width; ++x) {
      const int32_t* w = &c.weights[static_cast<size_t>(x) * c.window];
      for (int ch = 0; ch < 3; ++ch) {
        int32_t sum = 1 << (kPrecisionBits - 1);
        for (int k = 0; k < c.count[x]; ++k) sum += in.at(y, c.first[x] + k, ch) * w[k];
        out.pixels[(static_cast<size_t>(y) * out_width + x) * 3 + ch] = clip_to_8_bits(sum);
      }
    }
  }
  return out;
}

RgbImage resize_vertical(const RgbImage& in, int out_height) {
  const AxisCoefficients c = compute_coefficients(in.height, out_height);
  RgbImage out{in.width, out_height, std::vector<uint8_t>(static_cast<size_t>(in.width) * out_height * 3)};
  for (int y = 0; y < out_height; ++y) {
    const int32_t* w = &c.weights[static_cast<size_t>(y) * c.window];
    for (int x = 0; x < in.width; ++x) {
      for (int ch = 0; ch < 3; ++ch) {
        int32_t sum = 1 << (kPrecisionBits - 1);
        for (int k = 0; k < c.count[y]; ++k) sum += in.at(c.first[y] + k, x, ch) * w[k];
        out.pixels[(static_cast<size_t>(y) * in.width + x) * 3 + ch] = clip_to_8_bits(sum);
      }
    }
  }
  return out;
}

}  // namespace

RgbImage resize_bilinear(const RgbImage& image, int width, int height) {
  OCTET_CHECK(width > 0 && height > 0 && width <= (1 << 16) && height <= (1 << 16),
              ErrorCode::kInvalidArgument, "cannot resize an image to ", width, "x", height);
  OCTET_CHECK(image.width > 0 && image.height > 0, ErrorCode::kInvalidArgument,
              "cannot resize an empty image");
  RgbImage out = image;
  // Horizontal first, then vertical, as PIL does (the order matters because of the 8-bit rounding in
  // between).
  if (width != out.width) out = resize_horizontal(out, width);
  if (height != out.height) out = resize_vertical(out, height);
  return out;
}

}  // namespace octet
