#include "io/image.h"

#include <cstring>

#include "io/binary_file.h"
#include "octet/error.h"

namespace octet {

RgbImage read_image(const std::string& path) {
  return decode_image(read_binary_file(path), path);
}

RgbImage decode_image(const std::string& bytes, const std::string& path) {
  OCTET_CHECK(!bytes.empty(), ErrorCode::kInvalidArgument, path, ": image file is empty");
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xFF\xD8\xFF", 3) == 0) return decode_jpeg(bytes, path);
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\x89PNG\r\n\x1A\n", 8) == 0)
    return decode_png(bytes, path);
  fail(ErrorCode::kInvalidArgument, path, ": not a JPEG or PNG file (unrecognized signature)");
}

}  // namespace octet
