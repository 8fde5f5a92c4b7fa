#include "tools/fashion_mnist_demo.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "frontends/model_reader.h"
#include "frontends/onnx/onnx_writer.h"
#include "frontends/openvino_ir/ir_writer.h"
#include "io/tensor_file.h"
#include "octet/core.h"
#include "quantization/quantization_report.h"
#include "quantization/quantizer.h"
#include "reference/reference_executor.h"
#include "tools/benchmark/performance_counters.h"
#include "tools/benchmark/precision_summary.h"
#include "tools/classification.h"
#include "tools/model_summary.h"
#include "tools/progress_bar.h"

namespace octet::tools {
namespace {

namespace fs = std::filesystem;
constexpr char kDefaultModelName[] = "fashion_mnist_cnn.onnx";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The model must take one f32 [N,1,28,28] input and give [N,10] scores.
const Value& check_model_interface(const Graph& graph) {
  OCTET_CHECK(graph.inputs().size() == 1 && graph.outputs().size() == 1, ErrorCode::kInvalidArgument,
              "the demo needs a model with one input and one output");
  const Value& input = *graph.inputs()[0];
  OCTET_CHECK(input.type() == ElementType::kF32 && input.shape().accepts({1, 1, 28, 28}),
              ErrorCode::kInvalidArgument, "the demo needs an f32 [N,1,28,28] input, the model's '",
              input.name(), "' is ", to_string(input.type()), input.shape().to_string());
  return input;
}

// Appends the predictions of scores [rows >= n, 10] for images [first, first + n).
void score_batch(const Tensor& logits, const LabeledImages& set, int64_t first, int64_t n,
                 Evaluation& result) {
  OCTET_CHECK(logits.type() == ElementType::kF32 && logits.rank() == 2 && logits.dims()[0] >= n &&
                  logits.dims()[1] == 10,
              ErrorCode::kInvalidArgument, "the demo needs f32 [N,10] scores, the model gave ",
              logits.description());
  const float* rows = logits.data<float>();
  for (int64_t i = 0; i < n; ++i) {
    const ClassScore best = top_k(std::span<const float>(rows + i * 10, 10), 1)[0];
    const int label = set.labels.data<uint8_t>()[first + i];
    result.predictions.push_back({label, best.index, best.probability});
    result.correct += best.index == label;
  }
}

}  // namespace

std::string find_default_model(const std::string& executable_path) {
  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path exe = fs::canonical(executable_path.empty() ? "/proc/self/exe" : executable_path, ec);
  if (!ec) {
    candidates.push_back(exe.parent_path().parent_path() / "models" / kDefaultModelName);
    candidates.push_back(exe.parent_path() / "models" / kDefaultModelName);
  }
#ifdef OCTET_SOURCE_DIR
  candidates.push_back(fs::path(OCTET_SOURCE_DIR) / "models" / kDefaultModelName);
#endif
  for (const fs::path& p : candidates)
    if (fs::is_regular_file(p, ec)) return p.string();
  std::string tried;
  for (const fs::path& p : candidates) tried += "\n  " + p.string();
  fail(ErrorCode::kIo, "cannot find the default model ", kDefaultModelName, "; tried:", tried,
       "\npass --model PATH");
}

Tensor fashion_mnist_batch(const LabeledImages& set, int64_t first, int64_t count) {
  constexpr int64_t kPixels = 28 * 28;
  Tensor batch(ElementType::kF32, {count, 1, 28, 28});
  const uint8_t* pixels = set.images.data<uint8_t>() + first * kPixels;
  float* out = batch.data<float>();
  // The same float32 operations as the training script's numpy code: x / 255, - mean, / std.
  for (int64_t i = 0; i < count * kPixels; ++i)
    out[i] = (static_cast<float>(pixels[i]) / 255.0f - kFashionMnistMean) / kFashionMnistStd;
  return batch;
}

Evaluation evaluate_with_reference(const Graph& graph, const LabeledImages& set, int64_t count,
                                   int64_t batch_size) {
  const Value& input = check_model_interface(graph);
  const std::string output_name = graph.outputs()[0]->name();
  const ReferenceExecutor executor(graph);
  Evaluation result;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t first = 0; first < count; first += batch_size) {
    const int64_t n = std::min(batch_size, count - first);
    const Tensor logits = executor.run({{input.name(), fashion_mnist_batch(set, first, n)}}).at(output_name);
    score_batch(logits, set, first, n, result);
  }
  result.seconds = seconds_since(start);
  return result;
}

