#include "evaluation/label_map.h"

#include <cmath>

#include "io/binary_file.h"
#include "io/file_extension.h"
#include "io/image.h"
#include "io/tensor_file.h"

namespace octet::evaluation {
namespace {

LabelMap from_tensor(const Tensor& t, const std::string& what) {
  const Dims& d = t.dims();
  const size_t r = d.size();
  const bool leading_ones = r >= 2 && r <= 4 && (r < 3 || d[0] == 1) && (r < 4 || d[1] == 1);
  OCTET_CHECK(leading_ones, ErrorCode::kInvalidArgument, what, ": expected [H,W], [1,H,W] or [1,1,H,W], got ",
              t.description());
  LabelMap map;
  map.width = static_cast<int>(d[r - 1]);
  map.height = static_cast<int>(d[r - 2]);
  map.labels.resize(static_cast<size_t>(t.element_count()));
  for (int64_t i = 0; i < t.element_count(); ++i) {
    const double v = t.value_as_double(i);
    OCTET_CHECK(std::isfinite(v) && v == std::floor(v) && v >= -1 && v < 2147483647.0,
                ErrorCode::kInvalidArgument, what, ": element ", i, " (", v, ") is not a class index");
    map.labels[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
  return map;
}

}  // namespace

LabelMap read_label_mask(const std::string& path) {
  const std::string ext = lowercase_extension(path);
  if (ext == ".npy") {
    const Tensor t = read_npy(path);
    OCTET_CHECK(t.type() != ElementType::kF32 && t.type() != ElementType::kF16, ErrorCode::kInvalidArgument,
                path, ": a mask .npy must hold integers, got ", t.description());
    return from_tensor(t, path);
  }
  OCTET_CHECK(ext == ".png", ErrorCode::kUnsupported, path,
              ": masks must be greyscale .png or integer .npy files (a lossy JPEG mask is not exact)");
  // PNG colour type is byte 25 of the file (IHDR); 3 means palette.
  const std::string bytes = read_binary_file(path);
  OCTET_CHECK(bytes.size() < 26 || static_cast<uint8_t>(bytes[25]) != 3, ErrorCode::kUnsupported, path,
              ": palette PNG masks are not supported (their colours are not class indices); save the mask "
              "as a greyscale PNG or an integer .npy");
  const RgbImage image = decode_png(bytes, path);
  LabelMap map;
  map.width = image.width;
  map.height = image.height;
  map.labels.resize(static_cast<size_t>(image.width) * image.height);
  for (size_t i = 0; i < map.labels.size(); ++i) map.labels[i] = image.pixels[i * 3];
  return map;
}

LabelMap predicted_labels(const Tensor& output) {
  const Dims& d = output.dims();
  if (d.size() == 4 && d[0] == 1 && d[1] >= 2) {
    OCTET_CHECK(output.type() == ElementType::kF32, ErrorCode::kInvalidArgument,
                "a segmentation output must be f32, got ", output.description());
    const int64_t classes = d[1], plane = d[2] * d[3];
    LabelMap map;
    map.width = static_cast<int>(d[3]);
    map.height = static_cast<int>(d[2]);
    map.labels.assign(static_cast<size_t>(plane), 0);
    const float* v = output.data<float>();
    for (int64_t p = 0; p < plane; ++p) {
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (v[c * plane + p] > v[best * plane + p]) best = c;
      map.labels[static_cast<size_t>(p)] = static_cast<int32_t>(best);
    }
    return map;
  }
  OCTET_CHECK(d.size() == 3 || d.size() == 4, ErrorCode::kInvalidArgument,
              "a segmentation output must be [1,C,H,W] scores or [1,H,W] classes, got ",
              output.description());
  return from_tensor(output, "segmentation output");
}

LabelMap resize_nearest(const LabelMap& map, int width, int height) {
  if (map.width == width && map.height == height) return map;
  LabelMap out;
  out.width = width;
  out.height = height;
  out.labels.resize(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    const int sy = std::min(map.height - 1, static_cast<int>((y + 0.5) * map.height / height));
    for (int x = 0; x < width; ++x) {
      const int sx = std::min(map.width - 1, static_cast<int>((x + 0.5) * map.width / width));
      out.labels[static_cast<size_t>(y) * width + x] = map.labels[static_cast<size_t>(sy) * map.width + sx];
    }
  }
  return out;
}

}  // namespace octet::evaluation
