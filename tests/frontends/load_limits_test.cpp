// LoadLimits: tiny hostile files that claim huge tensors or many nodes must fail with a clear error naming
// the file, the tensor or node, the limit and how to raise it, before anything large is allocated (the suite
// runs under ASan in CI, where a multi-gigabyte allocation would abort the test).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "frontends/model_reader.h"
#include "frontends/onnx/onnx_reader.h"
#include "frontends/openvino_ir/ir_reader.h"
#include "io/tensor_file.h"
#include "tests/frontends/ir_test_files.h"
#include "tests/frontends/onnx_model_builder.h"
#include "tests/frontends/onnx_test_files.h"

namespace octet {
namespace {

using testing::expect_mentions;
using testing::OnnxModelBuilder;

constexpr int32_t kFloat = onnx::TensorProto::FLOAT;
constexpr int32_t kInt64 = onnx::TensorProto::INT64;

Error onnx_error(const std::string& bytes, const LoadOptions& options = {}) {
  try {
    read_onnx_model_from_bytes(bytes, "", options);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "loading the model succeeded";
  return Error(ErrorCode::kInternal, "");
}

Error ir_error(const std::string& xml, const std::string& bin, const LoadOptions& options = {}) {
  try {
    read_openvino_ir_from_memory(xml, bin, options);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "loading the IR succeeded";
  return Error(ErrorCode::kInternal, "");
}

// y = x + w, with w an initializer whose proto claims `dims` but holds only 4 bytes of raw_data.
std::string model_with_lying_initializer(const std::vector<int64_t>& dims) {
  OnnxModelBuilder b(13);
  b.input("x", kFloat, {1});
  b.output("y");
  b.node("Add", {"x", "w"}, {"y"}, "add");
  onnx::TensorProto& w = *b.model().mutable_graph()->add_initializer();
  w.set_name("w");
  w.set_data_type(kFloat);
  for (int64_t d : dims) w.add_dims(d);
  w.set_raw_data(std::string(4, '\0'));
  return b.bytes();
}

// y = ConstantOfShape(shape) with shape an int64 initializer holding `dims`: a few bytes that ask for an
// output of any size.
std::string constant_of_shape_model(const std::vector<int64_t>& dims) {
  OnnxModelBuilder b(13);
  b.output("y");
  b.initializer("shape", Tensor::from_vector<int64_t>({static_cast<int64_t>(dims.size())}, dims));
  b.node("ConstantOfShape", {"shape"}, {"y"}, "fill");
  return b.bytes();
}

// A chain of `n` Relu nodes.
std::string relu_chain(int n) {
  OnnxModelBuilder b(13);
  b.input("x", kFloat, {4});
  b.output("y");
  for (int i = 0; i < n; ++i)
    b.node("Relu", {i == 0 ? "x" : "t" + std::to_string(i - 1)}, {i + 1 == n ? "y" : "t" + std::to_string(i)},
           "relu" + std::to_string(i));
  return b.bytes();
}

TEST(LoadLimitsTest, DefaultsAreDocumentedValues) {
  const LoadLimits limits;
  EXPECT_EQ(limits.max_tensor_elements, int64_t{1} << 28);
  EXPECT_EQ(limits.max_constant_bytes, uint64_t{4} << 30);
  EXPECT_EQ(limits.max_nodes, int64_t{1} << 20);
}

TEST(LoadLimitsTest, OnnxInitializerClaiming2To40ElementsFailsBeforeAllocating) {
  const std::string bytes = model_with_lying_initializer({int64_t{1} << 20, int64_t{1} << 20});
  EXPECT_LT(bytes.size(), 200u);
  const Error e = onnx_error(bytes);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"in-memory ONNX model", "initializer 'w'", "[1048576,1048576]", "268435456",
                      "OCTET_MAX_TENSOR_ELEMENTS"});
}

TEST(LoadLimitsTest, OnnxModelFileNamesTheFile) {
  testing::TempDir dir;
  const std::string path = dir.file("huge.onnx");
  testing::write_bytes(path, model_with_lying_initializer({int64_t{1} << 40}));
  const Error e = testing::load_error(path);
  expect_mentions(e, {path, "initializer 'w'", "OCTET_MAX_TENSOR_ELEMENTS"});
}

TEST(LoadLimitsTest, ConstantOfShapeWithHugeOutputFailsAtLoad) {
  // 2^32 f32 elements (16 GiB) from a 2-element shape tensor: too big to fold, and the limit on inferred
  // shapes stops it before compile would plan memory for it.
  const Error e = onnx_error(constant_of_shape_model({int64_t{1} << 16, int64_t{1} << 16}));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"fill", "ConstantOfShape", "output 'y'", "OCTET_MAX_TENSOR_ELEMENTS"});
}

