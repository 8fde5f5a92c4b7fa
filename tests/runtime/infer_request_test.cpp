// The runtime API on the repo's default model (models/fashion_mnist_cnn.onnx): outputs equal the reference
// executor, requests run in parallel with the same results as sequential runs, counters cover every node,
// bad inputs and properties give clear errors.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "graph/graph.h"
#include "octet/core.h"
#include "reference/reference_executor.h"
#include "tests/frontends/onnx_test_data.h"

namespace octet {
namespace {

std::string default_model_path() {
  return std::string(OCTET_SOURCE_DIR) + "/models/fashion_mnist_cnn.onnx";
}

Tensor random_images(int64_t batch, uint32_t seed) {
  Tensor t(ElementType::kF32, {batch, 1, 28, 28});
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-0.8f, 2.0f);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

TEST(InferRequestTest, MatchesReferenceExecutorWithBatch) {
  Core core;
  auto model = core.read_model(default_model_path(), {{"image", {3, 1, 28, 28}}});
  CompiledModel compiled = core.compile_model(model, {.num_threads = 2});
  ASSERT_EQ(compiled.inputs().size(), 1u);
  EXPECT_EQ(compiled.inputs()[0].shape, Shape({3, 1, 28, 28}));
  InferRequest request = compiled.create_infer_request();
  const Tensor images = random_images(3, 1);
  request.set_input_tensor(images);
  request.infer();
  const TensorMap expected = ReferenceExecutor(model->graph()).run({{"image", images}});
  const testing::Comparison c =
      testing::compare_tensors(request.get_output_tensor(0), expected.begin()->second, {1e-5, 1e-4});
  EXPECT_TRUE(c.match) << c.reason;
}

TEST(InferRequestTest, DynamicBatchCompilesAsOne) {
  Core core;
  CompiledModel compiled = core.compile_model(default_model_path());
  EXPECT_EQ(compiled.inputs()[0].shape, Shape({1, 1, 28, 28}));
  EXPECT_EQ(compiled.config().num_streams, 1);  // latency hint
}

TEST(InferRequestTest, FourParallelRequestsMatchSequentialRuns) {
  Core core;
  CompiledModel compiled = core.compile_model(default_model_path(), {.num_threads = 2, .num_streams = 2});
  constexpr int kRequests = 4;
  constexpr int kInferences = 1000;
  constexpr int kDistinctInputs = 8;
  // Sequential outputs, one per distinct input.
  std::vector<Tensor> inputs, expected;
  InferRequest sequential = compiled.create_infer_request();
  for (int i = 0; i < kDistinctInputs; ++i) {
    inputs.push_back(random_images(1, 100 + i));
    sequential.set_input_tensor(inputs.back());
    sequential.infer();
    expected.push_back(sequential.get_output_tensor().clone());
  }
  // Four requests, each on its own thread, alternating sync and async calls.
  std::vector<int> mismatches(kRequests, 0);
  std::vector<std::thread> threads;
  for (int r = 0; r < kRequests; ++r) {
    threads.emplace_back([&, r] {
      InferRequest request = compiled.create_infer_request();
      for (int i = r; i < kInferences; i += kRequests) {
        const int which = i % kDistinctInputs;
        request.set_input_tensor(inputs[which]);
        if (i % 2) {
          request.start_async();
          request.wait();
        } else {
          request.infer();
        }
        const Tensor out = request.get_output_tensor();
        const auto got = out.values<float>();
        const auto want = expected[which].values<float>();
        if (!std::equal(got.begin(), got.end(), want.begin())) ++mismatches[r];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int r = 0; r < kRequests; ++r) EXPECT_EQ(mismatches[r], 0) << "request " << r;
}

TEST(InferRequestTest, CountersCoverEveryNodeAndShowFusion) {
  Core core;
  auto model = core.read_model(default_model_path());
  CompiledModel compiled = core.compile_model(model, {.profiling = true});
  InferRequest request = compiled.create_infer_request();
  request.set_input_tensor(random_images(1, 7));
  request.infer();
  const auto rows = request.get_profiling_info();
  std::set<std::string> names;
  bool conv_executed = false, relu_fused = false;
  for (const ProfilingInfo& row : rows) {
    names.insert(row.node_name);
    if (row.node_type == "Conv" && row.status == ProfilingInfo::Status::kExecuted) {
      conv_executed = true;
      EXPECT_NE(row.exec_type.find("FP32"), std::string::npos) << row.exec_type;
      EXPECT_EQ(row.executions, 1);
    }
    if (row.node_type == "Relu" && row.status == ProfilingInfo::Status::kOptimizedOut &&
        !row.fused_into.empty())
      relu_fused = true;
  }
  for (const Node* node : model->graph().nodes()) EXPECT_TRUE(names.count(node->name())) << node->label();
  EXPECT_TRUE(conv_executed);
  EXPECT_TRUE(relu_fused);
  const auto events = request.get_profiling_events();
  EXPECT_FALSE(events.empty());
  const std::string trace = to_chrome_trace_json(events);
  EXPECT_NE(trace.find("\"traceEvents\""), std::string::npos);
}

// CPU time (clock ticks) used so far by every thread of this process except the calling one.
long other_threads_cpu_ticks() {
  const std::string self = std::to_string(syscall(SYS_gettid));
  long ticks = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    if (task.path().filename() == self) continue;
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the ")" closing the thread name: state is field 3, utime and stime are fields 14 and 15.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int index = 3; index <= 15 && fields >> field; ++index)
      if (index >= 14) ticks += std::stol(field);
  }
  return ticks;
}

// num_threads = 1 must mean one busy thread. oneDNN plans a primitive for the OpenMP team size in effect when
// it is created, so a plan compiled under the process default (every core) ran each convolution on every core
// whatever the request's team size: an OpenMP worker computed alongside the caller (and, on a loaded machine,
// every layer waited for it). Here no other thread may use more than two clock ticks during 20 inferences.
TEST(InferRequestTest, OneThreadConfigRunsOnOneThread) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one core: nothing to oversubscribe";
  Core core;
  auto model = core.read_model(default_model_path(), {{"image", {64, 1, 28, 28}}});
  CompiledModel compiled = core.compile_model(model, {.num_threads = 1});
  InferRequest request = compiled.create_infer_request();
  request.set_input_tensor(random_images(64, 3));
  request.infer();                                              // first run: lazy initialisation
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // OpenMP workers of earlier work go to sleep
  const long before = other_threads_cpu_ticks();
  for (int i = 0; i < 20; ++i) request.infer();
  EXPECT_LE(other_threads_cpu_ticks() - before, 2);
}

TEST(InferRequestTest, WrongInputIsAClearError) {
  Core core;
  InferRequest request = core.compile_model(default_model_path()).create_infer_request();
  try {
    request.set_input_tensor(random_images(2, 1));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("image"), std::string::npos) << e.what();
  }
  EXPECT_THROW(request.get_output_tensor("no_such_output"), Error);
  EXPECT_THROW(request.set_input_tensor(5, random_images(1, 1)), Error);
}

TEST(CompileConfigTest, ParsesOpenVinoPropertyNames) {
  const CompileConfig config = CompileConfig::from_strings({{"INFERENCE_NUM_THREADS", "3"},
                                                            {"NUM_STREAMS", "2"},
                                                            {"PERFORMANCE_HINT", "THROUGHPUT"},
                                                            {"INFERENCE_PRECISION_HINT", "f32"},
                                                            {"PERF_COUNT", "YES"}});
  EXPECT_EQ(config.num_threads, 3);
  EXPECT_EQ(config.num_streams, 2);
  EXPECT_EQ(config.hint, PerformanceHint::kThroughput);
  EXPECT_EQ(config.precision, InferencePrecision::kF32);
  EXPECT_TRUE(config.profiling);
  EXPECT_THROW(CompileConfig::from_strings({{"NUM_THREADS", "2"}}), Error);
  EXPECT_THROW(CompileConfig::from_strings({{"INFERENCE_NUM_THREADS", "two"}}), Error);
  EXPECT_THROW(CompileConfig::from_strings({{"PERFORMANCE_HINT", "FAST"}}), Error);
}

}  // namespace
}  // namespace octet
