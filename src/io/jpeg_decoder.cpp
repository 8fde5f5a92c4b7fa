// JPEG decoding with libjpeg-turbo, with the library's defaults (ISLOW IDCT, fancy upsampling) as PIL uses
// them, so that pixels match PIL's when both link the same libjpeg-turbo.
//
// libjpeg reports fatal errors through error_exit(), which by default calls exit(). We longjmp out of it
// instead. To keep that well defined in C++, the function that calls setjmp() creates no object with a
// destructor after the setjmp(): everything it owns lives in the caller's frame.
#include <csetjmp>
#include <cstdio>
// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include "io/image.h"
#include "octet/error.h"

namespace octet {
namespace {

constexpr int64_t kMaxJpegPixels = int64_t{1} << 28;  // 268 M pixels: more is a hostile header, not a photo
// A decompression bomb is a few bytes whose header declares a huge image. Even a block that holds nothing but
// a DC value costs a few bits per 8x8 block and component, about 85 pixels per byte with 4:2:0 chroma (170
// with one-bit codes); no Huffman-coded JPEG holds more than kMaxJpegPixelsPerByte pixels per byte of file,
// so a header that declares more (beyond a small image's allowance) is refused before anything is allocated.
// (An arithmetic-coded JPEG of a nearly flat image could compress further; above the allowance it is refused
// too.)
constexpr int64_t kMaxJpegPixelsPerByte = 1024;
constexpr int64_t kSmallJpegPixels = int64_t{1} << 20;

struct JpegErrorManager {
  jpeg_error_mgr base;  // first member: libjpeg hands us a pointer to it
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_fatal_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  err->base.format_message(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings are silent, except premature end of data: PIL treats a truncated JPEG as an error, and so do we
// (libjpeg would fill the rest of the image with grey).
void on_message(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  if (level < 0 && err->base.msg_code == JWRN_JPEG_EOF) {
    err->base.format_message(cinfo, err->message);
    std::longjmp(err->jump, 1);
  }
}

enum class JpegStatus { kOk, kCorrupt, kCmyk, kTooLarge };

// Decodes into `image`; on kCorrupt, `err.message` says why. Only trivially destructible locals here.
JpegStatus decode_into(const std::string& bytes, jpeg_decompress_struct& cinfo, JpegErrorManager& err,
                       RgbImage& image) {
  cinfo.err = jpeg_std_error(&err.base);
  err.base.error_exit = on_fatal_error;
  err.base.emit_message = on_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return JpegStatus::kCorrupt;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    jpeg_destroy_decompress(&cinfo);
    return JpegStatus::kCmyk;
  }
  const int64_t pixels = static_cast<int64_t>(cinfo.image_width) * cinfo.image_height;
  if (pixels > kMaxJpegPixels ||
      pixels > kSmallJpegPixels + kMaxJpegPixelsPerByte * static_cast<int64_t>(bytes.size())) {
    jpeg_destroy_decompress(&cinfo);
    return JpegStatus::kTooLarge;
  }
  cinfo.out_color_space = JCS_RGB;  // libjpeg-turbo replicates greyscale to R, G and B
  jpeg_start_decompress(&cinfo);
  image.width = static_cast<int>(cinfo.output_width);
  image.height = static_cast<int>(cinfo.output_height);
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = image.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * image.width * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return JpegStatus::kOk;
}

}  // namespace

RgbImage decode_jpeg(const std::string& bytes, const std::string& name) {
  RgbImage image;
  jpeg_decompress_struct cinfo{};
  JpegErrorManager err{};
  switch (decode_into(bytes, cinfo, err, image)) {
    case JpegStatus::kOk:
      return image;
    case JpegStatus::kCorrupt:
      fail(ErrorCode::kInvalidArgument, name, ": corrupt or truncated JPEG: ", err.message);
    case JpegStatus::kCmyk:
      fail(ErrorCode::kUnsupported, name, ": CMYK JPEGs are not supported");
    case JpegStatus::kTooLarge:
      fail(ErrorCode::kInvalidArgument, name, ": JPEG of ", cinfo.image_width, "x", cinfo.image_height,
           " pixels is too large (or too large for its ", bytes.size(), " bytes of data)");
  }
  fail(ErrorCode::kInternal, "unreachable");
}

}  // namespace octet
