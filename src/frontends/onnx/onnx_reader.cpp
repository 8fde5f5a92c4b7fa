#include "frontends/onnx/onnx_reader.h"

#include <filesystem>

#include "frontends/onnx/graph_import.h"
#include "frontends/onnx/proto_io.h"
#include "octet/error.h"
#include "onnx/onnx.pb.h"
#include "ops/shape_inference.h"
#include "passes/generic/fold_constants.h"

namespace octet {
namespace {

using onnx_frontend::GraphImportSettings;

// Opsets 7..18 are what the normalizers are written against. Opset 19 is accepted too: its changes are new
// element types (rejected per tensor), new attribute values the ops reject (Resize half_pixel_symmetric, Pad
// wrap) and AveragePool dilations (rejected by normalize_average_pool), so nothing can change meaning
// silently.
// Opsets 1..6 pass here and are checked per op (legacy_opsets.h).
constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 19;

std::map<std::string, int64_t> read_opsets(const onnx::ModelProto& model) {
  std::map<std::string, int64_t> opsets;
  for (const auto& entry : model.opset_import()) {
    const std::string domain = entry.domain() == "ai.onnx" ? "" : entry.domain();
    OCTET_CHECK(opsets.emplace(domain, entry.version()).second, ErrorCode::kInvalidModel, "opset of domain '",
                entry.domain(), "' is imported twice");
  }
  if (auto it = opsets.find(""); it != opsets.end()) {
    OCTET_CHECK(it->second >= kMinOpset && it->second <= kMaxOpset, ErrorCode::kUnsupported, "ONNX opset ",
                it->second, " is not supported (supported: 7 to ", kMaxOpset,
                ", and older opsets for ops that did not change until opset 7)");
  }
  return opsets;
}

void set_metadata(const onnx::ModelProto& model, const std::map<std::string, int64_t>& opsets,
                  const std::string& path, Graph& graph) {
  auto& meta = graph.metadata();
  meta["format"] = "onnx";
  meta["ir_version"] = std::to_string(model.ir_version());
  for (const auto& [domain, version] : opsets)
    meta[domain.empty() ? "opset" : "opset." + domain] = std::to_string(version);
  meta["producer_name"] = model.producer_name();
  meta["producer_version"] = model.producer_version();
  meta["path"] = path;
}

Graph load_model(const std::string& bytes, const std::string& base_dir, const LoadOptions& options,
                 const std::string& path) {
  OCTET_CHECK(!bytes.empty(), ErrorCode::kInvalidModel, "the file is empty");
  onnx::ModelProto model;
  OCTET_CHECK(onnx_frontend::parse_message(bytes, model), ErrorCode::kInvalidModel,
              "not a valid ONNX model: the protobuf encoding is broken (truncated or not an .onnx file)");
  OCTET_CHECK(model.has_graph() && model.ir_version() > 0, ErrorCode::kInvalidModel,
              "not an ONNX model: it has no ", model.has_graph() ? "ir_version" : "graph");

  check_node_count(model.graph().node_size(), options.limits);
  check_input_shape_limits(options);
  GraphImportSettings settings;
  settings.opsets = read_opsets(model);
  settings.base_dir = base_dir;
  settings.options = options;
  Graph graph = onnx_frontend::import_graph(model.graph(), settings);
  set_metadata(model, settings.opsets, path, graph);
  // Shape subgraphs (Shape -> Gather -> Concat -> Reshape) become constants, so inference sees static dims.
  fold_constants(graph);
  infer_shapes(graph);
  check_graph_limits(graph, options.limits);
  return graph;
}

// Every error names the model it came from.
template <typename F>
Graph with_source_in_errors(const std::string& source, F&& load) {
  try {
    return load();
  } catch (const Error& e) {
    fail(e.code(), source, ": ", e.what());
  } catch (const std::bad_alloc&) {
    fail(ErrorCode::kInvalidModel, source, ": out of memory while loading (a tensor is too large)");
  }
}

}  // namespace

Graph read_onnx_model(const std::string& path, const LoadOptions& options) {
  return with_source_in_errors(path, [&] {
    const std::string bytes = onnx_frontend::read_file_bytes(path);
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    return load_model(bytes, folder.empty() ? "." : folder.string(), options, path);
  });
}

Graph read_onnx_model_from_bytes(const std::string& bytes, const std::string& base_dir,
                                 const LoadOptions& options) {
  return with_source_in_errors("in-memory ONNX model",
                               [&] { return load_model(bytes, base_dir, options, ""); });
}

}  // namespace octet
