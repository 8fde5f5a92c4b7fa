#include "evaluation/detection_map.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "octet/error.h"

namespace octet::evaluation {

float intersection_over_union(const Box& a, const Box& b) {
  const float w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  const float h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0.f;
  const float inter = w * h;
  const float area_a = (a.x1 - a.x0) * (a.y1 - a.y0);
  const float area_b = (b.x1 - b.x0) * (b.y1 - b.y0);
  const float uni = area_a + area_b - inter;
  return uni > 0 ? inter / uni : 0.f;
}

ApMethod parse_ap_method(const std::string& name) {
  if (name == "11point") return ApMethod::kElevenPoint;
  if (name == "allpoints") return ApMethod::kAllPoints;
  fail(ErrorCode::kInvalidArgument, "AP method must be 11point or allpoints, got '", name, "'");
}

DetectionMap::DetectionMap(ApMethod method, float iou_threshold)
    : method_(method), iou_threshold_(iou_threshold) {}

void DetectionMap::add(std::span<const Detection> detections, std::span<const GroundTruthObject> truth) {
  ++images_;
  for (const GroundTruthObject& t : truth) positives_[t.label] += !t.difficult;
  std::vector<const Detection*> order;
  for (const Detection& d : detections) order.push_back(&d);
  // Within one image the devkit's global confidence order is this image's confidence order.
  std::stable_sort(order.begin(), order.end(),
                   [](const Detection* a, const Detection* b) { return a->confidence > b->confidence; });
  std::vector<bool> taken(truth.size(), false);
  for (const Detection* d : order) {
    float best_iou = -1.f;
    size_t best = truth.size();
    for (size_t i = 0; i < truth.size(); ++i) {
      if (truth[i].label != d->label) continue;
      const float iou = intersection_over_union(d->box, truth[i].box);
      if (iou > best_iou) {
        best_iou = iou;
        best = i;
      }
    }
    bool true_positive = false;
    if (best < truth.size() && best_iou >= iou_threshold_) {
      if (truth[best].difficult) continue;
      true_positive = !taken[best];
      taken[best] = true;
    }
    scored_[d->label].push_back({d->confidence, true_positive});
  }
}

std::map<int, double> DetectionMap::average_precisions() const {
  std::map<int, double> result;
  for (const auto& [label, positives] : positives_) {
    if (positives == 0) continue;
    std::vector<Scored> scored;
    if (auto it = scored_.find(label); it != scored_.end()) scored = it->second;
    std::stable_sort(scored.begin(), scored.end(),
                     [](const Scored& a, const Scored& b) { return a.confidence > b.confidence; });
    std::vector<double> recall, precision;
    size_t tp = 0;
    for (size_t i = 0; i < scored.size(); ++i) {
      tp += scored[i].true_positive;
      recall.push_back(static_cast<double>(tp) / static_cast<double>(positives));
      precision.push_back(static_cast<double>(tp) / static_cast<double>(i + 1));
    }
    double ap = 0;
    if (method_ == ApMethod::kElevenPoint) {
      for (int step = 0; step <= 10; ++step) {
        const double t = step / 10.0;
        double best = 0;
        for (size_t i = 0; i < recall.size(); ++i)
          if (recall[i] >= t) best = std::max(best, precision[i]);
        ap += best / 11.0;
      }
    } else {
      // Precision envelope (max precision at any higher recall), integrated over the recall steps.
      std::vector<double> envelope(precision.size());
      double running = 0;
      for (size_t i = precision.size(); i-- > 0;) envelope[i] = running = std::max(running, precision[i]);
      double previous_recall = 0;
      for (size_t i = 0; i < recall.size(); ++i) {
        ap += (recall[i] - previous_recall) * envelope[i];
        previous_recall = recall[i];
      }
    }
    result[label] = ap;
  }
  return result;
}

double DetectionMap::mean_average_precision() const {
  const std::map<int, double> aps = average_precisions();
  if (aps.empty()) return 0.0;
  double sum = 0;
  for (const auto& [label, ap] : aps) sum += ap;
  return sum / static_cast<double>(aps.size());
}

std::vector<Detection> parse_detection_output(const Tensor& output) {
  OCTET_CHECK(output.type() == ElementType::kF32 && output.rank() >= 1 && output.dims().back() == 7,
              ErrorCode::kInvalidArgument,
              "a detection output must be f32 [..., 7] (image_id, label, conf, x0, ", "y0, x1, y1), got ",
              output.description());
  std::vector<Detection> detections;
  const std::span<const float> v = output.values<float>();
  for (size_t row = 0; row + 7 <= v.size(); row += 7) {
    if (v[row] < 0) break;
    detections.push_back({.label = static_cast<int>(v[row + 1]),
                          .confidence = v[row + 2],
                          .box = {v[row + 3], v[row + 4], v[row + 5], v[row + 6]}});
  }
  return detections;
}

std::vector<GroundTruthObject> read_box_annotation(const std::string& path, int label_offset) {
  std::ifstream in(path);
  OCTET_CHECK(in.good(), ErrorCode::kIo, "cannot read the box annotation ", path);
  std::vector<GroundTruthObject> objects;
  float scale_x = 1.f, scale_y = 1.f;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    std::string first;
    if (!(fields >> first) || first[0] == '#') continue;
    const std::string where = str_cat(path, ":", number, ": ");
    std::string rest;
    if (first == "size") {
      float w = 0, h = 0;
      OCTET_CHECK(objects.empty() && (fields >> w >> h) && w > 0 && h > 0 && !(fields >> rest),
                  ErrorCode::kInvalidArgument, where, "expected `size W H` (positive, before the boxes)");
      scale_x = 1.f / w;
      scale_y = 1.f / h;
      continue;
    }
    GroundTruthObject object;
    size_t used = 0;
    int difficult = 0;
    try {
      object.label = std::stoi(first, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    Box& b = object.box;
    OCTET_CHECK(
        used == first.size() && (fields >> b.x0 >> b.y0 >> b.x1 >> b.y1) && b.x0 <= b.x1 && b.y0 <= b.y1,
        ErrorCode::kInvalidArgument, where, "expected `label x0 y0 x1 y1 [difficult]`, got '", line, "'");
    if (fields >> difficult) {
      OCTET_CHECK((difficult == 0 || difficult == 1) && !(fields >> rest), ErrorCode::kInvalidArgument, where,
                  "difficult must be 0 or 1, and nothing may follow it: '", line, "'");
    } else {
      OCTET_CHECK(fields.eof(), ErrorCode::kInvalidArgument, where, "unexpected text in '", line, "'");
    }
    object.label += label_offset;
    object.difficult = difficult == 1;
    b = {b.x0 * scale_x, b.y0 * scale_y, b.x1 * scale_x, b.y1 * scale_y};
    objects.push_back(object);
  }
  return objects;
}

}  // namespace octet::evaluation
