#include "evaluation/evaluate_model.h"

#include <chrono>
#include <optional>

#include "evaluation/hit_rate.h"
#include "evaluation/label_map.h"
#include "evaluation/mean_iou.h"
#include "evaluation/top_k_accuracy.h"
#include "graph/graph.h"
#include "octet/core.h"

namespace octet::evaluation {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One metric's accumulator, fed one (sample, output) at a time.
class Scorer {
 public:
  Scorer(const EvaluationOptions& options, int label_offset)
      : options_(options),
        label_offset_(label_offset),
        top_k_(options.top_k, label_offset),
        hit_rate_(options.top_k),
        detection_map_(options.ap_method, options.iou_threshold) {}

  void add(const dataset::Sample& sample, const Tensor& output, EvaluationResult& result) {
    switch (options_.metric) {
      case Metric::kTop1:
      case Metric::kHitRate: {
        OCTET_CHECK(output.type() == ElementType::kF32, ErrorCode::kInvalidArgument,
                    "the scored output must be f32, got ", output.description());
        const std::span<const float> scores = output.values<float>();
        result.predictions.push_back(argmax(scores));
        if (!sample.label) {
          OCTET_CHECK(labeled_ != true, ErrorCode::kInvalidArgument, sample.path, " has no label");
          labeled_ = false;
          return;
        }
        labeled_ = true;
        if (options_.metric == Metric::kTop1) {
          top_k_.add(scores, *sample.label);
        } else {
          hit_rate_.add(scores, *sample.label);
        }
        return;
      }
      case Metric::kMap: {
        OCTET_CHECK(!sample.annotation.empty(), ErrorCode::kInvalidArgument, sample.path,
                    ": mAP needs a box annotation file as the list file's second column");
        const std::vector<GroundTruthObject> truth = read_box_annotation(sample.annotation, label_offset_);
        detection_map_.add(parse_detection_output(output), truth);
        return;
      }
      case Metric::kMiou: {
        OCTET_CHECK(!sample.annotation.empty(), ErrorCode::kInvalidArgument, sample.path,
                    ": mean IoU needs a mask file as the list file's second column");
        const LabelMap truth = read_label_mask(sample.annotation);
        const LabelMap predicted = resize_nearest(predicted_labels(output), truth.width, truth.height);
        if (!mean_iou_) {
          const int classes =
              output.rank() == 4 && output.dims()[1] >= 2 ? static_cast<int>(output.dims()[1]) : 256;
          mean_iou_.emplace(classes, options_.ignore_label);
        }
        try {
          mean_iou_->add(predicted.labels, truth.labels);
        } catch (const Error& e) {
          fail(e.code(), sample.annotation, ": ", e.what());
        }
        return;
      }
    }
  }

  std::vector<std::pair<std::string, double>> values() const {
    switch (options_.metric) {
      case Metric::kTop1:
        if (labeled_ != true) return {};
        if (options_.top_k == 1) return {{"top1", top_k_.top1()}};
        return {{"top1", top_k_.top1()}, {str_cat("top", options_.top_k), top_k_.top_k()}};
      case Metric::kHitRate:
        if (labeled_ != true) return {};
        return {{"hitrate", hit_rate_.hit_rate()}, {"ndcg", hit_rate_.ndcg()}};
      case Metric::kMap:
        return {{"map", detection_map_.mean_average_precision()}};
      case Metric::kMiou:
        if (!mean_iou_) return {};
        return {{"miou", mean_iou_->mean_iou()}, {"pixel_accuracy", mean_iou_->pixel_accuracy()}};
    }
    return {};
  }

 private:
  const EvaluationOptions& options_;
  int label_offset_;
  std::optional<bool> labeled_;  // whether the samples carry labels (all or none)
  TopKAccuracy top_k_;
  HitRate hit_rate_;
  DetectionMap detection_map_;
  std::optional<MeanIou> mean_iou_;  // made at the first output, which says how many classes there are
};

std::string output_name(const Model& model, const std::string& wanted) {
  const std::vector<PortInfo> outputs = model.outputs();
  OCTET_CHECK(!outputs.empty(), ErrorCode::kInvalidModel, "the model has no outputs");
  if (wanted.empty()) return outputs[0].name;
  std::string names;
  for (const PortInfo& p : outputs) {
    if (p.name == wanted) return wanted;
    names += (names.empty() ? "'" : ", '") + p.name + "'";
  }
  fail(ErrorCode::kInvalidArgument, "the model has no output '", wanted, "' (its outputs: ", names, ")");
}

}  // namespace

Metric parse_metric(const std::string& name) {
  if (name == "top1") return Metric::kTop1;
  if (name == "map") return Metric::kMap;
  if (name == "miou") return Metric::kMiou;
  if (name == "hitrate") return Metric::kHitRate;
  fail(ErrorCode::kInvalidArgument, "--metric must be top1, map, miou or hitrate, got '", name, "'");
}

const char* to_string(Metric metric) {
  switch (metric) {
    case Metric::kTop1:
      return "top1";
    case Metric::kMap:
      return "map";
    case Metric::kMiou:
      return "miou";
    case Metric::kHitRate:
      return "hitrate";
  }
  return "?";
}

double EvaluationResult::value(const std::string& name) const {
  for (const auto& [key, v] : values)
    if (key == name) return v;
  fail(ErrorCode::kInvalidArgument, "the evaluation of ", model, " has no value '", name, "'");
}

EvaluationResult evaluate_model(const std::shared_ptr<Model>& model, const dataset::Dataset& data,
                                const EvaluationOptions& options, const std::string& name) {
  const Clock::time_point start = Clock::now();
  const std::vector<Value*> inputs = model->graph().inputs();
  const std::string output = output_name(*model, options.output);

  // Samples of a dynamic-shape model fix its input dims (batch 1, the image size).
  std::map<std::string, Tensor> first = data.load_inputs(0, inputs);
  std::map<std::string, Dims> dims;
  for (const Value* input : inputs)
    if (!input->shape().is_static()) dims[input->name()] = first.at(input->name()).dims();
  if (!dims.empty()) model->reshape(dims);
  InferRequest request = Core().compile_model(model, options.compile).create_infer_request();

  EvaluationResult result;
  result.model = name;
  result.metric = options.metric;
  Scorer scorer(options, data.options().label_offset);
  for (size_t i = 0; i < data.size(); ++i) {
    const std::map<std::string, Tensor> samples =
        i == 0 ? first : data.load_inputs(i, model->graph().inputs());
    for (const auto& [input_name, sample] : samples) request.set_input_tensor(input_name, sample);
    const Clock::time_point infer_start = Clock::now();
    request.infer();
    result.infer_seconds += seconds_since(infer_start);
    scorer.add(data.sample(i), request.get_output_tensor(output), result);
    ++result.count;
    if (options.progress) options.progress(i + 1, data.size());
  }
  result.values = scorer.values();
  result.seconds = seconds_since(start);
  return result;
}

EvaluationResult evaluate_model(const std::string& model_path, const dataset::Dataset& data,
                                const EvaluationOptions& options) {
  return evaluate_model(Core().read_model(model_path), data, options, model_path);
}

}  // namespace octet::evaluation
