// Runs the ONNX backend node tests (libonnx-testdata) through the ONNX frontend and the reference executor.
//
// Each test folder holds model.onnx and test_data_set_*/{input,output}_K.pb. A test is "unsupported" when
// Octet refuses it with kUnsupported (an op or element type it does not handle), "passed" when every data set
// matches, else "failed". The gtest fails on a failure, or an in-scope test Octet refuses, that
// onnx_expected_failures.txt does not list with its reason, or when fewer than 95% of the in-scope tests
// pass. In scope: every op in kRequiredOps and every graph input/output of a supported element type (Octet
// has no double, string, ... by design).
//
// As a tool: OCTET_CONFORMANCE_FILTER=substring runs a subset (and skips the pass-rate check);
// OCTET_CONFORMANCE_VERBOSE=1 prints every test's result.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "frontends/onnx/onnx_element_type.h"
#include "frontends/onnx/onnx_reader.h"
#include "frontends/onnx/proto_io.h"
#include "octet/error.h"
#include "onnx/onnx.pb.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNodeTestDir = "/usr/share/libonnx-testdata/data/node";
constexpr double kRequiredInScopePassRate = 0.95;

const std::set<std::string>& required_ops() {
  static const std::set<std::string> ops = {"Conv",
                                            "ConvTranspose",
                                            "Gemm",
                                            "MatMul",
                                            "BatchNormalization",
                                            "Relu",
                                            "Clip",
                                            "LeakyRelu",
                                            "PRelu",
                                            "Sigmoid",
                                            "HardSigmoid",
                                            "HardSwish",
                                            "Tanh",
                                            "Softmax",
                                            "Add",
                                            "Sub",
                                            "Mul",
                                            "Div",
                                            "Sum",
                                            "Max",
                                            "Min",
                                            "MaxPool",
                                            "AveragePool",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "LRN",
                                            "Concat",
                                            "Reshape",
                                            "Flatten",
                                            "Transpose",
                                            "Squeeze",
                                            "Unsqueeze",
                                            "Resize",
                                            "Upsample",
                                            "Pad",
                                            "Slice",
                                            "Split",
                                            "Gather",
                                            "Shape",
                                            "Constant",
                                            "ConstantOfShape",
                                            "Cast",
                                            "ReduceMean",
                                            "ReduceMax",
                                            "ReduceSum",
                                            "MeanVarianceNormalization",
                                            "InstanceNormalization",
                                            "Identity",
                                            "Dropout",
                                            "QuantizeLinear",
                                            "DequantizeLinear",
                                            "QLinearConv",
                                            "QLinearMatMul",
                                            "ConvInteger",
                                            "MatMulInteger"};
  return ops;
}

enum class Outcome { kPassed, kFailed, kUnsupported };

struct TestResult {
  std::string name;
  Outcome outcome = Outcome::kPassed;
  std::string reason;
  bool in_scope = false;
};

// Reads the model's protobuf directly (not through the frontend) to decide the scope independently of it.
bool is_in_scope(const fs::path& model_path) {
  onnx::ModelProto model;
  try {
    if (!onnx_frontend::parse_message(onnx_frontend::read_file_bytes(model_path.string()), model))
      return false;
  } catch (const Error&) {
    return false;
  }
  for (const auto& node : model.graph().node())
    if (!required_ops().contains(node.op_type())) return false;
  for (const auto* list : {&model.graph().input(), &model.graph().output()})
    for (const auto& info : *list)
      if (!onnx_frontend::element_type_from_onnx(info.type().tensor_type().elem_type())) return false;
  return true;
}

TestResult unsupported(TestResult r, const std::string& why) {
  r.outcome = Outcome::kUnsupported;
  r.reason = why;
  return r;
}
TestResult failed(TestResult r, const std::string& why) {
  r.outcome = Outcome::kFailed;
  r.reason = why;
  return r;
}

TestResult run_data_set(TestResult r, const Graph& graph, const fs::path& data_set) {
  const std::string set_name = data_set.filename().string();
  std::vector<Tensor> inputs = testing::read_numbered_tensors(data_set, "input");
  std::vector<Tensor> expected = testing::read_numbered_tensors(data_set, "output");
  if (inputs.size() != graph.inputs().size())
    return failed(r, str_cat(set_name, ": ", inputs.size(), " input files for ", graph.inputs().size(),
                             " graph inputs"));
  if (expected.size() != graph.outputs().size())
    return failed(r, str_cat(set_name, ": ", expected.size(), " output files for ", graph.outputs().size(),
                             " graph outputs"));
  TensorMap feed;
  for (size_t k = 0; k < inputs.size(); ++k) feed[graph.inputs()[k]->name()] = inputs[k];
  const TensorMap outputs = ReferenceExecutor(graph).run(feed);
  for (size_t k = 0; k < expected.size(); ++k) {
    const std::string& name = graph.outputs()[k]->name();
    const testing::Comparison c = testing::compare_tensors(outputs.at(name), expected[k], {1e-5, 1e-4});
    if (!c.match) return failed(r, str_cat(set_name, ": output ", k, " '", name, "': ", c.reason));
  }
  return r;
}

