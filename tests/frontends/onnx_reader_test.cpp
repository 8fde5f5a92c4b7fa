// The ONNX reader on untrusted and unusual files: every bad file is a clear octet::Error naming the file and
// the node or tensor; inputs, initializers, opsets, shapes and metadata are read as the spec says.
#include "frontends/onnx/onnx_reader.h"

#include <gtest/gtest.h>

#include <random>

#include "frontends/model_reader.h"
#include "octet/error.h"
#include "ops/op_registry.h"
#include "tests/frontends/onnx_model_builder.h"
#include "tests/frontends/onnx_test_files.h"

namespace octet {
namespace {

using onnx::TensorProto;
using testing::OnnxModelBuilder;
using testing::TempDir;

using testing::expect_mentions;
using testing::load_error;

// A model whose only output is an initializer: it needs no op at all.
OnnxModelBuilder constant_model() {
  OnnxModelBuilder b(13);
  b.initializer("w", Tensor::from_vector<float>({2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6})).output("w");
  return b;
}

TEST(OnnxReaderTest, EmptyFileIsInvalid) {
  TempDir dir;
  testing::write_bytes(dir.file("empty.onnx"), "");
  const Error e = load_error(dir.file("empty.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"empty.onnx", "empty"});
}

TEST(OnnxReaderTest, MissingFileIsAnIoError) {
  TempDir dir;
  const Error e = load_error(dir.file("nothing.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kIo);
  expect_mentions(e, {"nothing.onnx"});
}

TEST(OnnxReaderTest, TruncatedFileIsInvalid) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.initializer("w", Tensor(ElementType::kF32, {64, 64})).output("w");
  const std::string bytes = b.bytes();
  testing::write_bytes(dir.file("cut.onnx"), bytes.substr(0, bytes.size() / 2));
  const Error e = load_error(dir.file("cut.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"cut.onnx"});
}

TEST(OnnxReaderTest, RandomBytesAreInvalid) {
  TempDir dir;
  std::mt19937 random(42);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  testing::write_bytes(dir.file("random.onnx"), bytes);
  const Error e = load_error(dir.file("random.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"random.onnx"});
}

TEST(OnnxReaderTest, ValidProtobufThatIsNotAModelIsInvalid) {
  TempDir dir;
  std::string bytes;
  testing::tensor_proto(Tensor::from_vector<float>({3}, std::vector<float>{1, 2, 3}), "t")
      .SerializeToString(&bytes);
  testing::write_bytes(dir.file("tensor.onnx"), bytes);
  const Error e = load_error(dir.file("tensor.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"tensor.onnx", "not"});
}

TEST(OnnxReaderTest, NodeInputNamingNoTensorIsInvalid) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("y");
  b.node("Relu", {"nope"}, {"y"}, "r1");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"m.onnx", "Relu 'r1'", "'nope'"});
}

TEST(OnnxReaderTest, GraphOutputThatNothingProducesIsInvalid) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("ghost");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"m.onnx", "'ghost'"});
}

TEST(OnnxReaderTest, CycleIsInvalid) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("a");
  b.node("Add", {"x", "b"}, {"a"}, "add");
  b.node("Relu", {"a"}, {"b"}, "relu");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"m.onnx", "cycle"});
}

TEST(OnnxReaderTest, TensorProducedTwiceIsInvalid) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {2}).output("y");
  b.node("Relu", {"x"}, {"y"}, "first");
  b.node("Sigmoid", {"x"}, {"y"}, "second");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"'y'", "first", "second"});
}

TEST(OnnxReaderTest, EveryUnsupportedOpIsListedInOneError) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.opset_import("com.example", 1);
  b.input("x", TensorProto::FLOAT, {2}).output("d");
  b.node("FancyOp", {"x"}, {"a"}, "fancy");
  b.node("Identity", {"a"}, {"b"}, "fine");
  b.node("OtherOp", {"b"}, {"c"}, "other");
  b.node("Relu", {"c"}, {"d"}, "custom").set_domain("com.example");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  expect_mentions(e,
                  {"m.onnx", "FancyOp 'fancy'", "OtherOp 'other'", "Relu 'custom'", "com.example", "3 of 4"});
  EXPECT_EQ(std::string(e.what()).find("'fine'"), std::string::npos) << e.what();
}

