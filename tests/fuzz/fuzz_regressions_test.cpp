// Every input a fuzzer found (fuzz/regressions/<target>/, docs/robustness.md) goes through the same reader as
// in its fuzz target and must come out as a clean octet::Error (or a model) — never another exception or an
// internal error. The sanitizer build (build-asan) also catches the memory errors and overflows the fuzzers
// reported. Named tests check that each finding now gives the intended message.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "frontends/onnx/onnx_reader.h"
#include "frontends/openvino_ir/ir_reader.h"
#include "io/binary_file.h"
#include "octet/error.h"
#include "ops/shape_inference.h"

namespace octet {
namespace {

std::string regression_file(const std::string& target, const std::string& name) {
  return std::string(OCTET_SOURCE_DIR) + "/fuzz/regressions/" + target + "/" + name;
}

// The message of the octet::Error that reading `bytes` as an ONNX model throws ("" if none).
std::string onnx_error(const std::string& bytes) {
  try {
    Graph graph = read_onnx_model_from_bytes(bytes, "");
    infer_shapes(graph);
  } catch (const Error& e) {
    EXPECT_NE(e.code(), ErrorCode::kInternal) << e.what();
    return e.what();
  }
  return "";
}

// An IR fuzz input: 4-byte little-endian XML length, the XML, the .bin (fuzz/fuzz_ir_reader.cpp).
std::string ir_error(const std::string& input) {
  size_t xml_size = input.size();
  if (input.size() >= 4) {
    xml_size = 0;
    for (int i = 3; i >= 0; --i) xml_size = xml_size << 8 | static_cast<uint8_t>(input[i]);
  }
  const size_t start = input.size() >= 4 ? 4 : 0;
  const std::string xml = input.substr(start, xml_size);
  const std::string bin = start + xml_size < input.size() ? input.substr(start + xml_size) : "";
  try {
    Graph graph = read_openvino_ir_from_memory(xml, bin);
    infer_shapes(graph);
  } catch (const Error& e) {
    EXPECT_NE(e.code(), ErrorCode::kInternal) << e.what();
    return e.what();
  }
  return "";
}

TEST(FuzzRegressionsTest, EveryIrFindingIsACleanError) {
  const std::filesystem::path folder = std::string(OCTET_SOURCE_DIR) + "/fuzz/regressions/ir_reader";
  ASSERT_TRUE(std::filesystem::is_directory(folder));
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    SCOPED_TRACE(entry.path().string());
    ir_error(read_binary_file(entry.path().string()));
  }
}

TEST(FuzzRegressionsTest, EveryOnnxFindingIsACleanError) {
  const std::filesystem::path folder = std::string(OCTET_SOURCE_DIR) + "/fuzz/regressions/onnx_reader";
  ASSERT_TRUE(std::filesystem::is_directory(folder));
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    SCOPED_TRACE(entry.path().string());
    onnx_error(read_binary_file(entry.path().string()));
  }
}

// A mutated PyTorch export: Constant -> Reshape -> Transpose -> Reshape, the first shape constant now
// [33, 1025, 3, 2^60 + 3, 4, 4]. Its element count overflowed int64 in product_or_dynamic (UBSan: signed
// multiplication overflow); without the check the wrapped count gave a misleading "cannot reshape" message.
TEST(FuzzRegressionsTest, ReshapeWithElementCountPastInt64IsAnInvalidModel) {
  const std::string message =
      onnx_error(read_binary_file(regression_file("onnx_reader", "reshape_element_count_overflow.onnx")));
  EXPECT_NE(message.find("more elements than a 64-bit count holds"), std::string::npos) << message;
}

// The same overflow reached from an IR: Parameter [1,4] -> Reshape to the Const [2^62, 4].
TEST(FuzzRegressionsTest, IrReshapeWithElementCountPastInt64IsAnInvalidModel) {
  const std::string message =
      ir_error(read_binary_file(regression_file("ir_reader", "reshape_element_count_overflow.ir")));
  EXPECT_NE(message.find("more elements than a 64-bit count holds"), std::string::npos) << message;
}

// A mutated converted ONNX node test: an Interpolate-4 whose sizes input is an f32 constant holding NaN.
// Reading it as integers converted NaN to int64 (UBSan: -nan is outside the range of representable values of
// 'long', in Tensor::value_as_int64).
TEST(FuzzRegressionsTest, IrInterpolateWithNanSizesIsACleanError) {
  const std::string message =
      ir_error(read_binary_file(regression_file("ir_reader", "interpolate_nan_sizes.ir")));
  EXPECT_NE(message.find("not an integer in the 64-bit range"), std::string::npos) << message;
}

// A mutated converted ONNX node test: a VariadicSplit whose split_lengths (7575685029078594655,
// 8097868448658502710, ...) overflowed int64 when added up (UBSan: signed integer overflow).
TEST(FuzzRegressionsTest, IrVariadicSplitLengthsPastInt64IsAnInvalidModel) {
  const std::string message =
      ir_error(read_binary_file(regression_file("ir_reader", "variadic_split_lengths_overflow.ir")));
  EXPECT_NE(message.find("split_lengths add up to more than a 64-bit count holds"), std::string::npos)
      << message;
}

// A mutated model (138 bytes): a Split of a rank-0 tensor with axis 0. normalize_axis accepted axis 0 for
// rank 0, and Split's shape inference then indexed the empty dims (std::out_of_range, not an octet::Error).
TEST(FuzzRegressionsTest, SplitOfAScalarIsAnInvalidModel) {
  const std::string message =
      onnx_error(read_binary_file(regression_file("onnx_reader", "split_of_a_scalar.onnx")));
  EXPECT_NE(message.find("axis 0 is out of range for rank 0"), std::string::npos) << message;
}

// A mutated model whose Tile repeats a static dim so many times that the output dim overflowed int64 in
// Tile's shape inference (UBSan: signed multiplication overflow).
TEST(FuzzRegressionsTest, TileWithOutputDimPastInt64IsAnInvalidModel) {
  const std::string message =
      onnx_error(read_binary_file(regression_file("onnx_reader", "tile_dim_overflow.onnx")));
  EXPECT_NE(message.find("does not fit in 64 bits"), std::string::npos) << message;
}

// A Reshape whose shape input is not a constant but has the static length 36028797018963970: its output was
// given that many dynamic dims
// (ASan: a 2^61-byte allocation in Shape::dynamic).
TEST(FuzzRegressionsTest, ReshapeToHugeUnknownRankIsAnInvalidModel) {
  const std::string message =
      onnx_error(read_binary_file(regression_file("onnx_reader", "reshape_shape_input_huge_rank.onnx")));
  EXPECT_NE(message.find("dims a tensor may have"), std::string::npos) << message;
}

}  // namespace
}  // namespace octet
