// .npy reading and writing. The fixtures in tests/io/data were written by numpy 1.24 (np.save, and
// np.lib.format.write_array with version=(2,0)/(3,0)); their values are in the comments below.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "io/binary_file.h"
#include "io/tensor_file.h"
#include "octet/error.h"
#include "tests/io/test_paths.h"

namespace octet {
namespace {

std::string npy_temp_path(const std::string& name) {
  return testing::scratch_path("npy_test_" + name);
}

std::string npy_temp_file(const std::string& name, const std::string& bytes) {
  const std::string path = npy_temp_path(name);
  write_binary_file(path, bytes);
  return path;
}

// np.arange(6, dtype="<f4").reshape(2, 3) * 0.5
TEST(Npy, ReadsNumpyVersion1Float32) {
  const Tensor t = read_npy(testing::io_fixture("f32_2x3.npy"));
  EXPECT_EQ(t.type(), ElementType::kF32);
  EXPECT_EQ(t.dims(), Dims({2, 3}));
  const std::vector<float> expected = {0.f, 0.5f, 1.f, 1.5f, 2.f, 2.5f};
  EXPECT_EQ(std::vector<float>(t.values<float>().begin(), t.values<float>().end()), expected);
}

// np.array([-1, 0, 2**40, 7], "<i8") written as format 2.0
TEST(Npy, ReadsVersion2Int64) {
  const Tensor t = read_npy(testing::io_fixture("i64_4_v2.npy"));
  EXPECT_EQ(t.dims(), Dims({4}));
  EXPECT_EQ(t.to_int64_vector(), std::vector<int64_t>({-1, 0, int64_t{1} << 40, 7}));
}

// np.array([[True, False], [False, True]]) written as format 3.0
TEST(Npy, ReadsVersion3Bool) {
  const Tensor t = read_npy(testing::io_fixture("b1_2x2_v3.npy"));
  EXPECT_EQ(t.type(), ElementType::kBool);
  EXPECT_EQ(t.dims(), Dims({2, 2}));
  EXPECT_EQ(t.to_int64_vector(), std::vector<int64_t>({1, 0, 0, 1}));
}

// np.float16(1.5): a rank-0 array
TEST(Npy, ReadsFloat16Scalar) {
  const Tensor t = read_npy(testing::io_fixture("f16_scalar.npy"));
  EXPECT_EQ(t.type(), ElementType::kF16);
  EXPECT_EQ(t.dims(), Dims{});
  EXPECT_EQ(t.value_as_double(0), 1.5);
}

TEST(Npy, WritesTheSameBytesAsNumpy) {
  const Tensor t = read_npy(testing::io_fixture("f32_2x3.npy"));
  const std::string path = npy_temp_path("rewrite.npy");
  write_npy(path, t);
  EXPECT_EQ(read_binary_file(path), read_binary_file(testing::io_fixture("f32_2x3.npy")));
  const std::string scalar = npy_temp_path("scalar.npy");
  write_npy(scalar, read_npy(testing::io_fixture("f16_scalar.npy")));
  EXPECT_EQ(read_binary_file(scalar), read_binary_file(testing::io_fixture("f16_scalar.npy")));
}

template <typename T>
Tensor sample_tensor(Dims dims) {
  Tensor t(element_type_of<T>(), dims);
  auto values = t.values<T>();
  for (size_t i = 0; i < values.size(); ++i) {
    if constexpr (std::is_same_v<T, Float16>) {
      values[i] = Float16(static_cast<float>(i) * 0.25f - 1.f);
    } else if constexpr (std::is_same_v<T, bool>) {
      values[i] = i % 3 == 0;
    } else {
      values[i] = static_cast<T>(static_cast<int>(i * 37 % 251) - 100);
    }
  }
  return t;
}

void expect_round_trip(const Tensor& t, const std::string& name) {
  SCOPED_TRACE(name);
  const std::string path = npy_temp_path(name + ".npy");
  write_tensor_file(path, t);
  const NamedTensor back = read_tensor_file(path);
  EXPECT_EQ(back.tensor.type(), t.type());
  EXPECT_EQ(back.tensor.dims(), t.dims());
  ASSERT_EQ(back.tensor.byte_size(), t.byte_size());
  EXPECT_EQ(std::memcmp(back.tensor.raw_data(), t.raw_data(), t.byte_size()), 0);
}

TEST(Npy, RoundTripsEveryElementTypeAndRank) {
  for (const Dims& dims : {Dims{}, Dims{1}, Dims{5}, Dims{2, 3}, Dims{1, 3, 4, 5}, Dims{2, 0, 3}}) {
    const std::string shape = to_string(dims);
    expect_round_trip(sample_tensor<float>(dims), "f32" + shape);
    expect_round_trip(sample_tensor<Float16>(dims), "f16" + shape);
    expect_round_trip(sample_tensor<int8_t>(dims), "i8" + shape);
    expect_round_trip(sample_tensor<uint8_t>(dims), "u8" + shape);
    expect_round_trip(sample_tensor<int32_t>(dims), "i32" + shape);
    expect_round_trip(sample_tensor<int64_t>(dims), "i64" + shape);
    Tensor b(ElementType::kBool, dims);
    for (int64_t i = 0; i < b.element_count(); ++i) b.data<uint8_t>()[i] = i % 3 == 0;
    expect_round_trip(b, "bool" + shape);
  }
}

struct Failure {
  ErrorCode code;
  std::string message;
};

Failure read_failure(const std::string& path) {
  try {
    read_npy(path);
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  ADD_FAILURE() << path << " was read without error";
  return {ErrorCode::kInternal, ""};
}

// A valid version-1.0 file around the given header text (padded as numpy does) and data.
std::string npy_bytes(const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

TEST(Npy, MissingFileIsAnIoError) {
  const Failure f = read_failure("/nonexistent/octet/x.npy");
  EXPECT_EQ(f.code, ErrorCode::kIo);
  EXPECT_NE(f.message.find("/nonexistent/octet/x.npy"), std::string::npos) << f.message;
}

TEST(Npy, MalformedFilesAreClearErrors) {
  const std::string good = read_binary_file(testing::io_fixture("f32_2x3.npy"));
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const std::string data(24, '\0');
  struct Case {
    std::string name;
    std::string bytes;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"empty", "", "magic"},
      {"bad_magic", "\x93NUMPZ" + good.substr(6), "magic"},
      {"magic_only", good.substr(0, 8), "truncated"},
      {"truncated_header", good.substr(0, 60), "header length"},
      {"truncated_data", good.substr(0, good.size() - 5), "data bytes"},
      {"extra_data", good + "abcd", "data bytes"},
      {"no_dict", npy_bytes("hello", data), "malformed"},
      {"unterminated", npy_bytes("{'descr': '<f4", data), "malformed"},
      {"no_shape", npy_bytes("{'descr': '<f4', 'fortran_order': False, }", data), "'shape'"},
      {"bad_shape", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", data),
       "malformed"},
      {"shape_mismatch", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }", data),
       "data bytes"},
      {"absurd_dims",
       npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", data),
       "absurdly large"},
      {"huge_dim",
       npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", data),
       "too large"},
      {"duplicate_key",
       npy_bytes("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", data), "twice"},
      {"trailing", npy_bytes(dict + " x", data), "trailing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Failure f = read_failure(npy_temp_file(c.name + ".npy", c.bytes));
    EXPECT_EQ(f.code, ErrorCode::kInvalidArgument) << f.message;
    EXPECT_NE(f.message.find(c.message_part), std::string::npos) << f.message;
  }
  // A header that claims more bytes than the file has (version 2.0: a 4-byte length).
  std::string v2("\x93NUMPY\x02\x00\xFF\xFF\xFF\x7F", 12);
  EXPECT_EQ(read_failure(npy_temp_file("v2_long_header.npy", v2 + dict)).code, ErrorCode::kInvalidArgument);
}

TEST(Npy, ValidButUnsupportedFilesAreKUnsupported) {
  for (const std::string name : {"u8_fortran.npy", "f4_bigendian.npy", "f8.npy"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(read_failure(testing::io_fixture(name)).code, ErrorCode::kUnsupported);
  }
  std::string v4 = read_binary_file(testing::io_fixture("f32_2x3.npy"));
  v4[6] = 4;
  EXPECT_EQ(read_failure(npy_temp_file("v4.npy", v4)).code, ErrorCode::kUnsupported);
}

TEST(TensorFile, RejectsUnknownExtensions) {
  EXPECT_THROW(read_tensor_file("/tmp/whatever.txt"), Error);
  EXPECT_THROW(write_tensor_file("/tmp/whatever.bin", Tensor(ElementType::kF32, {1})), Error);
}

}  // namespace
}  // namespace octet
