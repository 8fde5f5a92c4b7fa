// What `octet info` reports about a model: format facts, inputs/outputs, op counts, size, quantization.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "graph/graph.h"

namespace octet::tools {

// True for the ops that carry quantization: Q/DQ, FakeQuantize, QLinear*, *Integer.
bool is_quantization_op(const std::string& op_type);

struct ModelSummary {
  std::map<std::string, size_t> op_counts;
  int64_t parameter_count = 0;  // elements of every constant
  bool quantized = false;
};

ModelSummary summarize(const Graph& graph);
nlohmann::ordered_json summary_to_json(const Graph& graph, const ModelSummary& summary);
std::string summary_to_text(const Graph& graph, const ModelSummary& summary);

}  // namespace octet::tools