TEST(LoadLimitsTest, ExpandWithHugeOutputFailsAtLoad) {
  OnnxModelBuilder b(13);
  b.input("x", kFloat, {1});
  b.output("y");
  b.initializer("shape", Tensor::from_vector<int64_t>({3}, std::vector<int64_t>{1 << 12, 1 << 12, 1 << 12}));
  b.node("Expand", {"x", "shape"}, {"y"}, "expand");
  const Error e = onnx_error(b.bytes());
  expect_mentions(e, {"expand", "Expand", "[4096,4096,4096]", "OCTET_MAX_TENSOR_ELEMENTS"});
}

TEST(LoadLimitsTest, RaisingTheLimitLetsTheModelLoad) {
  const std::string bytes = constant_of_shape_model({100, 100});
  EXPECT_NO_THROW(read_onnx_model_from_bytes(bytes, ""));
  LoadOptions options;
  options.limits.max_tensor_elements = 1000;
  expect_mentions(onnx_error(bytes, options), {"'y'", "[100,100]", "1000 elements"});
}

TEST(LoadLimitsTest, HugeInputShapeFromTheCommandLineFailsAtLoad) {
  LoadOptions options;
  options.input_shapes["x"] = {int64_t{1} << 20, int64_t{1} << 20};
  OnnxModelBuilder b(13);
  b.input("x", kFloat, {-1, -1});
  b.output("y");
  b.node("Relu", {"x"}, {"y"}, "relu");
  const Error e = onnx_error(b.bytes(), options);
  expect_mentions(e, {"'x'", "OCTET_MAX_TENSOR_ELEMENTS"});
}

TEST(LoadLimitsTest, TotalConstantBytes) {
  OnnxModelBuilder b(13);
  b.input("x", kFloat, {1000});
  b.output("y");
  b.initializer("a", Tensor::from_vector<float>({1000}, std::vector<float>(1000, 1.0f)));
  b.initializer("b", Tensor::from_vector<float>({1000}, std::vector<float>(1000, 2.0f)));
  b.node("Add", {"x", "a"}, {"t"}, "add_a");
  b.node("Add", {"t", "b"}, {"y"}, "add_b");
  LoadOptions options;
  options.limits.max_constant_bytes = 6000;
  const Error e = onnx_error(b.bytes(), options);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"initializer 'b'", "4000 bytes", "6000", "OCTET_MAX_CONSTANT_BYTES"});
  options.limits.max_constant_bytes = 8000;
  EXPECT_NO_THROW(read_onnx_model_from_bytes(b.bytes(), "", options));
}

TEST(LoadLimitsTest, NodeCountIsCheckedBeforeImport) {
  LoadOptions options;
  options.limits.max_nodes = 3;
  const Error e = onnx_error(relu_chain(5), options);
  expect_mentions(e, {"5 nodes", "3 allowed", "OCTET_MAX_NODES"});
  EXPECT_NO_THROW(read_onnx_model_from_bytes(relu_chain(3), "", options));
}

TEST(LoadLimitsTest, LongChainsLoadWithoutRecursion) {
  // Import, topological order and shape inference are iterative: a deep graph is only a long one.
  EXPECT_NO_THROW(read_onnx_model_from_bytes(relu_chain(20000), ""));
}