Evaluation evaluate_with_runtime(const std::string& model_path, const LabeledImages& set, int64_t count,
                                 int64_t batch_size, std::vector<ProfilingInfo>* counters) {
  Core core;
  const std::shared_ptr<Model> model = core.read_model(model_path);
  const Value& input = check_model_interface(model->graph());
  model->reshape({{input.name(), {batch_size, 1, 28, 28}}});
  CompileConfig config;
  config.profiling = counters != nullptr;
  const CompiledModel compiled = core.compile_model(model, config);
  InferRequest request = compiled.create_infer_request();
  Tensor images = request.get_input_tensor();
  Evaluation result;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t first = 0; first < count; first += batch_size) {
    const int64_t n = std::min(batch_size, count - first);
    // The compiled batch is fixed: a short last batch is padded with zeros and its extra rows ignored.
    const Tensor batch = fashion_mnist_batch(set, first, n);
    std::fill(images.values<float>().begin(), images.values<float>().end(), 0.0f);
    std::copy(batch.values<float>().begin(), batch.values<float>().end(), images.values<float>().begin());
    request.infer();
    score_batch(request.get_output_tensor(), set, first, n, result);
  }
  result.seconds = seconds_since(start);
  if (counters) *counters = request.get_profiling_info();
  return result;
}

void print_evaluation(const std::string& title, const Evaluation& evaluation, int shown_predictions) {
  const auto n = static_cast<int64_t>(evaluation.predictions.size());
  std::cout << title << ": accuracy " << std::fixed << std::setprecision(2)
            << (n ? 100.0 * evaluation.correct / n : 0.0) << "% (" << evaluation.correct << "/" << n << "), "
            << std::setprecision(2) << evaluation.seconds << " s, " << std::setprecision(0)
            << (evaluation.seconds > 0 ? n / evaluation.seconds : 0.0) << " images/s\n"
            << std::defaultfloat;
  if (shown_predictions > 0) std::cout << "  image  true label     predicted      probability\n";
  for (int64_t i = 0; i < std::min<int64_t>(shown_predictions, n); ++i) {
    const Prediction& p = evaluation.predictions[i];
    std::cout << "  " << std::setw(5) << i << "  " << std::left << std::setw(13)
              << kFashionMnistClassNames[p.label] << "  " << std::setw(13)
              << kFashionMnistClassNames[p.predicted] << std::right << "  " << std::fixed
              << std::setprecision(4) << p.probability << std::defaultfloat
              << (p.label == p.predicted ? "" : "  (wrong)") << "\n";
  }
}

void quantize_default_model(const Graph& graph, const std::string& data_dir, int64_t count,
                            const std::string& out_path) {
  const LabeledImages train = read_fashion_mnist_set(data_dir, "train");
  const int64_t n = std::min(count, train.labels.element_count());
  // The quantizer reads samples from files; the normalized training images go into one [N,1,28,28] .npy
  // next to the output (removed afterwards).
  const std::string samples_path = out_path + ".calibration.npy";
  write_npy(samples_path, fashion_mnist_batch(train, 0, n));
  const dataset::Dataset calibration = dataset::Dataset::open(samples_path, {});
  std::unique_ptr<ProgressBar> bar;
  quantization::QuantizeCallbacks callbacks;
  callbacks.calibration_progress = [&](size_t done, size_t total) {
    if (!bar) bar = std::make_unique<ProgressBar>("  calibrating", total);
    bar->update(done);
  };
  quantization::QuantizationResult result;
  try {
    result = quantization::quantize_model(graph, calibration, calibration, {}, callbacks);
  } catch (...) {
    std::filesystem::remove(samples_path);
    throw;
  }
  std::filesystem::remove(samples_path);
  const bool onnx = std::filesystem::path(out_path).extension() == ".onnx";
  if (onnx) {
    write_onnx(result.graph, out_path);
  } else {
    write_openvino_ir(result.graph, out_path);
  }
  std::cout << "  ";
  quantization::print_summary(result.report, std::cout);
  std::cout << "  wrote " << out_path << (onnx ? " (ONNX QDQ)\n" : " (OpenVINO IR with FakeQuantize)\n");
}

