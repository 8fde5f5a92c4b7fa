// What every fuzz target shares: which outcomes of a reader are expected answers to bad input, and what is
// done with a graph that was read. Everything else (another exception type, an internal error, a sanitizer
// report, a crash, an allocation past libFuzzer's -malloc_limit_mb) is a finding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "graph/graph.h"
#include "graph/graph_clone.h"
#include "graph/printer.h"
#include "octet/error.h"
#include "ops/shape_inference.h"

namespace octet::fuzz {

inline std::string to_bytes(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

[[noreturn]] inline void report_finding(const char* what, const char* message) {
  std::fprintf(stderr, "==octet-fuzz== FINDING: %s: %s\n", what, message);
  std::abort();
}

// Runs `read` on one input. octet::Error is the readers' documented answer to malformed input, except
// kInternal: that is a failed OCTET_ASSERT, a bug reached from a file.
template <typename F>
void expect_only_octet_errors(F&& read) {
  try {
    read();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternal) report_finding("internal error", e.what());
  } catch (const std::exception& e) {
    report_finding("exception other than octet::Error", e.what());
  } catch (...) {
    report_finding("non-standard exception", "(unknown type)");
  }
}

// What the CLI does with a model once it is read (octet info --dump, compile): copy it, infer its shapes
// again on the copy, print it. A graph the reader accepted must survive all three.
inline void exercise_graph(const Graph& graph) {
  Graph copy = clone_graph(graph);
  infer_shapes(copy);
  const std::string text = graph_to_string(copy);
  if (text.empty() && !graph.nodes().empty())
    report_finding("printer", "a graph with nodes printed as nothing");
}

}  // namespace octet::fuzz
