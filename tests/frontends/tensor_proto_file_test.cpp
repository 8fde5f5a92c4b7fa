// .pb tensor files (one serialized TensorProto), as the ONNX test data stores inputs and outputs.
#include <gtest/gtest.h>

#include "io/tensor_file.h"
#include "octet/error.h"
#include "tests/frontends/onnx_model_builder.h"
#include "tests/frontends/onnx_test_files.h"

namespace octet {
namespace {

using testing::TempDir;

void write_proto(const std::string& path, const onnx::TensorProto& proto) {
  std::string bytes;
  ASSERT_TRUE(proto.SerializeToString(&bytes));
  testing::write_bytes(path, bytes);
}

TEST(TensorProtoFileTest, RoundTripKeepsNameTypeDimsAndValues) {
  TempDir dir;
  const std::vector<Tensor> tensors = {
      Tensor::from_vector<float>({2, 2}, std::vector<float>{1.5f, -2.0f, 0.0f, 1e-8f}),
      Tensor::from_vector<int64_t>({3}, std::vector<int64_t>{-1, 0, int64_t{1} << 40}),
      Tensor::from_vector<uint8_t>({1, 2}, std::vector<uint8_t>{0, 255}),
      Tensor::from_vector<int8_t>({2}, std::vector<int8_t>{-128, 127}),
      Tensor::from_vector<int32_t>({}, std::vector<int32_t>{-7}),
      Tensor::from_vector<Float16>({1}, std::vector<Float16>{Float16(0.5f)}),
  };
  for (const Tensor& t : tensors) {
    write_tensor_proto_file(dir.file("t.pb"), t, "named");
    const NamedTensor back = read_tensor_proto_file(dir.file("t.pb"));
    EXPECT_EQ(back.name, "named");
    EXPECT_EQ(back.tensor.description(), t.description());
    for (int64_t i = 0; i < t.element_count(); ++i)
      EXPECT_EQ(back.tensor.value_as_double(i), t.value_as_double(i)) << t.description() << " element " << i;
  }
}

TEST(TensorProtoFileTest, TypedFieldsAndBoolsAreRead) {
  TempDir dir;
  onnx::TensorProto proto;
  proto.set_name("flags");
  proto.set_data_type(onnx::TensorProto::BOOL);
  proto.add_dims(3);
  for (int v : {0, 1, 2}) proto.add_int32_data(v);
  write_proto(dir.file("b.pb"), proto);
  const NamedTensor t = read_tensor_proto_file(dir.file("b.pb"));
  EXPECT_EQ(t.tensor.type(), ElementType::kBool);
  EXPECT_EQ(t.tensor.values<uint8_t>()[2], 1);  // any non-zero is true, stored as 1

  proto.clear_int32_data();
  proto.set_raw_data(std::string("\x00\x07\x01", 3));
  write_proto(dir.file("raw.pb"), proto);
  EXPECT_EQ(read_tensor_proto_file(dir.file("raw.pb")).tensor.values<uint8_t>()[1], 1);
}

TEST(TensorProtoFileTest, BadFilesAreClearErrors) {
  TempDir dir;
  testing::write_bytes(dir.file("empty.pb"), "");
  testing::write_bytes(dir.file("junk.pb"), "\xff\xff\xff\xff\xff");
  onnx::TensorProto wrong_size;
  wrong_size.set_data_type(onnx::TensorProto::FLOAT);
  wrong_size.add_dims(2);
  wrong_size.set_raw_data(std::string(4, '\0'));
  write_proto(dir.file("short.pb"), wrong_size);
  for (const char* name : {"empty.pb", "junk.pb", "short.pb"}) {
    try {
      read_tensor_proto_file(dir.file(name));
      ADD_FAILURE() << name << " was read";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  onnx::TensorProto dbl;
  dbl.set_data_type(onnx::TensorProto::DOUBLE);
  dbl.add_dims(1);
  dbl.set_raw_data(std::string(8, '\0'));
  write_proto(dir.file("double.pb"), dbl);
  try {
    read_tensor_proto_file(dir.file("double.pb"));
    ADD_FAILURE() << "double.pb was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  }
}

}  // namespace
}  // namespace octet
