#include "evaluation/mean_iou.h"

#include "octet/error.h"

namespace octet::evaluation {

MeanIou::MeanIou(int num_classes, int ignore_label)
    : num_classes_(num_classes),
      ignore_label_(ignore_label),
      confusion_(static_cast<size_t>(num_classes) * static_cast<size_t>(num_classes), 0) {
  OCTET_CHECK(num_classes >= 1 && num_classes <= 65536, ErrorCode::kInvalidArgument,
              "mean IoU needs 1..65536 classes, got ", num_classes);
}

void MeanIou::add(std::span<const int32_t> predicted, std::span<const int32_t> truth) {
  OCTET_CHECK(predicted.size() == truth.size(), ErrorCode::kInvalidArgument, "the prediction has ",
              predicted.size(), " pixels but the mask has ", truth.size());
  const size_t c = static_cast<size_t>(num_classes_);
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] == ignore_label_) continue;
    OCTET_CHECK(truth[i] >= 0 && truth[i] < num_classes_, ErrorCode::kInvalidArgument, "mask value ",
                truth[i], " is not a class of the model's ", num_classes_, " (nor the ignore label ",
                ignore_label_, ")");
    OCTET_CHECK(predicted[i] >= 0 && predicted[i] < num_classes_, ErrorCode::kInvalidArgument,
                "predicted class ", predicted[i], " is outside 0..", num_classes_ - 1);
    ++confusion_[static_cast<size_t>(truth[i]) * c + static_cast<size_t>(predicted[i])];
  }
  ++count_;
}

std::vector<double> MeanIou::class_iou() const {
  const size_t c = static_cast<size_t>(num_classes_);
  std::vector<double> iou(c, -1.0);
  for (size_t k = 0; k < c; ++k) {
    uint64_t row = 0, column = 0;
    for (size_t j = 0; j < c; ++j) {
      row += confusion_[k * c + j];
      column += confusion_[j * c + k];
    }
    const uint64_t tp = confusion_[k * c + k];
    const uint64_t uni = row + column - tp;
    if (uni > 0) iou[k] = static_cast<double>(tp) / static_cast<double>(uni);
  }
  return iou;
}

double MeanIou::mean_iou() const {
  double sum = 0;
  size_t present = 0;
  for (double v : class_iou()) {
    if (v < 0) continue;
    sum += v;
    ++present;
  }
  return present ? sum / static_cast<double>(present) : 0.0;
}

double MeanIou::pixel_accuracy() const {
  const size_t c = static_cast<size_t>(num_classes_);
  uint64_t correct = 0, total = 0;
  for (size_t k = 0; k < c; ++k) {
    for (size_t j = 0; j < c; ++j) total += confusion_[k * c + j];
    correct += confusion_[k * c + k];
  }
  return total ? static_cast<double>(correct) / static_cast<double>(total) : 0.0;
}

}  // namespace octet::evaluation
