// idx files: hand-made small ones (plain and gzip), malformed ones, and Debian's Fashion-MNIST test set when
// it is installed (its first labels 9, 2, 1, 1 and image sizes are what numpy reads from the same files).
#include "io/idx_dataset.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>

#include "io/binary_file.h"
#include "octet/error.h"
#include "tests/io/test_paths.h"

namespace octet {
namespace {

std::string idx_temp_path(const std::string& name) {
  return testing::scratch_path("idx_test_" + name);
}

std::string write_gzip(const std::string& name, const std::string& bytes) {
  const std::string path = idx_temp_path(name);
  gzFile f = gzopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(f);
  return path;
}

// Magic 00 00 08 02, dims 2 x 3, then the six bytes 1..6.
const std::string kTwoByThree("\x00\x00\x08\x02\x00\x00\x00\x02\x00\x00\x00\x03\x01\x02\x03\x04\x05\x06", 18);

TEST(IdxDataset, ReadsPlainAndGzippedFiles) {
  const std::string plain = idx_temp_path("plain.idx");
  write_binary_file(plain, kTwoByThree);
  for (const std::string& path : {plain, write_gzip("packed.idx.gz", kTwoByThree)}) {
    const Tensor t = read_idx_file(path);
    EXPECT_EQ(t.type(), ElementType::kU8);
    EXPECT_EQ(t.dims(), Dims({2, 3}));
    EXPECT_EQ(t.to_int64_vector(), std::vector<int64_t>({1, 2, 3, 4, 5, 6}));
  }
}

TEST(IdxDataset, MalformedFilesAreErrors) {
  EXPECT_THROW(read_idx_file(idx_temp_path("does_not_exist.gz")), Error);
  const std::vector<std::string> bad = {
      "",                                                      // empty
      std::string("\x01\x00\x08\x01\x00\x00\x00\x01\x05", 9),  // bad magic
      kTwoByThree.substr(0, 10),                               // truncated header
      kTwoByThree.substr(0, 16),                               // truncated data
      kTwoByThree + "x",                                       // extra data
      std::string("\x00\x00\x08\x03\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", 17),  // huge dims
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(i);
    const std::string path = write_gzip(str_cat("bad", i, ".gz"), bad[i]);
    try {
      read_idx_file(path);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
  std::string floats = kTwoByThree;
  floats[2] = 0x0D;  // f32 elements
  try {
    read_idx_file(write_gzip("floats.gz", floats));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  }
  // Not gzip-compressed at all but claiming to be, with corrupt deflate data after a gzip header.
  const std::string corrupt = idx_temp_path("corrupt.gz");
  write_binary_file(corrupt, std::string("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03garbage-garbage", 25));
  EXPECT_THROW(read_idx_file(corrupt), Error);
}

TEST(IdxDataset, ReadsTheFashionMnistTestSet) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist absent";
  const LabeledImages set = read_fashion_mnist_test_set(dir);
  EXPECT_EQ(set.images.dims(), Dims({10000, 28, 28}));
  EXPECT_EQ(set.labels.dims(), Dims({10000}));
  EXPECT_EQ(set.labels.value_as_int64(0), 9);
  EXPECT_EQ(set.labels.value_as_int64(1), 2);
  EXPECT_EQ(set.labels.value_as_int64(2), 1);
  EXPECT_EQ(set.labels.value_as_int64(3), 1);
  EXPECT_EQ(kFashionMnistClassNames[9], "Ankle boot");
}

}  // namespace
}  // namespace octet
