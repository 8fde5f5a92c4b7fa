// `octet convert MODEL --out OUT.xml|OUT.onnx [--ir-version 10|11] [--shape name=[dims] ...]`: reads a model
// of any supported format and writes it as OpenVINO IR (OUT.xml + OUT.bin) or ONNX, picked by the output's
// extension.
#include <filesystem>
#include <iostream>
#include <memory>

#include "frontends/model_reader.h"
#include "frontends/onnx/onnx_writer.h"
#include "frontends/openvino_ir/ir_writer.h"
#include "io/file_extension.h"
#include "tools/cli_parsing.h"
#include "tools/commands.h"

namespace octet::tools {
namespace {

struct ConvertFlags {
  std::string model;
  std::string out;
  int ir_version = 11;
  std::vector<std::string> shapes;
};

void run_convert(const ConvertFlags& flags) {
  const std::string extension = lowercase_extension(flags.out);
  // Checked before reading, so that a typo costs nothing.
  OCTET_CHECK(extension == ".xml" || extension == ".onnx", ErrorCode::kInvalidArgument, "--out ", flags.out,
              ": the output must end in .xml (OpenVINO IR) or .onnx");
  OCTET_CHECK(flags.ir_version == 10 || flags.ir_version == 11, ErrorCode::kInvalidArgument,
              "--ir-version must be 10 or 11, got ", flags.ir_version);
  const Graph graph = read_model(flags.model, parse_shape_flags(flags.shapes));
  if (extension == ".xml") {
    write_openvino_ir(graph, flags.out, flags.ir_version == 10 ? IrVersion::k10 : IrVersion::k11);
    std::filesystem::path bin = flags.out;
    bin.replace_extension(".bin");
    std::cout << "wrote " << flags.out << " and " << bin.string() << " (IR v" << flags.ir_version << ", "
              << graph.node_count() << " nodes)\n";
  } else {
    write_onnx(graph, flags.out);
    std::cout << "wrote " << flags.out << " (ONNX opset 18, " << graph.node_count() << " nodes)\n";
  }
}

}  // namespace

void register_convert_command(CLI::App& app) {
  auto flags = std::make_shared<ConvertFlags>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a model between formats: ONNX <-> OpenVINO IR");
  cmd->add_option("model", flags->model, "Model file (.onnx or .xml)")->required();
  cmd->add_option("--out,-o", flags->out, "Output file: OUT.xml (OpenVINO IR, + OUT.bin) or OUT.onnx")
      ->required();
  cmd->add_option("--ir-version", flags->ir_version, "IR version to write: 10 or 11 (default 11)");
  cmd->add_option("--shape", flags->shapes, "Override an input shape: name=[1,3,224,224] (repeatable)");
  cmd->callback([flags] { run_convert(*flags); });
}

}  // namespace octet::tools
