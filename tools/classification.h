// Reading a classifier's output: softmax and top-k.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace octet::tools {

struct ClassScore {
  int index = 0;
  float score = 0;        // the model's output value
  float probability = 0;  // the score itself if the output already is a distribution, else softmax of the row
};

// True if the row looks like probabilities already (all in [0,1], summing to 1 within 1e-3).
bool is_probability_row(std::span<const float> row);
std::vector<float> softmax(std::span<const float> row);
// The k best classes of one output row, best first (ties: lower index first).
std::vector<ClassScore> top_k(std::span<const float> row, int k);

// Label names, one per line; "" if no file given. Throws kIo if the file cannot be read.
std::vector<std::string> read_labels(const std::string& path);

}  // namespace octet::tools
