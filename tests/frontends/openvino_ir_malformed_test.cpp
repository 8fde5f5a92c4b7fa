// Malformed and hostile IRs: each must fail with a clear octet::Error of the right code that names the
// layer, never crash (the .bin and .xml are untrusted input).
#include <gtest/gtest.h>

#include <filesystem>

#include "frontends/model_reader.h"
#include "tests/frontends/ir_test_files.h"
#include "tests/frontends/onnx_test_files.h"

namespace octet {
namespace {

using testing::expect_mentions;
using testing::ir_load_error;
using testing::IrBuilder;

// x -> Add(x, c) -> Result, with c a [2] f32 Const.
IrBuilder add_model() {
  IrBuilder b;
  const int x = b.parameter("x", {2});
  const int c = b.constant_f32("c", {2}, {1, 2});
  const int add = b.layer("Add", "add", {{x}, {c}}, {{2}});
  b.result("out", {add});
  return b;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(OpenVinoIrMalformedTest, ValidBaselineLoads) {
  const IrBuilder b = add_model();
  EXPECT_NO_THROW(read_openvino_ir_from_memory(b.xml(), b.bin()));
}

TEST(OpenVinoIrMalformedTest, TruncatedBin) {
  const IrBuilder b = add_model();
  const Error e = ir_load_error(b.xml(), b.bin().substr(0, 5));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Const 'c'", "outside the .bin", "5 bytes"});
}

TEST(OpenVinoIrMalformedTest, OffsetAndSizeThatOverflow) {
  const IrBuilder b = add_model();
  // offset + size wraps around 2^64 to a small number; the check must not add them.
  const std::string xml = replace(b.xml(), "offset=\"0\"", "offset=\"18446744073709551608\"");
  const Error e = ir_load_error(xml, b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Const 'c'", "18446744073709551608"});
  const Error e2 = ir_load_error(replace(b.xml(), "size=\"8\"", "size=\"18446744073709551615\""), b.bin());
  EXPECT_EQ(e2.code(), ErrorCode::kInvalidModel);
  const Error e3 = ir_load_error(replace(b.xml(), "offset=\"0\"", "offset=\"-8\""), b.bin());
  EXPECT_EQ(e3.code(), ErrorCode::kInvalidModel);
  expect_mentions(e3, {"Const 'c'", "offset"});
}

TEST(OpenVinoIrMalformedTest, SizeDisagreesWithShape) {
  const IrBuilder b = add_model();
  const Error e = ir_load_error(replace(b.xml(), "size=\"8\"", "size=\"4\""), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Const 'c'", "does not match shape [2]"});
}

TEST(OpenVinoIrMalformedTest, AbsurdDims) {
  IrBuilder b;
  const int c = b.constant_raw("huge", "f32", {1}, std::string(4, '\0'));
  b.result("out", {c});
  const std::string xml = b.xml();
  const Error e1 = ir_load_error(replace(xml, "shape=\"1\"", "shape=\"-3\""), b.bin());
  EXPECT_EQ(e1.code(), ErrorCode::kInvalidModel);
  expect_mentions(e1, {"Const 'huge'", "negative"});
  const Error e2 =
      ir_load_error(replace(xml, "shape=\"1\"", "shape=\"4294967296,4294967296,4294967296\""), b.bin());
  EXPECT_EQ(e2.code(), ErrorCode::kInvalidModel);
  expect_mentions(e2, {"Const 'huge'", "too many elements"});
  const Error e3 = ir_load_error(replace(xml, "<dim>1</dim>", "<dim>-7</dim>"), b.bin());
  EXPECT_EQ(e3.code(), ErrorCode::kInvalidModel);
  expect_mentions(e3, {"huge", "-7"});
}

TEST(OpenVinoIrMalformedTest, EdgeToMissingLayer) {
  IrBuilder b = add_model();
  b.add_raw_edge(42, 0, 2, 0);
  const Error e = ir_load_error(b.xml(), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Add 'add' (id 2)", "layer id 42", "does not exist"});
}

TEST(OpenVinoIrMalformedTest, DuplicateLayerId) {
  const IrBuilder b = add_model();
  const Error e = ir_load_error(replace(b.xml(), "id=\"1\" name=\"c\"", "id=\"0\" name=\"c\""), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Const 'c' (id 0)", "Parameter 'x' (id 0)"});
}

TEST(OpenVinoIrMalformedTest, PortConnectedTwiceAndUnknownPort) {
  IrBuilder twice = add_model();
  twice.add_raw_edge(0, 0, 2, 1);
  const Error e = ir_load_error(twice.xml(), twice.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Add 'add' (id 2)", "connected twice"});

  IrBuilder bad_port = add_model();
  bad_port.add_raw_edge(0, 0, 2, 7);
  const Error e2 = ir_load_error(bad_port.xml(), bad_port.bin());
  EXPECT_EQ(e2.code(), ErrorCode::kInvalidModel);
  expect_mentions(e2, {"Add 'add' (id 2)", "port 7", "not an input port"});

  IrBuilder bad_from = add_model();
  bad_from.add_raw_edge(0, 5, 3, 0);
  const Error e3 = ir_load_error(bad_from.xml(), bad_from.bin());
  EXPECT_EQ(e3.code(), ErrorCode::kInvalidModel);
  expect_mentions(e3, {"Parameter 'x' (id 0)", "port 5", "not an output port"});
}

TEST(OpenVinoIrMalformedTest, UnconnectedInput) {
  const IrBuilder b = add_model();
  // Drop the edge into the Add's second input.
  const Error e = ir_load_error(
      replace(b.xml(), "<edge from-layer=\"1\" from-port=\"0\" to-layer=\"2\" to-port=\"1\"/>", ""), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Add 'add' (id 2)", "port 1", "not connected"});
}

TEST(OpenVinoIrMalformedTest, PortDimsDisagree) {
  const IrBuilder b = add_model();
  // The Add's input port 1 declares [3] while the Const's output declares [2].
  const Error e = ir_load_error(replace(b.xml(), "<port id=\"1\" precision=\"FP32\"><dim>2</dim>",
                                        "<port id=\"1\" precision=\"FP32\"><dim>3</dim>"),
                                b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"Add 'add' (id 2)", "[3]", "[2]"});
}

TEST(OpenVinoIrMalformedTest, Cycle) {
  IrBuilder b;
  const int x = b.parameter("x", {2});
  const int a = b.layer("Add", "a", {{x}, {x}}, {{2}});
  const int r = b.layer("ReLU", "r", {{a}}, {{2}});
  b.result("out", {r});
  // Feed a's second input from r instead of x.
  const std::string xml =
      replace(b.xml(), "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"1\"/>",
              "<edge from-layer=\"2\" from-port=\"1\" to-layer=\"1\" to-port=\"1\"/>");
  const Error e = ir_load_error(xml, b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"cycle", "Add 'a' (id 1)"});
}

TEST(OpenVinoIrMalformedTest, UnknownOpsAreListedTogether) {
  IrBuilder b;
  const int x = b.parameter("x", {2});
  const int f = b.layer("Frobnicate", "f1", {{x}}, {{2}});
  const int g = b.layer("Relu", "g1", {{f}}, {{2}}, {}, "opset99");
  b.result("out", {g});
  const Error e = ir_load_error(b.xml(), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  expect_mentions(e, {"2 of 4 layers", "Frobnicate 'f1' (id 1)", "Relu 'g1' (id 2)", "opset99"});
}

TEST(OpenVinoIrMalformedTest, UnsupportedConstTypes) {
  for (const char* type : {"boolean", "u1", "bf16"}) {
    IrBuilder b;
    const int c = b.constant_raw("flags", type, {2}, std::string(2, '\1'));
    b.result("out", {c});
    const Error e = ir_load_error(b.xml(), b.bin());
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << type;
    expect_mentions(e, {"Const 'flags'", type});
  }
  IrBuilder b;
  const int c = b.constant_raw("odd", "q7", {2}, std::string(2, '\1'));
  b.result("out", {c});
  EXPECT_EQ(ir_load_error(b.xml(), b.bin()).code(), ErrorCode::kInvalidModel);
}

TEST(OpenVinoIrMalformedTest, BadXmlAndBadVersion) {
  const IrBuilder b = add_model();
  const Error e = ir_load_error(b.xml().substr(0, b.xml().size() / 2), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"XML"});
  EXPECT_EQ(ir_load_error("<model/>", "").code(), ErrorCode::kInvalidModel);
  EXPECT_EQ(ir_load_error(replace(b.xml(), "version=\"11\"", "version=\"7\""), b.bin()).code(),
            ErrorCode::kUnsupported);
  const Error attr =
      ir_load_error(replace(b.xml(), "<dim>2</dim></port>\n</output>\n</layer>\n<layer id=\"2\"",
                            "<dim>2</dim></port>\n</output>\n</layer>\n<layer id=\"two\""),
                    b.bin());
  EXPECT_EQ(attr.code(), ErrorCode::kInvalidModel);
}

TEST(OpenVinoIrMalformedTest, BadAttributeNamesTheLayer) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 2, 2});
  const int mp =
      b.layer("MaxPool", "pool", {{x}}, {{1, 1, 1, 1}},
              {{"kernel", "2,two"}, {"strides", "2,2"}, {"pads_begin", "0,0"}, {"pads_end", "0,0"}});
  b.result("out", {mp});
  const Error e = ir_load_error(b.xml(), b.bin());
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  expect_mentions(e, {"MaxPool 'pool' (id 1)", "kernel"});
}

TEST(OpenVinoIrMalformedTest, FilesOnDiskAndMissingBin) {
  testing::TempDir dir;
  const IrBuilder b = add_model();
  testing::write_bytes(dir.file("m.xml"), b.xml());
  testing::write_bytes(dir.file("m.bin"), b.bin());
  const Graph g = read_model(dir.file("m.xml"));
  EXPECT_EQ(g.metadata().at("format"), "openvino_ir");
  EXPECT_EQ(g.metadata().at("path"), dir.file("m.xml"));
  std::filesystem::remove(dir.file("m.bin"));
  try {
    read_model(dir.file("m.xml"));
    ADD_FAILURE() << "loaded without its .bin";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    expect_mentions(e, {"m.bin"});
  }
}

TEST(OpenVinoIrMalformedTest, ShapeOverrideOfUnknownInput) {
  const IrBuilder b = add_model();
  LoadOptions options;
  options.input_shapes["nope"] = {2};
  try {
    b.load(options);
    ADD_FAILURE() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    expect_mentions(e, {"nope"});
  }
}

// Flips bytes of a valid IR many times: every variant loads or throws octet::Error, never crashes.
TEST(OpenVinoIrMalformedTest, CorruptedIrsLoadOrFailCleanly) {
  IrBuilder b;
  const int x = b.parameter("x", {1, 1, 2, 2});
  const int w = b.constant_f32("w", {1, 1, 1, 1}, {2});
  const int conv =
      b.layer("Convolution", "conv", {{x}, {w}}, {{1, 1, 2, 2}},
              {{"strides", "1,1"}, {"dilations", "1,1"}, {"pads_begin", "0,0"}, {"pads_end", "0,0"}});
  b.result("out", {conv});
  const std::string xml = b.xml();
  uint32_t state = 12345;
  const char replacements[] = {'0', '9', '-', ' ', '"', '<', 'x', ','};
  for (int round = 0; round < 300; ++round) {
    std::string variant = xml;
    for (int k = 0; k < 3; ++k) {
      state = state * 1664525u + 1013904223u;
      variant[state % variant.size()] = replacements[(state >> 16) % sizeof(replacements)];
    }
    try {
      read_openvino_ir_from_memory(variant, b.bin());
    } catch (const Error&) {
    }
  }
}

}  // namespace
}  // namespace octet