TEST(LoadLimitsTest, DeeplyNestedSubgraphsFailCleanly) {
  // If nodes nested 500 deep: protobuf's recursion limit (100) or the importer's "control flow is not
  // supported" stops it, never the stack.
  onnx::GraphProto inner;
  inner.set_name("leaf");
  for (int depth = 0; depth < 500; ++depth) {
    onnx::GraphProto outer;
    outer.set_name("level" + std::to_string(depth));
    onnx::NodeProto& node = *outer.add_node();
    node.set_op_type("If");
    node.add_input("cond");
    node.add_output("y");
    onnx::AttributeProto& branch = *node.add_attribute();
    branch.set_name("then_branch");
    branch.set_type(onnx::AttributeProto::GRAPH);
    *branch.mutable_g() = std::move(inner);
    inner = std::move(outer);
  }
  OnnxModelBuilder b(13);
  b.input("cond", onnx::TensorProto::BOOL, {});
  b.output("y");
  b.model().mutable_graph()->add_node()->CopyFrom(inner.node(0));
  const Error e = onnx_error(b.bytes());
  EXPECT_NE(std::string(e.what()).find("in-memory ONNX model"), std::string::npos) << e.what();
}

TEST(LoadLimitsTest, IrConstClaimingHugeShapeFailsBeforeReadingTheBin) {
  testing::IrBuilder b;
  const int x = b.parameter("x", {1});
  const int c = b.constant_raw("c", "f32", {int64_t{1} << 20, int64_t{1} << 20}, std::string(4, '\0'));
  const int add = b.layer("Add", "add", {{x}, {c}}, {{int64_t{1} << 20, int64_t{1} << 20}});
  b.result("out", {add});
  const Error e = ir_error(b.xml(), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Const 'c'", "OCTET_MAX_TENSOR_ELEMENTS"});
}

TEST(LoadLimitsTest, IrConstBytesAndLayerCount) {
  testing::IrBuilder b;
  const int x = b.parameter("x", {100});
  const int c = b.constant_f32("c", {100}, std::vector<float>(100, 1.0f));
  const int add = b.layer("Add", "add", {{x}, {c}}, {{100}});
  b.result("out", {add});
  LoadOptions options;
  options.limits.max_constant_bytes = 100;
  expect_mentions(ir_error(b.xml(), b.bin(), options),
                  {"Const 'c'", "400 bytes", "OCTET_MAX_CONSTANT_BYTES"});
  options = {};
  options.limits.max_nodes = 2;
  expect_mentions(ir_error(b.xml(), b.bin(), options), {"4 nodes", "OCTET_MAX_NODES"});
}

TEST(LoadLimitsTest, NpyHeaderClaiming2To40ElementsFailsBeforeAllocating) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }";
  header += std::string((64 - (10 + header.size() + 1) % 64) % 64, ' ') + "\n";
  std::string bytes = "\x93NUMPY\x01";
  bytes += '\0';
  bytes += static_cast<char>(header.size() & 0xFF);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header + "0123456789";
  try {
    read_npy_from_bytes(bytes, "tiny.npy");
    ADD_FAILURE() << "reading the .npy succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    expect_mentions(e, {"tiny.npy", "[1048576,1048576]"});
  }
}

TEST(LoadLimitsTest, EnvironmentRaisesOrLowersEachLimit) {
  ::setenv("OCTET_MAX_TENSOR_ELEMENTS", "1000", 1);
  ::setenv("OCTET_MAX_CONSTANT_BYTES", "2000", 1);
  ::setenv("OCTET_MAX_NODES", "7", 1);
  const LoadLimits limits = LoadLimits::from_environment();
  EXPECT_EQ(limits.max_tensor_elements, 1000);
  EXPECT_EQ(limits.max_constant_bytes, 2000u);
  EXPECT_EQ(limits.max_nodes, 7);
  // LoadOptions picks them up by default, so every command and Core::read_model honours them.
  EXPECT_EQ(LoadOptions{}.limits.max_nodes, 7);
  ::setenv("OCTET_MAX_NODES", "many", 1);
  try {
    LoadLimits::from_environment();
    ADD_FAILURE() << "a bad OCTET_MAX_NODES was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    expect_mentions(e, {"OCTET_MAX_NODES='many'"});
  }
  ::unsetenv("OCTET_MAX_TENSOR_ELEMENTS");
  ::unsetenv("OCTET_MAX_CONSTANT_BYTES");
  ::unsetenv("OCTET_MAX_NODES");
}

}  // namespace
}  // namespace octet
