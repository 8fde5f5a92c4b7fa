// PNG decoding with libpng's classic API, converting every colour type to 8-bit RGB the way PIL's
// convert("RGB") does: palette -> its colours, grey -> replicated, alpha (and tRNS) dropped without
// compositing, 16-bit samples -> their high byte (as PIL's "RGB;16B" unpacker), no gamma correction.
//
// libpng reports errors by longjmp to png_jmpbuf(); as in jpeg_decoder.cpp, the function that calls setjmp()
// owns no object with a destructor.
#include <png.h>

#include <algorithm>
#include <climits>
#include <csetjmp>
#include <cstring>
#include <vector>

#include "io/image.h"
#include "octet/error.h"

namespace octet {
namespace {

constexpr int64_t kMaxPngPixels = int64_t{1} << 28;
// A decompression bomb declares a huge image in a few bytes. Deflate expands at most 1032:1 and a 1-bit grey
// pixel takes an eighth of a byte, so no PNG holds more than 8 * 1032 pixels per byte of file: a header that
// declares more (beyond a small image's allowance) is refused before anything is allocated.
constexpr int64_t kMaxPngPixelsPerByte = 8 * 1032;
constexpr int64_t kSmallPngPixels = int64_t{1} << 20;

struct PngReadState {
  const std::string* bytes;
  size_t offset = 0;
  char message[256] = {};
};

void on_error(png_structp png, png_const_charp message) {
  auto* state = static_cast<PngReadState*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof(state->message), "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp /*png*/, png_const_charp /*message*/) {}

void read_bytes(png_structp png, png_bytep out, size_t count) {
  auto* state = static_cast<PngReadState*>(png_get_io_ptr(png));
  if (count > state->bytes->size() - state->offset) png_error(png, "unexpected end of file (truncated PNG)");
  std::memcpy(out, state->bytes->data() + state->offset, count);
  state->offset += count;
}

enum class PngStatus { kOk, kCorrupt, kTooLarge, kOutOfMemory };

// `rows` is filled with pointers into image.pixels; it lives in the caller so that no destructor is skipped.
PngStatus decode_into(PngReadState& state, RgbImage& image, std::vector<png_bytep>& rows) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
  if (!png) return PngStatus::kOutOfMemory;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return PngStatus::kOutOfMemory;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return PngStatus::kCorrupt;
  }
  png_set_read_fn(png, &state, read_bytes);
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  const int64_t pixels = static_cast<int64_t>(width) * height;
  if (pixels > kMaxPngPixels ||
      pixels > kSmallPngPixels + kMaxPngPixelsPerByte * static_cast<int64_t>(state.bytes->size())) {
    image.width = static_cast<int>(std::min<png_uint_32>(width, INT32_MAX));  // for the message
    image.height = static_cast<int>(std::min<png_uint_32>(height, INT32_MAX));
    png_destroy_read_struct(&png, &info, nullptr);
    return PngStatus::kTooLarge;
  }
  const int color_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((color_type & PNG_COLOR_MASK_COLOR) == 0) {
    if (bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_gray_to_rgb(png);
  }
  if (bit_depth == 16) png_set_strip_16(png);
  png_set_strip_alpha(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8)
    png_error(png, "unexpected pixel format");

  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  const size_t row_bytes = static_cast<size_t>(width) * 3;
  if (passes == 1) {
    // Row by row into a growing buffer: a truncated stream fails after the rows it holds, having allocated
    // about that much, not the whole declared image.
    for (png_uint_32 y = 0; y < height; ++y) {
      image.pixels.resize((static_cast<size_t>(y) + 1) * row_bytes);
      png_read_row(png, image.pixels.data() + static_cast<size_t>(y) * row_bytes, nullptr);
    }
  } else {
    // Adam7 revisits every row in each pass, so the whole image is needed up front.
    image.pixels.resize(row_bytes * height);
    rows.resize(height);
    for (png_uint_32 y = 0; y < height; ++y)
      rows[y] = image.pixels.data() + static_cast<size_t>(y) * row_bytes;
    png_read_image(png, rows.data());
  }
  png_destroy_read_struct(&png, &info, nullptr);
  return PngStatus::kOk;
}

}  // namespace

RgbImage decode_png(const std::string& bytes, const std::string& name) {
  PngReadState state{&bytes};
  RgbImage image;
  std::vector<png_bytep> rows;
  switch (decode_into(state, image, rows)) {
    case PngStatus::kOk:
      return image;
    case PngStatus::kCorrupt:
      fail(ErrorCode::kInvalidArgument, name, ": corrupt or truncated PNG: ", state.message);
    case PngStatus::kTooLarge:
      fail(ErrorCode::kInvalidArgument, name, ": PNG of ", image.width, "x", image.height,
           " pixels is too large (or too large for its ", bytes.size(), " bytes of data)");
    case PngStatus::kOutOfMemory:
      fail(ErrorCode::kInternal, name, ": libpng could not allocate its state");
  }
  fail(ErrorCode::kInternal, "unreachable");
}

}  // namespace octet
