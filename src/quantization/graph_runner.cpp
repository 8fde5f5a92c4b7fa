#include "quantization/graph_runner.h"

#include <algorithm>
#include <chrono>

#include "graph/graph_clone.h"

namespace octet::quantization {
namespace {

CompiledModel compile(const Graph& graph, int num_threads, InferencePrecision precision) {
  CompileConfig config;
  config.num_threads = num_threads;
  config.precision = precision;
  return Core().compile_model(model_from_graph(graph), config);
}

void set_inputs(InferRequest& request, const std::map<std::string, Tensor>& feeds) {
  for (const auto& [name, tensor] : feeds) request.set_input_tensor(name, tensor);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n == 0 ? 0.0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

std::shared_ptr<Model> model_from_graph(const Graph& graph) {
  return std::make_shared<Model>(std::make_unique<Graph>(clone_graph(graph)));
}

std::vector<std::vector<float>> first_outputs(const Graph& graph, const dataset::Dataset& data, size_t count,
                                              int num_threads, InferencePrecision precision) {
  InferRequest request = compile(graph, num_threads, precision).create_infer_request();
  std::vector<std::vector<float>> outputs;
  for (size_t i = 0; i < std::min(count, data.size()); ++i) {
    set_inputs(request, data.load_inputs(i, graph.inputs()));
    request.infer();
    const Tensor output = request.get_output_tensor(0);
    OCTET_CHECK(output.type() == ElementType::kF32, ErrorCode::kUnsupported, "the model's first output is ",
                to_string(output.type()), ", accuracy control compares f32 outputs");
    const float* values = output.data<float>();
    outputs.emplace_back(values, values + output.element_count());
  }
  return outputs;
}

double normalized_output_error(const std::vector<std::vector<float>>& outputs,
                               const std::vector<std::vector<float>>& reference) {
  OCTET_CHECK(outputs.size() == reference.size(), ErrorCode::kInternal, "output counts differ");
  double total = 0;
  for (size_t s = 0; s < outputs.size(); ++s) {
    const std::vector<float>& y = outputs[s];
    const std::vector<float>& r = reference[s];
    OCTET_CHECK(y.size() == r.size(), ErrorCode::kInternal, "output sizes differ");
    double error = 0, norm = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      const double d = static_cast<double>(y[i]) - r[i];
      error += d * d;
      norm += static_cast<double>(r[i]) * r[i];
    }
    total += norm > 0 ? error / norm : error;
  }
  return outputs.empty() ? 0.0 : total / static_cast<double>(outputs.size());
}

std::pair<double, double> median_latencies_ms(const Graph& a, InferencePrecision a_precision, const Graph& b,
                                              InferencePrecision b_precision, const dataset::Dataset& data,
                                              int num_threads, int rounds) {
  OCTET_CHECK(data.size() > 0, ErrorCode::kInvalidArgument, "no sample to time the models on");
  InferRequest first = compile(a, num_threads, a_precision).create_infer_request();
  InferRequest second = compile(b, num_threads, b_precision).create_infer_request();
  set_inputs(first, data.load_inputs(0, a.inputs()));
  set_inputs(second, data.load_inputs(0, b.inputs()));
  first.infer();  // warm-up: first-touch of the arenas, oneDNN's lazy initialization
  second.infer();
  std::vector<double> times_a, times_b;
  const auto time_one = [](InferRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    request.infer();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  for (int r = 0; r < rounds; ++r) {
    times_a.push_back(time_one(first));
    times_b.push_back(time_one(second));
  }
  return {median(times_a), median(times_b)};
}

}  // namespace octet::quantization