// QLinearConv without y_scale is Octet's internal f32-output form; an ONNX file must give y_scale.
TEST(OnnxReaderTest, QLinearConvWithoutYScaleIsRejected) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::UINT8, {1, 1, 3, 3}).output("y");
  b.initializer("s", Tensor::from_vector<float>({}, std::vector<float>{0.5f}));
  b.initializer("z", Tensor::from_vector<uint8_t>({}, std::vector<uint8_t>{0}));
  b.initializer("w", Tensor::from_vector<uint8_t>({1, 1, 1, 1}, std::vector<uint8_t>{1}));
  b.node("QLinearConv", {"x", "s", "z", "w", "s", "z", "", ""}, {"y"}, "head");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  expect_mentions(e, {"QLinearConv 'head'", "y_scale"});
}

// The passes' own ops are not ONNX ops: a model file cannot use them.
TEST(OnnxReaderTest, InternalOpsAreNotOnnxOps) {
  for (const char* op : {"QLinearScaleShift", "QLinearLookup", "FakeQuantize"}) {
    SCOPED_TRACE(op);
    TempDir dir;
    OnnxModelBuilder b(13);
    b.input("x", TensorProto::UINT8, {1, 2, 2}).output("y");
    b.node(op, {"x"}, {"y"}, "internal");
    b.save(dir.file("m.onnx"));
    const Error e = load_error(dir.file("m.onnx"));
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    expect_mentions(e, {std::string(op) + " 'internal'", "not an op of the default ONNX domain"});
  }
}

TEST(OnnxReaderTest, SubgraphAttributeIsUnsupported) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("c", TensorProto::BOOL, {}).output("y");
  auto& node = b.node("If", {"c"}, {"y"}, "branch");
  auto* attribute = node.add_attribute();
  attribute->set_name("then_branch");
  attribute->set_type(onnx::AttributeProto::GRAPH);
  attribute->mutable_g()->set_name("then");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  expect_mentions(e, {"If 'branch'", "subgraph"});
}

TEST(OnnxReaderTest, UnsupportedElementTypeNamesTheTensor) {
  TempDir dir;
  OnnxModelBuilder b(13);
  onnx::TensorProto* w = b.model().mutable_graph()->add_initializer();
  w->set_name("weights64");
  w->set_data_type(TensorProto::DOUBLE);
  w->add_dims(1);
  w->set_raw_data(std::string(8, '\0'));
  b.output("weights64", TensorProto::DOUBLE);
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  expect_mentions(e, {"m.onnx", "'weights64'", "DOUBLE"});
}

TEST(OnnxReaderTest, UnsupportedInputTypeNamesTheInput) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x16", TensorProto::INT16, {2}).output("x16", TensorProto::INT16);
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  expect_mentions(e, {"'x16'", "INT16"});
}

TEST(OnnxReaderTest, TensorDataSizeMustMatchDims) {
  TempDir dir;
  OnnxModelBuilder b(13);
  onnx::TensorProto* w = b.model().mutable_graph()->add_initializer();
  w->set_name("short");
  w->set_data_type(TensorProto::FLOAT);
  w->add_dims(4);
  w->set_raw_data(std::string(12, '\0'));  // 3 floats for 4
  b.output("short");
  b.save(dir.file("m.onnx"));
  const Error e = load_error(dir.file("m.onnx"));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"'short'", "12"});
}

TEST(OnnxReaderTest, NegativeAndAbsurdDimsAreInvalid) {
  TempDir dir;
  for (const std::vector<int64_t>& dims :
       {std::vector<int64_t>{2, -3}, std::vector<int64_t>{int64_t{1} << 40, int64_t{1} << 40}}) {
    OnnxModelBuilder b(13);
    onnx::TensorProto* w = b.model().mutable_graph()->add_initializer();
    w->set_name("odd");
    w->set_data_type(TensorProto::FLOAT);
    for (int64_t d : dims) w->add_dims(d);
    w->set_raw_data(std::string(16, '\0'));
    b.output("odd");
    b.save(dir.file("m.onnx"));
    const Error e = load_error(dir.file("m.onnx"));
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
    expect_mentions(e, {"'odd'"});
  }
}

