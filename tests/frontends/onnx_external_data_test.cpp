// External tensor data (data_location = EXTERNAL): read from files beside the model, never from outside its
// folder, with offset and length checked against the file.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "frontends/onnx/onnx_reader.h"
#include "octet/error.h"
#include "tests/frontends/onnx_model_builder.h"
#include "tests/frontends/onnx_test_files.h"

namespace octet {
namespace {

using onnx::TensorProto;
using testing::OnnxModelBuilder;
using testing::TempDir;

const std::vector<float> kWeights = {0.5f, -1.0f, 2.0f, 3.25f, -4.5f, 6.0f};

std::string float_bytes(const std::vector<float>& values) {
  std::string bytes(values.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// A model whose output is initializer "w" [2,3] stored at `location` (key/value pairs as given).
OnnxModelBuilder external_model(const std::vector<std::pair<std::string, std::string>>& entries) {
  OnnxModelBuilder b(13);
  TensorProto* w = b.model().mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(TensorProto::FLOAT);
  w->add_dims(2);
  w->add_dims(3);
  w->set_data_location(TensorProto::EXTERNAL);
  for (const auto& [key, value] : entries) {
    auto* entry = w->add_external_data();
    entry->set_key(key);
    entry->set_value(value);
  }
  b.output("w");
  return b;
}

using testing::expect_mentions;
using testing::load_error;

TEST(OnnxExternalDataTest, RoundTripWithOffsetAndLength) {
  TempDir dir;
  testing::write_bytes(dir.file("weights.bin"), std::string(16, 'x') + float_bytes(kWeights) + "tail");
  external_model({{"location", "weights.bin"}, {"offset", "16"}, {"length", "24"}}).save(dir.file("m.onnx"));
  const Graph g = read_onnx_model(dir.file("m.onnx"));
  const Tensor& w = g.find_value("w")->constant();
  ASSERT_EQ(w.dims(), (Dims{2, 3}));
  for (size_t i = 0; i < kWeights.size(); ++i) EXPECT_EQ(w.values<float>()[i], kWeights[i]);
}

TEST(OnnxExternalDataTest, SubfolderAndMissingLengthAreFine) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "data");
  testing::write_bytes(dir.file("data/w.bin"), float_bytes(kWeights));
  external_model({{"location", "data/w.bin"}}).save(dir.file("m.onnx"));
  EXPECT_EQ(read_onnx_model(dir.file("m.onnx")).find_value("w")->constant().value_as_double(3), 3.25);
}

TEST(OnnxExternalDataTest, ParentDirectoryEscapeIsRejected) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "model");
  testing::write_bytes(dir.file("secret.bin"), float_bytes(kWeights));
  external_model({{"location", "../secret.bin"}}).save(dir.file("model/m.onnx"));
  const Error e = load_error(dir.file("model/m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"m.onnx", "'w'", ".."});
}

TEST(OnnxExternalDataTest, AbsolutePathIsRejected) {
  TempDir dir;
  testing::write_bytes(dir.file("w.bin"), float_bytes(kWeights));
  external_model({{"location", dir.file("w.bin")}}).save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"relative"});
}

TEST(OnnxExternalDataTest, SymlinkOutOfTheFolderIsRejected) {
  TempDir outside;
  TempDir dir;
  testing::write_bytes(outside.file("w.bin"), float_bytes(kWeights));
  std::filesystem::create_symlink(outside.file("w.bin"), dir.path() / "link.bin");
  external_model({{"location", "link.bin"}}).save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"outside"});
}

TEST(OnnxExternalDataTest, RangesPastTheEndOfTheFileAreRejected) {
  TempDir dir;
  testing::write_bytes(dir.file("w.bin"), float_bytes(kWeights));
  for (const char* offset : {"4", "18446744073709551615", "18446744073709551600"}) {
    external_model({{"location", "w.bin"}, {"offset", offset}, {"length", "24"}}).save(dir.file("m.onnx"));
    const Error e = load_error(dir.file("m.onnx"));
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel) << offset;
    expect_mentions(e, {"past the end"});
  }
}

TEST(OnnxExternalDataTest, LengthMustMatchTheTensor) {
  TempDir dir;
  testing::write_bytes(dir.file("w.bin"), float_bytes(kWeights) + float_bytes(kWeights));
  external_model({{"location", "w.bin"}, {"length", "48"}}).save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"48", "24"});
}

TEST(OnnxExternalDataTest, MalformedOffsetIsRejected) {
  TempDir dir;
  testing::write_bytes(dir.file("w.bin"), float_bytes(kWeights));
  external_model({{"location", "w.bin"}, {"offset", "-8"}}).save(dir.file("m.onnx"));
  EXPECT_EQ(load_error(dir.file("m.onnx")).code(), ErrorCode::kInvalidModel);
}

TEST(OnnxExternalDataTest, MissingFileIsAnIoError) {
  TempDir dir;
  external_model({{"location", "absent.bin"}}).save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kIo);
  expect_mentions(e, {"absent.bin"});
}

TEST(OnnxExternalDataTest, ModelFromMemoryWithoutFolderCannotUseExternalData) {
  const std::string bytes = external_model({{"location", "w.bin"}}).bytes();
  try {
    read_onnx_model_from_bytes(bytes, "");
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
    expect_mentions(e, {"external"});
  }
}

}  // namespace
}  // namespace octet
