// DetectionOutput's evaluation: decode, per-class NMS, keep_top_k, write rows. Float arithmetic in the order
// of OpenVINO's reference, so that boxes and the NMS decisions near the threshold agree with it.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "ops/openvino_detection_output.h"

namespace octet::openvino {
namespace {

struct Box {
  float xmin = 0, ymin = 0, xmax = 0, ymax = 0;
};

// One image's view of the inputs.
struct ImageInputs {
  const float* loc = nullptr;       // [priors, loc_classes, 4]
  const float* conf = nullptr;      // [priors, classes]
  const float* priors = nullptr;    // [priors, prior_size], then (unless encoded in target) [priors, 4]
  const float* aux_conf = nullptr;  // [priors, 2] or nullptr
  const float* aux_loc = nullptr;   // like loc, or nullptr
};

Box clipped(Box b) {
  auto unit = [](float v) { return std::max(0.0f, std::min(1.0f, v)); };
  return {unit(b.xmin), unit(b.ymin), unit(b.xmax), unit(b.ymax)};
}

// The prediction (4 offsets) applied to a prior; `variance` is nullptr when the variance is encoded in the
// target (the offsets are already scaled).
Box decode(const DetectionOutputAttributes& a, Box prior, const float* variance, const float* offsets) {
  if (!a.normalized) {
    const auto w = static_cast<float>(a.input_width), h = static_cast<float>(a.input_height);
    prior = {prior.xmin / w, prior.ymin / h, prior.xmax / w, prior.ymax / h};
  }
  const float v[4] = {variance ? variance[0] : 1, variance ? variance[1] : 1, variance ? variance[2] : 1,
                      variance ? variance[3] : 1};
  // (Without a variance the products below are by 1.0f, which changes no bit.)
  Box out;
  if (!a.center_size) {
    out = {prior.xmin + v[0] * offsets[0], prior.ymin + v[1] * offsets[1], prior.xmax + v[2] * offsets[2],
           prior.ymax + v[3] * offsets[3]};
  } else {
    const float width = prior.xmax - prior.xmin, height = prior.ymax - prior.ymin;
    const float center_x = (prior.xmin + prior.xmax) / 2, center_y = (prior.ymin + prior.ymax) / 2;
    const float box_center_x = v[0] * offsets[0] * width + center_x;
    const float box_center_y = v[1] * offsets[1] * height + center_y;
    const float box_width = std::exp(v[2] * offsets[2]) * width;
    const float box_height = std::exp(v[3] * offsets[3]) * height;
    out = {box_center_x - box_width / 2, box_center_y - box_height / 2, box_center_x + box_width / 2,
           box_center_y + box_height / 2};
  }
  return a.clip_before_nms ? clipped(out) : out;
}

float area(const Box& b) {
  if (b.xmax < b.xmin || b.ymax < b.ymin) return 0;
  return (b.xmax - b.xmin) * (b.ymax - b.ymin);
}

// Intersection over union; 0 for boxes that do not overlap with a positive area.
float overlap(const Box& a, const Box& b) {
  if (b.xmin > a.xmax || b.xmax < a.xmin || b.ymin > a.ymax || b.ymax < a.ymin) return 0;
  const float width = std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin);
  const float height = std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin);
  if (!(width > 0 && height > 0)) return 0;
  const float intersection = width * height;
  return intersection / (area(a) + area(b) - intersection);
}

class ImageDetector {
 public:
  ImageDetector(const DetectionOutputAttributes& a, const DetectionOutputLayout& l, const ImageInputs& in)
      : a_(a), l_(l), in_(in) {
    decode_all();
  }

  // Score of class c for prior p (with objectness: priors the first stage rejects score 1 for the background
  // and 0 for every other class).
  float score(int64_t c, int64_t p) const {
    if (in_.aux_conf && in_.aux_conf[p * 2 + 1] < a_.objectness_score)
      return c == a_.background_label_id ? 1 : 0;
    return in_.conf[p * l_.classes + c];
  }
  const Box& box(int64_t c, int64_t p) const {
    return boxes_[static_cast<size_t>(a_.share_location ? 0 : c)][static_cast<size_t>(p)];
  }

  // Kept prior indices per label (ordered by label, then by decreasing score), before keep_top_k.
  std::map<int64_t, std::vector<int64_t>> nms() const {
    return a_.decrease_label_id ? mxnet_nms() : caffe_nms();
  }

 private:
  void decode_all() {
    const int64_t prior_stride = l_.prior_size;
    const int64_t offset = a_.normalized ? 0 : 1;  // skip the batch index of unnormalized priors
    const float* variances = a_.variance_encoded_in_target ? nullptr : in_.priors + l_.priors * l_.prior_size;
    boxes_.resize(static_cast<size_t>(l_.loc_classes));
    for (int64_t c = 0; c < l_.loc_classes; ++c) {
      if (!a_.share_location && c == a_.background_label_id) continue;  // never reported
      auto& decoded = boxes_[static_cast<size_t>(c)];
      decoded.resize(static_cast<size_t>(l_.priors));
      for (int64_t p = 0; p < l_.priors; ++p) {
        const float* q = in_.priors + p * prior_stride + offset;
        Box prior{q[0], q[1], q[2], q[3]};
        const float* variance = variances ? variances + p * 4 : nullptr;
        const int64_t at = (p * l_.loc_classes + c) * 4;
        // RefineDet: the aux offsets refine the prior first, with the same variances.
        if (in_.aux_loc) prior = decode(a_, prior, variance, in_.aux_loc + at);
        decoded[static_cast<size_t>(p)] = decode(a_, prior, variance, in_.loc + at);
      }
    }
  }