TEST(OnnxReaderTest, TypedFieldInitializersAreRead) {
  OnnxModelBuilder b(13);
  onnx::TensorProto* f = b.model().mutable_graph()->add_initializer();
  f->set_name("f");
  f->set_data_type(TensorProto::FLOAT);
  f->add_dims(2);
  f->add_float_data(1.5f);
  f->add_float_data(-2.0f);
  onnx::TensorProto* i8 = b.model().mutable_graph()->add_initializer();
  i8->set_name("i8");
  i8->set_data_type(TensorProto::INT8);
  i8->add_dims(2);
  i8->add_int32_data(-128);
  i8->add_int32_data(127);
  onnx::TensorProto* h = b.model().mutable_graph()->add_initializer();
  h->set_name("h");
  h->set_data_type(TensorProto::FLOAT16);
  h->add_int32_data(0x3C00);  // 1.0 in binary16
  b.output("f").output("i8", TensorProto::INT8).output("h", TensorProto::FLOAT16);
  const Graph g = read_onnx_model_from_bytes(b.bytes(), "");
  EXPECT_EQ(g.find_value("f")->constant().value_as_double(1), -2.0);
  EXPECT_EQ(g.find_value("i8")->constant().value_as_int64(0), -128);
  EXPECT_EQ(g.find_value("h")->constant().description(), "f16[]");
  EXPECT_EQ(g.find_value("h")->constant().value_as_double(0), 1.0);
}

TEST(OnnxReaderTest, SymbolicDimsAreDynamicAndShapesCanBeOverridden) {
  TempDir dir;
  OnnxModelBuilder b(13);
  b.input("x", TensorProto::FLOAT, {-1, 3}).output("x");
  b.save(dir.file("m.onnx"));
  const Graph g = read_onnx_model(dir.file("m.onnx"));
  ASSERT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.inputs()[0]->shape(), Shape({kDynamicDim, 3}));

  LoadOptions options;
  options.input_shapes["x"] = {2, 3};
  EXPECT_EQ(read_onnx_model(dir.file("m.onnx"), options).inputs()[0]->shape(), Shape({2, 3}));

  options.input_shapes = {{"y", {2, 3}}};
  const Error e = load_error(dir.file("m.onnx"), options);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  expect_mentions(e, {"'y'", "'x'"});
}

TEST(OnnxReaderTest, InitializerListedAsInputIsAConstant) {
  OnnxModelBuilder b = constant_model();
  b.input("w", TensorProto::FLOAT, {2, 3}).input("x", TensorProto::FLOAT, {1});
  b.model().mutable_graph()->add_output()->set_name("x");
  const Graph g = read_onnx_model_from_bytes(b.bytes(), "");
  ASSERT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.inputs()[0]->name(), "x");
  EXPECT_TRUE(g.find_value("w")->is_constant());
}

TEST(OnnxReaderTest, OpsetsOutsideTheSupportedRangeAreUnsupported) {
  for (int64_t opset : {int64_t{20}, int64_t{0}}) {
    OnnxModelBuilder b(opset);
    b.initializer("w", Tensor::scalar(1.0f)).output("w");
    try {
      read_onnx_model_from_bytes(b.bytes(), "");
      ADD_FAILURE() << "opset " << opset << " loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << e.what();
      expect_mentions(e, {std::to_string(opset)});
    }
  }
}

