// JPEG and PNG images (picked by their magic bytes), as `octet run --image` and the data sets decode them.
#include "fuzz/fuzz_support.h"
#include "io/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = octet::fuzz::to_bytes(data, size);
  octet::fuzz::expect_only_octet_errors([&] {
    const octet::RgbImage image = octet::decode_image(bytes, "fuzz image");
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3)
      octet::fuzz::report_finding("image", "decoded size does not match width x height x 3");
  });
  return 0;
}
