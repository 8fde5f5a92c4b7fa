// Image decoding against PIL: every fixture in tests/io/data was written by PIL 9.4 (the 16-bit PNG by hand
// with zlib), and the expected pixels are PIL's Image.open(f).convert("RGB") of it (see the script in the
// comment at the end of this file). Corrupt, truncated and missing files must give a clear octet::Error,
// never a crash.
#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "io/binary_file.h"
#include "io/image.h"
#include "octet/error.h"
#include "tests/io/test_paths.h"

namespace octet {
namespace {

std::string image_temp_file(const std::string& name, const std::string& bytes) {
  const std::string path = testing::scratch_path("image_test_" + name);
  write_binary_file(path, bytes);
  return path;
}

struct DecodeCase {
  std::string file;
  int width;
  int height;
  std::vector<uint8_t> rgb;
};

const std::vector<DecodeCase> kCases = {
    {"palette.png",
     3,
     2,
     {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 200, 100, 50, 1, 2, 3}},  // PIL mode P
    {"palette_trns.png",
     3,
     2,
     {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 200, 100, 50, 1, 2, 3}},  // PIL mode P
    {"grey.png",
     3,
     2,
     {0, 0, 0, 50, 50, 50, 100, 100, 100, 150, 150, 150, 200, 200, 200, 255, 255, 255}},  // PIL mode L
    {"grey_alpha.png",
     3,
     2,
     {0, 0, 0, 50, 50, 50, 100, 100, 100, 150, 150, 150, 200, 200, 200, 255, 255, 255}},  // PIL mode LA
    {"rgba.png",
     3,
     2,
     {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 200, 100, 50, 1, 2, 3}},  // PIL mode RGBA
    {"bilevel.png",
     3,
     2,
     {0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0}},  // PIL mode 1
    {"rgb16.png", 2, 2, {255, 0, 1, 3, 156, 0, 48, 212, 128, 1, 2, 255}},        // PIL mode RGB
    {"grey.jpg",
     8,
     8,
     {0,   0,   0,   16,  16,  16,  32,  32,  32,  48,  48,  48,  64,  64,  64,  80, 80, 80, 97, 97, 97,  112,
      112, 112, 8,   8,   8,   24,  24,  24,  40,  40,  40,  56,  56,  56,  72,  72, 72, 88, 88, 88, 105, 105,
      105, 120, 120, 120, 16,  16,  16,  32,  32,  32,  48,  48,  48,  64,  64,  64, 81, 81, 81, 96, 96,  96,
      113, 113, 113, 128, 128, 128, 24,  24,  24,  39,  39,  39,  56,  56,  56,  72, 72, 72, 88, 88, 88,  104,
      104, 104, 120, 120, 120, 136, 136, 136, 33,  33,  33,  48,  48,  48,  65,  65, 65, 80, 80, 80, 97,  97,
      97,  112, 112, 112, 129, 129, 129, 144, 144, 144, 40,  40,  40,  56,  56,  56, 72, 72, 72, 88, 88,  88,
      104, 104, 104, 120, 120, 120, 137, 137, 137, 152, 152, 152, 48,  48,  48,  64, 64, 64, 80, 80, 80,  96,
      96,  96,  112, 112, 112, 128, 128, 128, 145, 145, 145, 160, 160, 160, 56,  56, 56, 72, 72, 72, 88,  88,
      88,  104, 104, 104, 120, 120, 120, 136, 136, 136, 153, 153, 153, 168, 168, 168}},  // PIL mode L
    {"rgb.jpg",
     16,
     8,
     {0,   3,   0,   6,   5,   0,   22,  8,   8,   37,  7,   17,  53,  6,   26,  70,  6,   33,  88,  6,   44,
      103, 6,   49,  118, 5,   57,  133, 5,   62,  150, 7,   73,  167, 7,   81,  184, 5,   89,  199, 4,   96,
      215, 6,   107, 224, 9,   112, 6,   28,  7,   16,  30,  13,  31,  32,  24,  47,  33,  32,  63,  32,  40,
      79,  30,  49,  97,  31,  58,  112, 31,  64,  128, 31,  72,  143, 31,  77,  159, 32,  87,  176, 32,  94,
      194, 30,  103, 209, 30,  112, 224, 31,  120, 233, 34,  125, 8,   61,  19,  17,  63,  24,  31,  66,  34,
      47,  66,  44,  63,  64,  50,  81,  63,  59,  97,  65,  68,  114, 64,  75,  129, 65,  82,  144, 65,  87,
      160, 65,  97,  177, 65,  105, 194, 63,  113, 209, 64,  123, 224, 65,  131, 233, 68,  137, 7,   92,  25,
      16,  94,  32,  30,  98,  41,  46,  98,  50,  63,  95,  56,  80,  95,  66,  97,  96,  75,  112, 96,  81,
      127, 97,  89,  141, 95,  95,  159, 96,  104, 177, 96,  111, 193, 95,  120, 208, 94,  128, 223, 96,  139,
      232, 99,  144, 6,   125, 31,  15,  128, 38,  31,  130, 47,  47,  131, 56,  63,  128, 64,  80,  127, 72,
      97,  129, 80,  112, 129, 87,  128, 129, 95,  143, 129, 102, 160, 129, 109, 176, 129, 119, 193, 127, 128,
      209, 128, 135, 223, 129, 145, 233, 131, 152, 5,   156, 40,  15,  159, 45,  30,  161, 55,  46,  162, 63,
      63,  159, 70,  80,  159, 80,  97,  160, 89,  111, 160, 95,  127, 160, 103, 141, 159, 109, 158, 161, 118,
      175, 161, 126, 193, 159, 134, 207, 158, 143, 223, 160, 153, 232, 163, 158, 7,   189, 52,  16,  192, 57,
      31,  194, 67,  46,  194, 74,  64,  192, 83,  81,  192, 90,  98,  193, 101, 113, 193, 108, 128, 193, 113,
      142, 192, 119, 159, 194, 130, 176, 193, 138, 194, 191, 146, 209, 191, 153, 224, 193, 164, 233, 196, 170,
      16,  214, 65,  25,  217, 72,  41,  219, 81,  56,  219, 90,  74,  218, 97,  90,  216, 106, 107, 218, 115,
      122, 218, 121, 138, 218, 129, 153, 218, 136, 168, 219, 144, 186, 218, 153, 203, 216, 160, 219, 217, 169,
      233, 218, 177, 243, 221, 184}},  // PIL mode RGB
};

TEST(ImageDecode, MatchesPilConvertRgbForEveryColourType) {
  for (const DecodeCase& c : kCases) {
    SCOPED_TRACE(c.file);
    const RgbImage image = read_image(testing::io_fixture(c.file));
    EXPECT_EQ(image.width, c.width);
    EXPECT_EQ(image.height, c.height);
    EXPECT_EQ(image.pixels, c.rgb);
  }
}

ErrorCode error_code_of(const std::string& path, std::string* message) {
  try {
    read_image(path);
  } catch (const Error& e) {
    *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << path << " decoded without error";
  return ErrorCode::kInternal;
}

TEST(ImageDecode, MissingFileIsAnIoErrorNamingThePath) {
  std::string message;
  EXPECT_EQ(error_code_of("/nonexistent/octet/photo.png", &message), ErrorCode::kIo);
  EXPECT_NE(message.find("/nonexistent/octet/photo.png"), std::string::npos) << message;
}

TEST(ImageDecode, EmptyAndUnknownFilesAreInvalidArguments) {
  std::string message;
  EXPECT_EQ(error_code_of(image_temp_file("empty.png", ""), &message), ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  EXPECT_EQ(error_code_of(image_temp_file("text.jpg", "hello, not an image"), &message),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("not a JPEG or PNG"), std::string::npos) << message;
}

TEST(ImageDecode, TruncatedFilesAreInvalidArguments) {
  for (const std::string name : {"rgb.jpg", "grey.jpg", "rgba.png", "palette.png", "rgb16.png"}) {
    SCOPED_TRACE(name);
    const std::string bytes = read_binary_file(testing::io_fixture(name));
    for (size_t keep : {size_t{4}, size_t{12}, bytes.size() / 2, bytes.size() - 14}) {
      std::string message;
      const std::string path = image_temp_file("truncated_" + name, bytes.substr(0, keep));
      EXPECT_EQ(error_code_of(path, &message), ErrorCode::kInvalidArgument) << "kept " << keep << " bytes";
      EXPECT_NE(message.find(path), std::string::npos) << message;
    }
  }
}

// A valid signature followed by garbage: the decoders must report it, not crash or exit().
TEST(ImageDecode, RandomBytesAfterASignatureAreInvalidArguments) {
  std::mt19937 rng(42);
  for (const std::string& signature : {std::string("\xFF\xD8\xFF", 3), std::string("\x89PNG\r\n\x1A\n", 8)}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::string bytes = signature;
      for (int i = 0; i < 300; ++i) bytes += static_cast<char>(rng() & 0xFF);
      std::string message;
      EXPECT_EQ(error_code_of(image_temp_file("random.img", bytes), &message), ErrorCode::kInvalidArgument);
    }
  }
}

// Flipping bytes inside the compressed data of a real JPEG must not crash (it may decode to other pixels).
TEST(ImageDecode, CorruptedJpegDataNeverCrashes) {
  const std::string original = read_binary_file(testing::io_fixture("rgb.jpg"));
  std::mt19937 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::string bytes = original;
    for (int i = 0; i < 8; ++i) bytes[2 + rng() % (bytes.size() - 2)] = static_cast<char>(rng() & 0xFF);
    try {
      const RgbImage image = read_image(image_temp_file("flipped.jpg", bytes));
      EXPECT_EQ(image.pixels.size(), static_cast<size_t>(image.width) * image.height * 3);
    } catch (const Error& e) {
      EXPECT_NE(e.code(), ErrorCode::kInternal) << e.what();
    }
  }
}

// A decompression bomb: a 672-byte JPEG whose header now declares 8000x8000 pixels (64 M, under kMaxPixels).
// It is refused from the header, before the 192 MB pixel buffer is allocated (the image fuzzer used to spend
// most of its time on such inputs).
TEST(ImageDecode, JpegDeclaringFarMorePixelsThanItsBytesHoldIsRefused) {
  std::string bytes = read_binary_file(testing::io_fixture("rgb.jpg"));
  const size_t sof = bytes.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  // SOF0: marker, length (2), precision (1), height (2), width (2), big-endian.
  for (size_t at : {sof + 5, sof + 7}) {
    bytes[at] = static_cast<char>(8000 >> 8);
    bytes[at + 1] = static_cast<char>(8000 & 0xFF);
  }
  std::string message;
  EXPECT_EQ(error_code_of(image_temp_file("bomb.jpg", bytes), &message), ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("8000x8000 pixels is too large (or too large for its 672 bytes of data)"),
            std::string::npos)
      << message;
}

// The PNG twin: a signature, an IHDR chunk (valid CRC) declaring 8000x8000 1-bit grey pixels and an empty
// IDAT. 64 M pixels cannot come out of 45 bytes (deflate expands at most 1032:1), so it is refused from the
// header, before the 192 MB pixel buffer is allocated.
TEST(ImageDecode, PngDeclaringFarMorePixelsThanItsBytesHoldIsRefused) {
  const auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  // width, height, bit depth 1, colour type 0 (grey), compression 0, filter 0, interlace 0
  const std::string ihdr = "IHDR" + be32(8000) + be32(8000) + std::string("\x01\x00\x00\x00\x00", 5);
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), static_cast<uInt>(ihdr.size()));
  const uLong idat_crc = crc32(0, reinterpret_cast<const Bytef*>("IDAT"), 4);
  // libpng reads the header chunks up to the first IDAT (here an empty one) before it reports the size.
  const std::string bytes = std::string("\x89PNG\r\n\x1A\n", 8) + be32(13) + ihdr +
                            be32(static_cast<uint32_t>(crc)) + be32(0) + "IDAT" +
                            be32(static_cast<uint32_t>(idat_crc));
  std::string message;
  EXPECT_EQ(error_code_of(image_temp_file("bomb.png", bytes), &message), ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("8000x8000 pixels is too large (or too large for its 45 bytes of data)"),
            std::string::npos)
      << message;
}

