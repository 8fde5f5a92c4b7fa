#include "io/idx_dataset.h"

#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <memory>

namespace octet {
namespace {

constexpr size_t kMaxIdxBytes = size_t{1} << 32;  // the largest Fashion-MNIST file is 47 MB unpacked

// gzread() reads gzip and plain files alike, so an unpacked idx file works too.
std::string read_maybe_gzipped(const std::string& path) {
  std::error_code ec;
  OCTET_CHECK(std::filesystem::is_regular_file(path, ec), ErrorCode::kIo, "cannot open ", path,
              ": no such file");
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  OCTET_CHECK(file != nullptr, ErrorCode::kIo, "cannot open ", path);
  std::string bytes;
  char buffer[1 << 16];
  while (true) {
    const int n = gzread(file.get(), buffer, sizeof(buffer));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      fail(ErrorCode::kInvalidArgument, path, ": corrupt gzip data: ", message);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
    OCTET_CHECK(bytes.size() <= kMaxIdxBytes, ErrorCode::kInvalidArgument, path, ": idx file is too large");
  }
  return bytes;
}

uint32_t big_endian_u32(const std::string& bytes, size_t offset) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return v;
}

}  // namespace

Tensor read_idx_file(const std::string& path) {
  const std::string bytes = read_maybe_gzipped(path);
  OCTET_CHECK(bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0, ErrorCode::kInvalidArgument, path,
              ": not an idx file (bad magic)");
  OCTET_CHECK(static_cast<uint8_t>(bytes[2]) == 0x08, ErrorCode::kUnsupported, path, ": idx element type 0x",
              std::hex, static_cast<int>(static_cast<uint8_t>(bytes[2])),
              " is not supported (only 0x08, u8)");
  const size_t rank = static_cast<uint8_t>(bytes[3]);
  OCTET_CHECK(rank >= 1 && bytes.size() >= 4 + 4 * rank, ErrorCode::kInvalidArgument, path,
              ": idx header truncated or of rank 0");
  Dims dims;
  for (size_t i = 0; i < rank; ++i) dims.push_back(big_endian_u32(bytes, 4 + 4 * i));
  const size_t header = 4 + 4 * rank;
  const uint64_t data_size = bytes.size() - header;
  // Checked before multiplying so that hostile dims cannot overflow the product.
  uint64_t count = 1;
  for (int64_t d : dims) {
    OCTET_CHECK(d == 0 || count <= data_size / static_cast<uint64_t>(d), ErrorCode::kInvalidArgument, path,
                ": idx dims ", to_string(dims), " need more data than the file's ", data_size, " bytes");
    count *= static_cast<uint64_t>(d);
  }
  OCTET_CHECK(count == data_size, ErrorCode::kInvalidArgument, path, ": idx dims ", to_string(dims), " need ",
              count, " bytes of data, the file has ", bytes.size() - header);
  Tensor tensor(ElementType::kU8, dims);
  std::memcpy(tensor.raw_data(), bytes.data() + header, static_cast<size_t>(count));
  return tensor;
}

LabeledImages read_fashion_mnist_set(const std::string& dir, const std::string& prefix) {
  const std::string images_path = (std::filesystem::path(dir) / (prefix + "-images-idx3-ubyte.gz")).string();
  const std::string labels_path = (std::filesystem::path(dir) / (prefix + "-labels-idx1-ubyte.gz")).string();
  LabeledImages set{read_idx_file(images_path), read_idx_file(labels_path)};
  const Dims& d = set.images.dims();
  OCTET_CHECK(d.size() == 3 && d[1] == 28 && d[2] == 28, ErrorCode::kInvalidArgument, images_path,
              ": expected images of [N,28,28], got ", to_string(d));
  OCTET_CHECK(set.labels.rank() == 1 && set.labels.dims()[0] == d[0], ErrorCode::kInvalidArgument,
              labels_path, ": expected ", d[0], " labels, got ", to_string(set.labels.dims()));
  for (uint8_t label : set.labels.values<uint8_t>())
    OCTET_CHECK(label < 10, ErrorCode::kInvalidArgument, labels_path, ": label ", int{label},
                " is not in 0..9");
  return set;
}

}  // namespace octet