  // Greedy NMS over candidates already sorted by decreasing score: a box is dropped when its overlap with a
  // kept box of the same label is above nms_threshold.
  bool survives(int64_t label, int64_t p, const std::vector<int64_t>& kept) const {
    return std::none_of(kept.begin(), kept.end(),
                        [&](int64_t k) { return overlap(box(label, p), box(label, k)) > a_.nms_threshold; });
  }

  // Caffe: each class on its own; candidates score above confidence_threshold, best top_k first.
  std::map<int64_t, std::vector<int64_t>> caffe_nms() const {
    std::map<int64_t, std::vector<int64_t>> kept;
    for (int64_t c = 0; c < l_.classes; ++c) {
      if (c == a_.background_label_id) continue;
      std::vector<std::pair<float, int64_t>> candidates;
      for (int64_t p = 0; p < l_.priors; ++p)
        if (score(c, p) > a_.confidence_threshold) candidates.emplace_back(score(c, p), p);
      std::stable_sort(candidates.begin(), candidates.end(),
                       [](const auto& x, const auto& y) { return x.first > y.first; });
      if (a_.top_k > -1 && static_cast<size_t>(a_.top_k) < candidates.size())
        candidates.resize(static_cast<size_t>(a_.top_k));
      std::vector<int64_t>& keep = kept[c];
      for (const auto& [s, p] : candidates)
        if (survives(c, p, keep)) keep.push_back(p);
    }
    return kept;
  }

  // MXNet: each prior competes once, with its best non-background class (class 0 is never a candidate);
  // candidates score at least confidence_threshold.
  std::map<int64_t, std::vector<int64_t>> mxnet_nms() const {
    std::vector<std::tuple<float, int64_t, int64_t>> candidates;  // score, label, prior
    for (int64_t p = 0; p < l_.priors; ++p) {
      float best = -1;
      int64_t label = 0;
      for (int64_t c = 1; c < l_.classes; ++c) {
        if (c == a_.background_label_id) continue;
        if (score(c, p) > best) best = score(c, p), label = c;
      }
      if (label > 0 && best >= a_.confidence_threshold) candidates.emplace_back(best, label, p);
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const auto& x, const auto& y) { return std::get<0>(x) > std::get<0>(y); });
    if (a_.top_k > -1 && static_cast<size_t>(a_.top_k) < candidates.size())
      candidates.resize(static_cast<size_t>(a_.top_k));
    std::map<int64_t, std::vector<int64_t>> kept;
    for (const auto& [s, c, p] : candidates) {
      std::vector<int64_t>& keep = kept[c];
      if (survives(c, p, keep)) keep.push_back(p);
    }
    return kept;
  }

  const DetectionOutputAttributes& a_;
  const DetectionOutputLayout& l_;
  ImageInputs in_;
  std::vector<std::vector<Box>> boxes_;  // [loc class][prior]
};

// The best keep_top_k detections of all labels (ties: lower prior index, then lower label), regrouped by
// label in decreasing score.
std::map<int64_t, std::vector<int64_t>> keep_top(const ImageDetector& image,
                                                 const std::map<int64_t, std::vector<int64_t>>& kept,
                                                 int64_t keep_top_k) {
  std::vector<std::tuple<float, int64_t, int64_t>> all;  // score, prior, label
  for (const auto& [label, priors] : kept)
    for (int64_t p : priors) all.emplace_back(image.score(label, p), p, label);
  if (keep_top_k < 0 || static_cast<int64_t>(all.size()) <= keep_top_k) return kept;
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) > std::get<0>(y);
    return std::make_pair(std::get<1>(x), std::get<2>(x)) < std::make_pair(std::get<1>(y), std::get<2>(y));
  });
  all.resize(static_cast<size_t>(keep_top_k));
  std::map<int64_t, std::vector<int64_t>> top;
  for (const auto& [s, p, label] : all) top[label].push_back(p);
  return top;
}

}  // namespace

Tensor run_detection_output(const DetectionOutputAttributes& a, const DetectionOutputLayout& l,
                            const std::vector<const Tensor*>& inputs) {
  Tensor out(ElementType::kF32, {1, 1, l.rows, 7});  // zero-filled
  float* rows = out.data<float>();
  const bool aux = inputs.size() == 5 && inputs[3] && inputs[4];
  const int64_t loc_size = l.priors * l.loc_classes * 4;
  const int64_t prior_block = (a.variance_encoded_in_target ? 1 : 2) * l.priors * l.prior_size;
  int64_t count = 0;
  for (int64_t i = 0; i < l.images; ++i) {
    ImageInputs in;
    in.loc = inputs[0]->data<float>() + i * loc_size;
    in.conf = inputs[1]->data<float>() + i * l.priors * l.classes;
    in.priors = inputs[2]->data<float>() + (l.prior_batches == 1 ? 0 : i) * prior_block;
    if (aux) {
      in.aux_conf = inputs[3]->data<float>() + i * l.priors * 2;
      in.aux_loc = inputs[4]->data<float>() + i * loc_size;
    }
    const ImageDetector image(a, l, in);
    for (const auto& [label, priors] : keep_top(image, image.nms(), a.keep_top_k)) {
      for (int64_t p : priors) {
        if (count == l.rows) break;
        const Box b = a.clip_after_nms ? clipped(image.box(label, p)) : image.box(label, p);
        float* row = rows + count * 7;
        row[0] = static_cast<float>(i);
        row[1] = static_cast<float>(a.decrease_label_id ? label - 1 : label);
        row[2] = image.score(label, p);
        row[3] = b.xmin, row[4] = b.ymin, row[5] = b.xmax, row[6] = b.ymax;
        ++count;
      }
    }
  }
  if (count < l.rows) rows[count * 7] = -1;
  return out;
}

}  // namespace octet::openvino
