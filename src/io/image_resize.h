// Image resizing that reproduces PIL's Image.resize(size, Image.BILINEAR) bit for bit on 8-bit RGB images.
#pragma once

#include "io/image.h"

namespace octet {

// PIL's BILINEAR: a triangle filter whose support grows with the scale factor when shrinking (so it
// antialiases), applied horizontally then vertically with 22-bit fixed-point weights and 8-bit rounding in
// between. An image that already has the requested size is returned unchanged.
RgbImage resize_bilinear(const RgbImage& image, int width, int height);

}  // namespace octet
