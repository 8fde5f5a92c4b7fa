#include "quantization/calibration_runner.h"

#include <omp.h>

#include <exception>
#include <memory>
#include <set>

#include "graph/graph_clone.h"
#include "octet/core.h"

namespace octet::quantization {
namespace {

// Where an observed tensor's values come from in each sample.
struct Tap {
  enum class Kind { kOutput, kGraphInput, kConstant };
  std::string name;
  Kind kind;
  Tensor constant;  // for kConstant
};

// The observed tensors, merged by name (a tensor observed twice with and without channel means gets them).
std::map<std::string, bool> merge_observed(const std::vector<ObservedTensor>& observed) {
  std::map<std::string, bool> merged;
  for (const ObservedTensor& o : observed) merged[o.name] = merged[o.name] || o.per_channel_mean;
  return merged;
}

// Makes every observed tensor of `graph` readable after an inference; returns where each is read.
std::vector<Tap> add_taps(Graph& graph, const std::map<std::string, bool>& observed) {
  std::vector<Tap> taps;
  for (const auto& [name, per_channel] : observed) {
    Value* value = graph.find_value(name);
    OCTET_CHECK(value, ErrorCode::kInvalidArgument, "calibration: the model has no tensor '", name, "'");
    OCTET_CHECK(value->type() == ElementType::kF32, ErrorCode::kInvalidArgument, "calibration: tensor '",
                name, "' is ", to_string(value->type()), ", only f32 activations can be calibrated");
    if (value->is_constant()) {
      taps.push_back({name, Tap::Kind::kConstant, value->constant()});
    } else if (value->is_graph_input()) {
      taps.push_back({name, Tap::Kind::kGraphInput, {}});
    } else {
      if (!graph.is_graph_output(value)) graph.add_output(value);
      taps.push_back({name, Tap::Kind::kOutput, {}});
    }
  }
  return taps;
}

void set_inputs(InferRequest& request, const std::vector<PortInfo>& model_inputs,
                const std::map<std::string, Tensor>& sample, size_t index) {
  std::set<std::string> known;
  for (const PortInfo& input : model_inputs) {
    const auto it = sample.find(input.name);
    OCTET_CHECK(it != sample.end(), ErrorCode::kInvalidArgument, "calibration sample ", index,
                " has no tensor for model input '", input.name, "'");
    request.set_input_tensor(input.name, it->second);
    known.insert(input.name);
  }
  for (const auto& [name, tensor] : sample) {
    OCTET_CHECK(known.count(name), ErrorCode::kInvalidArgument, "calibration sample ", index,
                " has a tensor '", name, "' but the model has no such input");
  }
}

// Adds each observed tensor to its statistics, the tensors spread over the threads (each statistics object is
// updated by one thread, so the result does not depend on the schedule). Statistics cost about as much as
// the inference itself (a few ns per value), so they use the same threads. Exceptions cannot leave an
// OpenMP region: the first one in tensor order is rethrown after it.
void add_in_parallel(const std::vector<TensorStatistics*>& targets, const std::vector<Tensor>& values,
                     int threads) {
  std::vector<std::exception_ptr> errors(targets.size());
  const auto count = static_cast<int64_t>(targets.size());
#pragma omp parallel for schedule(dynamic) num_threads(threads)
  for (int64_t k = 0; k < count; ++k) {
    try {
      targets[static_cast<size_t>(k)]->add(values[static_cast<size_t>(k)]);
    } catch (...) {
      errors[static_cast<size_t>(k)] = std::current_exception();
    }
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace

std::map<std::string, TensorStatistics> collect_statistics(const Graph& graph,
                                                           const std::vector<ObservedTensor>& observed,
                                                           size_t count, const SampleSource& samples,
                                                           int num_threads,
                                                           const ProgressCallback& progress) {
  OCTET_CHECK(count > 0, ErrorCode::kInvalidArgument, "calibration needs at least one sample");
  const std::map<std::string, bool> merged = merge_observed(observed);
  auto clone = std::make_unique<Graph>(clone_graph(graph));
  const std::vector<Tap> taps = add_taps(*clone, merged);

  std::map<std::string, TensorStatistics> statistics;
  for (const auto& [name, per_channel] : merged)
    statistics.emplace(name, TensorStatistics(name, per_channel));

  const auto model = std::make_shared<const Model>(std::move(clone));
  CompileConfig config;
  config.num_threads = num_threads;
  config.num_streams = 1;
  config.precision = InferencePrecision::kF32;
  const CompiledModel compiled = Core().compile_model(model, config);
  InferRequest request = compiled.create_infer_request();
  const std::vector<PortInfo> model_inputs = compiled.inputs();

  std::vector<TensorStatistics*> targets;
  for (const Tap& tap : taps) targets.push_back(&statistics.at(tap.name));
  std::vector<Tensor> observed_values(taps.size());
  const int threads = num_threads > 0 ? num_threads : omp_get_max_threads();
  for (size_t index = 0; index < count; ++index) {
    const std::map<std::string, Tensor> sample = samples(index);
    set_inputs(request, model_inputs, sample, index);
    request.infer();
    for (size_t k = 0; k < taps.size(); ++k) {
      switch (taps[k].kind) {
        case Tap::Kind::kOutput:
          observed_values[k] = request.get_output_tensor(taps[k].name);
          break;
        case Tap::Kind::kGraphInput:
          observed_values[k] = sample.at(taps[k].name);
          break;
        case Tap::Kind::kConstant:
          observed_values[k] = taps[k].constant;
          break;
      }
    }
    add_in_parallel(targets, observed_values, threads);
    if (progress) progress(index + 1, count);
  }
  return statistics;
}

}  // namespace octet::quantization
