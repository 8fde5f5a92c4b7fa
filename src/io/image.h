// Decoded images: 8-bit RGB, row-major, interleaved (HWC). Decoders for JPEG (libjpeg-turbo) and PNG (libpng)
// turn every colour type they accept into this one form, as PIL's Image.convert("RGB") does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace octet {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // height * width * 3 bytes, R G B per pixel

  uint8_t at(int y, int x, int c) const { return pixels[(static_cast<size_t>(y) * width + x) * 3 + c]; }
};

// Decodes a JPEG or PNG file (picked by its magic bytes, not its name). A missing or unreadable file is kIo;
// a corrupt or truncated one is kInvalidArgument; a valid file in a form we do not decode (CMYK JPEG, ...) is
// kUnsupported. Every message names the path.
RgbImage read_image(const std::string& path);

// The decoders behind read_image, on bytes in memory; `name` is only used in messages. decode_image picks
// one by the magic bytes, as read_image does.
RgbImage decode_image(const std::string& bytes, const std::string& name);
RgbImage decode_jpeg(const std::string& bytes, const std::string& name);
RgbImage decode_png(const std::string& bytes, const std::string& name);

}  // namespace octet
