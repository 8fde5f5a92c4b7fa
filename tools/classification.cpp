#include "tools/classification.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "octet/error.h"

namespace octet::tools {

bool is_probability_row(std::span<const float> row) {
  double sum = 0;
  for (float v : row) {
    if (!(v >= 0.f && v <= 1.f)) return false;
    sum += v;
  }
  return std::fabs(sum - 1.0) < 1e-3;
}

std::vector<float> softmax(std::span<const float> row) {
  std::vector<float> p(row.size());
  if (row.empty()) return p;
  const float max = *std::max_element(row.begin(), row.end());
  double sum = 0;
  for (size_t i = 0; i < row.size(); ++i) sum += p[i] = std::exp(row[i] - max);
  for (float& v : p) v = static_cast<float>(v / sum);
  return p;
}

std::vector<ClassScore> top_k(std::span<const float> row, int k) {
  const std::vector<float> probabilities =
      is_probability_row(row) ? std::vector<float>(row.begin(), row.end()) : softmax(row);
  std::vector<int> order(row.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t n = std::min(order.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [&](int a, int b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
  std::vector<ClassScore> best;
  for (size_t i = 0; i < n; ++i) best.push_back({order[i], row[order[i]], probabilities[order[i]]});
  return best;
}

std::vector<std::string> read_labels(const std::string& path) {
  std::vector<std::string> labels;
  if (path.empty()) return labels;
  std::ifstream in(path);
  OCTET_CHECK(in.good(), ErrorCode::kIo, "cannot open labels file ", path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    labels.push_back(line);
  }
  return labels;
}

}  // namespace octet::tools