void run_demo(const DemoConfig& config, const std::string& executable_path) {
  const auto start = std::chrono::steady_clock::now();
  // Step 1: the model.
  const std::string model_path =
      config.model_path.empty() ? find_default_model(executable_path) : config.model_path;
  const Graph graph = read_model(model_path);
  const ModelSummary summary = summarize(graph);
  std::cout << "[1/6] model " << model_path << ": " << graph.node_count() << " nodes, "
            << summary.parameter_count << " parameters, " << (summary.quantized ? "quantized" : "float")
            << "\n";

  // Step 2: the data.
  const LabeledImages set = read_fashion_mnist_test_set(config.data_dir);
  const int64_t available = set.labels.element_count();
  OCTET_CHECK(config.limit >= 0, ErrorCode::kInvalidArgument, "--limit must not be negative");
  OCTET_CHECK(config.calibration_count > 0, ErrorCode::kInvalidArgument, "--calibration must be positive");
  const int64_t count = config.limit > 0 ? std::min(config.limit, available) : available;
  std::cout << "[2/6] Fashion-MNIST test set " << config.data_dir << ": " << available << " images, using "
            << count << "\n";

  // Step 3: f32 inference with the CPU runtime (oneDNN kernels, fused post-ops).
  OCTET_CHECK(config.batch_size > 0, ErrorCode::kInvalidArgument, "--batch must be positive");
  const Evaluation fp32 = evaluate_with_runtime(model_path, set, count, config.batch_size, nullptr);
  print_evaluation("[3/6] CPU runtime (f32)", fp32, 0);

  // Step 4: post-training quantization on training images (never the test images).
  std::filesystem::path folder;
  std::string quantized_path = config.quantized_path;
  if (quantized_path.empty()) {
    folder = std::filesystem::temp_directory_path() / ("octet-demo-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    quantized_path = (folder / "fashion_mnist_cnn.int8.xml").string();
  }
  std::cout << "[4/6] quantizing on the first " << config.calibration_count << " training images\n";
  quantize_default_model(graph, config.data_dir, config.calibration_count, quantized_path);

  // Step 5: the quantized model on the CPU runtime: int8 kernels, per-layer counters and the int8 summary.
  std::vector<ProfilingInfo> counters;
  const Evaluation int8 = evaluate_with_runtime(quantized_path, set, count, config.batch_size, &counters);
  print_evaluation("[5/6] CPU runtime (int8)", int8, config.shown_predictions);
  std::cout << std::fixed << std::setprecision(2) << "  accuracy drop "
            << 100.0 * (fp32.correct - int8.correct) / count << " points; speed "
            << (int8.seconds > 0 ? fp32.seconds / int8.seconds : 0.0) << "x of f32\n"
            << std::defaultfloat;
  std::cout << "  per-layer counters (average per batch of " << config.batch_size << "):\n";
  const std::vector<benchmark::LayerCounters> rows = benchmark::average_counters(counters);
  benchmark::print_counters_table(std::cout, rows, "no_sort", "CPU");
  benchmark::print_precision_summary(std::cout, benchmark::summarize_precision(rows));

  // Step 6: the reference executor runs the quantized model with FakeQuantize simulated in f32, an
  // independent check of the int8 kernels' predictions.
  const int64_t checked = std::min<int64_t>(count, config.reference_limit);
  Graph quantized = read_model(quantized_path);
  const Evaluation reference = evaluate_with_reference(quantized, set, checked, config.batch_size);
  int64_t agree = 0;
  for (int64_t i = 0; i < checked; ++i)
    agree += reference.predictions[i].predicted == int8.predictions[i].predicted;
  print_evaluation(
      "[6/6] reference executor (int8 simulated in f32) on the first " + std::to_string(checked) + " images",
      reference, 0);
  std::cout << "  int8 runtime and reference agree on " << agree << "/" << checked << " predictions\n";
  if (!folder.empty()) std::filesystem::remove_all(folder);

  std::cout << "total time " << std::fixed << std::setprecision(2) << seconds_since(start) << " s\n"
            << std::defaultfloat;
}

}  // namespace octet::tools