// Writes an 8-bit RGB PNG with libpng (the independent oracle for the interlaced case: PIL cannot write
// Adam7). Returns "" if libpng fails.
std::string write_png(const std::vector<uint8_t>& rgb, int width, int height, bool interlaced) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::vector<png_bytep> rows(static_cast<size_t>(height));
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return "";
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, size_t size) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), size);
      },
      nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB, interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  for (int y = 0; y < height; ++y)
    rows[static_cast<size_t>(y)] = const_cast<uint8_t*>(&rgb[static_cast<size_t>(y) * width * 3]);
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// Non-interlaced PNGs are decoded row by row into a growing buffer, Adam7 ones into a buffer allocated up
// front: both must give back the pixels libpng was given, and both must fail cleanly when cut short.
TEST(ImageDecode, InterlacedAndRowByRowPngsRoundTripAndTruncateCleanly) {
  constexpr int kWidth = 37, kHeight = 23;
  std::mt19937 rng(3);
  std::vector<uint8_t> rgb(static_cast<size_t>(kWidth) * kHeight * 3);
  for (uint8_t& v : rgb) v = static_cast<uint8_t>(rng() & 0xFF);
  for (bool interlaced : {false, true}) {
    SCOPED_TRACE(interlaced ? "Adam7" : "not interlaced");
    const std::string bytes = write_png(rgb, kWidth, kHeight, interlaced);
    ASSERT_FALSE(bytes.empty());
    const RgbImage image = read_image(image_temp_file("roundtrip.png", bytes));
    EXPECT_EQ(image.width, kWidth);
    EXPECT_EQ(image.height, kHeight);
    EXPECT_EQ(image.pixels, rgb);
    std::string message;
    EXPECT_EQ(
        error_code_of(image_temp_file("roundtrip_cut.png", bytes.substr(0, bytes.size() / 2)), &message),
        ErrorCode::kInvalidArgument);
    EXPECT_NE(message.find("truncated PNG"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace octet

// The fixtures and expected values were made with /usr/bin/python3 and PIL 9.4.0:
//   img.save(f, "PNG", optimize=True) for modes P (with and without transparency=1), L, LA, RGBA, 1;
//   img.save(f, "JPEG", quality=90) for an 8x8 L and a 16x8 RGB gradient;
//   rgb16.png: IHDR bit depth 16, colour type 2, written with zlib;
//   expected = numpy.asarray(Image.open(f).convert("RGB")).flatten().