TEST(OnnxReaderTest, OldOpsetIsAcceptedOnlyForOpsUnchangedUntilOpset7) {
  // Relu-6 is Relu's definition at opset 7; at opset 5 the model means Relu-1, which differs.
  OnnxModelBuilder old_relu(5);
  old_relu.input("x", TensorProto::FLOAT, {2}).output("y");
  old_relu.node("Relu", {"x"}, {"y"}, "r");
  try {
    read_onnx_model_from_bytes(old_relu.bytes(), "");
    ADD_FAILURE() << "opset 5 Relu loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    expect_mentions(e, {"Relu 'r'", "opset 5"});
  }
  // GlobalAveragePool has not changed since opset 1.
  OnnxModelBuilder old_pool(1);
  old_pool.input("x", TensorProto::FLOAT, {1, 2, 3, 3}).output("y");
  old_pool.node("GlobalAveragePool", {"x"}, {"y"});
  if (!OpRegistry::instance().find("GlobalAveragePool"))
    GTEST_SKIP() << "GlobalAveragePool not registered yet";
  EXPECT_EQ(read_onnx_model_from_bytes(old_pool.bytes(), "").node_count(), 1u);
}

TEST(OnnxReaderTest, MetadataDescribesTheModel) {
  TempDir dir;
  constant_model().save(dir.file("m.onnx"));
  const Graph g = read_onnx_model(dir.file("m.onnx"));
  EXPECT_EQ(g.metadata().at("format"), "onnx");
  EXPECT_EQ(g.metadata().at("ir_version"), "8");
  EXPECT_EQ(g.metadata().at("opset"), "13");
  EXPECT_EQ(g.metadata().at("producer_name"), "octet-tests");
  EXPECT_EQ(g.metadata().at("producer_version"), "1");
  EXPECT_EQ(g.metadata().at("path"), dir.file("m.onnx"));
  EXPECT_EQ(g.find_value("w")->constant().value_as_double(5), 6.0);
}

TEST(OnnxReaderTest, ModelReaderPicksTheFrontendByExtension) {
  TempDir dir;
  constant_model().save(dir.file("m.ONNX"));
  EXPECT_EQ(read_model(dir.file("m.ONNX")).metadata().at("format"), "onnx");
  for (const char* name : {"m.tflite", "m.bin"}) {  // .xml goes to the OpenVINO IR reader
    try {
      read_model(dir.file(name));
      ADD_FAILURE() << name << " loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
      expect_mentions(e, {name});
    }
  }
}

// Flips random bytes of a small valid model many times: every variant must load or throw octet::Error, never
// crash or throw anything else (run under the sanitizer build to catch memory errors too).
TEST(OnnxReaderTest, CorruptedModelsLoadOrFailCleanly) {
  OnnxModelBuilder b(11);
  b.input("x", TensorProto::FLOAT, {1, 2, 4, 4}).output("y");
  b.initializer("w", Tensor::from_vector<float>({2, 2, 1, 1}, std::vector<float>{1, 2, 3, 4}));
  b.initializer("bias", Tensor::from_vector<float>({2}, std::vector<float>{0.5f, -0.5f}));
  testing::set_attribute(b.node("Conv", {"x", "w", "bias"}, {"c"}, "conv"), "kernel_shape",
                         std::vector<int64_t>{1, 1});
  testing::set_attribute(b.node("Squeeze", {"c"}, {"s"}, "squeeze"), "axes", std::vector<int64_t>{0});
  testing::set_attribute(b.node("Softmax", {"s"}, {"y"}, "softmax"), "axis", int64_t{0});
  const std::string original = b.bytes();
  ASSERT_NO_THROW(read_onnx_model_from_bytes(original, ""));

  std::mt19937 random(7);
  size_t loaded = 0;
  for (int round = 0; round < 300; ++round) {
    std::string bytes = original;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) bytes[random() % bytes.size()] = static_cast<char>(random() & 0xff);
    if (round % 10 == 0) bytes.resize(random() % bytes.size());
    try {
      read_onnx_model_from_bytes(bytes, "");
      ++loaded;
    } catch (const Error&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << "round " << round << ": non-octet exception " << e.what();
    }
  }
  EXPECT_LT(loaded, 300u);  // the corruption did reach the checks
}

}  // namespace
}  // namespace octet
