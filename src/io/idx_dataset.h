// The idx format of MNIST and Fashion-MNIST (big-endian magic 0x0000 type rank, one u32 per dim, then the
// data), optionally gzip-compressed as distributed, and the Fashion-MNIST test set built on it.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "octet/tensor.h"

namespace octet {

// Reads an idx file of unsigned bytes (type 0x08), gzip-compressed or not; returns a u8 tensor with the
// file's dims. Malformed files are kInvalidArgument, unreadable ones kIo.
Tensor read_idx_file(const std::string& path);

struct LabeledImages {
  Tensor images;  // u8 [N,28,28]
  Tensor labels;  // u8 [N], 0..9
};

// Reads <prefix>-images-idx3-ubyte.gz and <prefix>-labels-idx1-ubyte.gz from `dir` (prefix "t10k": the
// 10,000 test images, "train": the 60,000 training images) and checks that they agree.
LabeledImages read_fashion_mnist_set(const std::string& dir, const std::string& prefix);
inline LabeledImages read_fashion_mnist_test_set(const std::string& dir) {
  return read_fashion_mnist_set(dir, "t10k");
}

inline constexpr std::array<std::string_view, 10> kFashionMnistClassNames = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

}  // namespace octet
