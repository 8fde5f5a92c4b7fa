// `octet info MODEL [--json] [--shape name=[dims] ...] [--dump]`: what a model is, without running it.
#include <iostream>
#include <memory>

#include "frontends/model_reader.h"
#include "graph/printer.h"
#include "tools/cli_parsing.h"
#include "tools/commands.h"
#include "tools/model_summary.h"

namespace octet::tools {
namespace {

struct InfoFlags {
  std::string model;
  bool json = false;
  bool dump = false;
  std::vector<std::string> shapes;
};

void run_info(const InfoFlags& flags) {
  const Graph graph = read_model(flags.model, parse_shape_flags(flags.shapes));
  const ModelSummary summary = summarize(graph);
  if (flags.json) {
    nlohmann::ordered_json j = summary_to_json(graph, summary);
    if (flags.dump)
      j["graph"] = graph_to_string(graph);  // inside the JSON, so that the output stays parseable
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << summary_to_text(graph, summary);
  if (flags.dump) std::cout << "\n" << graph_to_string(graph);
}

}  // namespace

void register_info_command(CLI::App& app) {
  auto flags = std::make_shared<InfoFlags>();
  CLI::App* cmd = app.add_subcommand("info", "Describe a model: format, inputs, outputs, ops, parameters");
  cmd->add_option("model", flags->model, "Model file (.onnx)")->required();
  cmd->add_flag("--json", flags->json, "Print the description as JSON");
  cmd->add_flag("--dump", flags->dump, "Also print the graph, one line per node");
  cmd->add_option("--shape", flags->shapes, "Override an input shape: name=[1,3,224,224] (repeatable)");
  cmd->callback([flags] { run_info(*flags); });
}

}  // namespace octet::tools
