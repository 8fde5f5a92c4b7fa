// What the graph passes share while the pipeline runs: which passes are switched off, a record of the nodes
// that passes removed (and into which surviving node each was absorbed, for the runtime's performance
// counters: "OPTIMIZED_OUT, fused into conv1"), and an optional dump of the graph after every pass.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace octet {

// The folder named by the environment variable OCTET_DUMP_GRAPHS, or "" when it is unset.
std::string graph_dump_folder_from_environment();

struct PassContext {
  // Pass names switched off (run_cpu_graph_passes rejects names it does not know).
  std::set<std::string> disabled;
  // When not empty, the graph is written to `<dump_folder>/<NN>_<pass>.txt` after every pass that ran.
  std::string dump_folder = graph_dump_folder_from_environment();

  bool enabled(const std::string& pass) const { return !disabled.contains(pass); }

  // Run the low-precision passes (src/passes/lpt/): set when the compile config's inference precision is the
  // model's own (kModel). Off, FakeQuantize and Q/DQ nodes stay and run in fp32 (simulated quantization).
  bool low_precision = false;
  // Quantization nodes the low-precision passes left in fp32 -> why (for the plugin's summary).
  std::map<std::string, std::string> fp32_reasons;

  // Node `removed_node` is gone from the graph; its work now happens in `into_node` ("" when it simply
  // disappeared, as an Identity or a constant-folded node does). Follows chains: if A was absorbed into B
  // and B is later absorbed into C, A is recorded as absorbed into C.
  void note_absorbed(const std::string& removed_node, const std::string& into_node);
  // Every removed node -> the surviving node that absorbed it, or "".
  const std::map<std::string, std::string>& absorbed() const { return absorbed_; }
  bool was_removed(const std::string& node) const { return absorbed_.contains(node); }

  // Writes the graph to `<dump_folder>/<NN>_<label>.txt` (NN counts the dumps of this context) if dumping is
  // on; throws kIo if the file cannot be written.
  void dump_graph(const Graph& graph, const std::string& label);

  // How many rewrites each pass made, in the order the passes ran (for logs and tests).
  std::vector<std::pair<std::string, size_t>> pass_counts;

 private:
  std::map<std::string, std::string> absorbed_;
  int dumps_written_ = 0;
};

}  // namespace octet