TestResult run_node_test(const fs::path& dir) {
  TestResult r;
  r.name = dir.filename().string();
  r.in_scope = is_in_scope(dir / "model.onnx");
  try {
    const Graph graph = read_onnx_model((dir / "model.onnx").string());
    for (const fs::path& data_set : testing::test_data_sets(dir)) {
      r = run_data_set(r, graph, data_set);
      if (r.outcome != Outcome::kPassed) return r;
    }
    return r;
  } catch (const Error& e) {
    // kUnsupported from loading (op, type) or from running (an op refusing an attribute or type combination).
    if (e.code() == ErrorCode::kUnsupported) return unsupported(r, e.what());
    return failed(r, str_cat(to_string(e.code()), ": ", e.what()));
  } catch (const std::exception& e) {
    return failed(r, str_cat("exception: ", e.what()));
  }
}

// `test_name<TAB>reason` lines; '#' starts a comment.
std::map<std::string, std::string> read_expected_failures(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    out[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
  }
  return out;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

TEST(OnnxConformanceTest, NodeTests) {
  if (!fs::is_directory(kNodeTestDir))
    GTEST_SKIP() << kNodeTestDir << " not found (install libonnx-testdata)";
  const char* filter_env = std::getenv("OCTET_CONFORMANCE_FILTER");
  const std::string filter = filter_env ? filter_env : "";
  const char* verbose_env = std::getenv("OCTET_CONFORMANCE_VERBOSE");
  const bool verbose = verbose_env && std::string(verbose_env) == "1";
  const auto expected_failures =
      read_expected_failures(fs::path(OCTET_SOURCE_DIR) / "tests/e2e/onnx_expected_failures.txt");

  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(kNodeTestDir))
    if (entry.is_directory() && entry.path().filename().string().find(filter) != std::string::npos)
      dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());

  size_t passed = 0, failed_count = 0, unsupported_count = 0, in_scope = 0, in_scope_passed = 0;
  std::vector<std::string> unexpected_failures, listed_but_passing;
  for (const fs::path& dir : dirs) {
    const TestResult r = run_node_test(dir);
    const bool listed = expected_failures.contains(r.name);
    in_scope += r.in_scope ? 1 : 0;
    switch (r.outcome) {
      case Outcome::kPassed:
        ++passed;
        in_scope_passed += r.in_scope ? 1 : 0;
        if (listed) listed_but_passing.push_back(r.name);
        if (verbose) std::cout << "PASS " << r.name << "\n";
        break;
      case Outcome::kFailed:
        ++failed_count;
        std::cout << "FAIL " << r.name << (listed ? " (expected)" : "") << ": " << first_line(r.reason)
                  << "\n";
        if (!listed) unexpected_failures.push_back(r.name);
        break;
      case Outcome::kUnsupported:
        ++unsupported_count;
        if (verbose || (r.in_scope && !listed))
          std::cout << "UNSUPPORTED " << r.name << (r.in_scope ? " (in scope)" : "") << ": "
                    << first_line(r.reason) << "\n";
        if (r.in_scope && !listed) unexpected_failures.push_back(r.name);
        break;
    }
  }
  std::cout << "onnx node tests: " << passed << " passed, " << failed_count << " failed, "
            << unsupported_count << " unsupported\n";
  const double rate =
      in_scope == 0 ? 1.0 : static_cast<double>(in_scope_passed) / static_cast<double>(in_scope);
  std::cout << "in scope (required ops, supported types): " << in_scope_passed << " of " << in_scope
            << " passed (" << static_cast<int>(rate * 1000) / 10.0 << "%)\n";
  for (const std::string& name : listed_but_passing)
    std::cout << "listed in onnx_expected_failures.txt but passes now: " << name << "\n";

  EXPECT_TRUE(unexpected_failures.empty())
      << unexpected_failures.size()
      << " in-scope test(s) failed or were refused that onnx_expected_failures.txt does not list";
  if (filter.empty()) {
    EXPECT_GE(rate, kRequiredInScopePassRate)
        << "in-scope pass rate " << rate << " is below " << kRequiredInScopePassRate;
  }
}

}  // namespace
}  // namespace octet
