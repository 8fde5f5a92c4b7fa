#include "passes/pass_context.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "graph/printer.h"
#include "octet/error.h"

namespace octet {

std::string graph_dump_folder_from_environment() {
  const char* folder = std::getenv("OCTET_DUMP_GRAPHS");
  return folder ? std::string(folder) : std::string();
}

void PassContext::note_absorbed(const std::string& removed_node, const std::string& into_node) {
  OCTET_ASSERT(!removed_node.empty() && removed_node != into_node);
  // A node cannot absorb work after it was removed itself: resolve to where it went.
  std::string target = into_node;
  if (auto it = absorbed_.find(target); it != absorbed_.end()) target = it->second;
  for (auto& [node, into] : absorbed_)
    if (into == removed_node) into = target;
  absorbed_[removed_node] = target;
}

void PassContext::dump_graph(const Graph& graph, const std::string& label) {
  if (dump_folder.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dump_folder, ec);
  OCTET_CHECK(!ec, ErrorCode::kIo, "cannot create the graph dump folder '", dump_folder, "': ", ec.message());
  char number[16];
  std::snprintf(number, sizeof(number), "%02d", dumps_written_++);
  const fs::path path = fs::path(dump_folder) / (std::string(number) + "_" + label + ".txt");
  std::ofstream out(path);
  out << graph_to_string(graph);
  OCTET_CHECK(out.good(), ErrorCode::kIo, "cannot write the graph dump '", path.string(), "'");
}

}  // namespace octet
