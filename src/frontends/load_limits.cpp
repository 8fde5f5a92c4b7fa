#include "frontends/load_limits.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "frontends/load_options.h"
#include "graph/graph.h"
#include "octet/error.h"

namespace octet {
namespace {

template <typename T>
void override_from_environment(const char* variable, T& value) {
  const char* text = std::getenv(variable);
  if (text == nullptr) return;
  T parsed = 0;
  const char* end = text + std::strlen(text);
  const auto [stop, ec] = std::from_chars(text, end, parsed);
  OCTET_CHECK(ec == std::errc() && stop == end && parsed > 0, ErrorCode::kInvalidArgument, variable, "='",
              text, "' is not a positive integer");
  value = parsed;
}

}  // namespace

LoadLimits LoadLimits::from_environment() {
  LoadLimits limits;
  override_from_environment("OCTET_MAX_TENSOR_ELEMENTS", limits.max_tensor_elements);
  override_from_environment("OCTET_MAX_CONSTANT_BYTES", limits.max_constant_bytes);
  override_from_environment("OCTET_MAX_NODES", limits.max_nodes);
  return limits;
}

int64_t check_tensor_elements(const Dims& dims, const LoadLimits& limits, const std::string& what) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) return -1;  // not a size; the caller's own validation reports it
  }
  for (int64_t d : dims) {
    if (d == 0) return 0;
  }
  for (int64_t d : dims) {
    OCTET_CHECK(
        count <= limits.max_tensor_elements / d, ErrorCode::kInvalidModel, what, ": shape ", to_string(dims),
        " has more than the ", limits.max_tensor_elements,
        " elements a tensor may have (a corrupt or hostile file? set OCTET_MAX_TENSOR_ELEMENTS to raise "
        "the limit)");
    count *= d;
  }
  return count;
}

void ConstantBudget::add(uint64_t bytes, const std::string& what) {
  OCTET_CHECK(bytes <= limits_.max_constant_bytes && used_ <= limits_.max_constant_bytes - bytes,
              ErrorCode::kInvalidModel, what, ": its ", bytes, " bytes take the model's constants past the ",
              limits_.max_constant_bytes, " bytes allowed (set OCTET_MAX_CONSTANT_BYTES to raise the limit)");
  used_ += bytes;
}

void check_node_count(int64_t nodes, const LoadLimits& limits) {
  OCTET_CHECK(nodes <= limits.max_nodes, ErrorCode::kInvalidModel, "the graph has ", nodes,
              " nodes, more than the ", limits.max_nodes,
              " allowed (set OCTET_MAX_NODES to raise the limit)");
}

void check_input_shape_limits(const LoadOptions& options) {
  for (const auto& [name, dims] : options.input_shapes)
    check_tensor_elements(dims, options.limits, str_cat("input '", name, "' (as reshaped)"));
}

void check_graph_limits(const Graph& graph, const LoadLimits& limits) {
  check_node_count(static_cast<int64_t>(graph.nodes().size()), limits);
  // Inputs first: a huge --shape is the cause of whatever follows from it.
  for (const Value* in : graph.inputs()) {
    if (in->shape().is_static())
      check_tensor_elements(in->shape().static_dims(), limits, str_cat("input '", in->name(), "'"));
  }
  ConstantBudget budget(limits);
  for (const Value* v : graph.constants()) {
    const std::string what = str_cat("constant '", v->name(), "'");
    check_tensor_elements(v->constant().dims(), limits, what);  // folded ones too (ConstantOfShape, Tile)
    budget.add(v->constant().byte_size(), what);
  }
  for (const Node* node : graph.nodes()) {
    for (const Value* out : node->outputs()) {
      if (out == nullptr || !out->shape().is_static()) continue;
      check_tensor_elements(out->shape().static_dims(), limits,
                            str_cat(node->label(), ": output '", out->name(), "'"));
    }
  }
}

}  // namespace octet
