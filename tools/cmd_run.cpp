// `octet run MODEL --input [NAME=]FILE ... [--image FILE ...preprocessing] [--output-dir DIR] [--shape ...]`:
// runs a model once on tensors from files (or one preprocessed image) with the reference executor and writes
// every output as DIR/<output name>.npy.
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "dataset/dataset.h"
#include "frontends/model_reader.h"
#include "io/file_extension.h"
#include "io/image.h"
#include "io/image_preprocess.h"
#include "io/tensor_file.h"
#include "octet/core.h"
#include "reference/reference_executor.h"
#include "tools/classification.h"
#include "tools/cli_parsing.h"
#include "tools/commands.h"
#include "tools/preprocess_flags.h"

namespace octet::tools {
namespace {

struct RunFlags {
  std::string model;
  std::vector<std::string> inputs;
  std::vector<std::string> shapes;
  std::string output_dir;
  std::string image;
  PreprocessFlags preprocess;  // image flags only (no dataset flags)
  std::string labels;
  int top = 5;
  std::string engine = "cpu";
  std::string precision = "model";
};

std::string input_names(const Graph& graph) {
  std::string names;
  for (const Value* v : graph.inputs()) names += (names.empty() ? "'" : ", '") + v->name() + "'";
  return names.empty() ? "none" : names;
}

// Without --resize (and --crop), an image is resized to the model input's own H and W.
Tensor image_tensor(const RunFlags& flags, const Value& input) {
  const dataset::DatasetOptions options = to_dataset_options(flags.preprocess);
  return preprocess_image(read_image(flags.image), dataset::preprocess_options_for(options, input));
}

// --input takes tensors; an image given there gets a pointer to --image rather than "unknown tensor file
// type".
Tensor read_input_tensor(const std::string& path) {
  const std::string extension = lowercase_extension(path);
  OCTET_CHECK(extension != ".jpg" && extension != ".jpeg" && extension != ".png", ErrorCode::kInvalidArgument,
              "--input ", path, ": an image, not a tensor file (.npy or .pb): pass it with --image ", path,
              " and the preprocessing flags (--resize, --crop, --mean, --std, ...)");
  return read_tensor_file(path).tensor;
}

// Binds named inputs first, then positional ones (and the image) to the remaining graph inputs in order.
TensorMap bind_inputs(const RunFlags& flags, const Graph& graph) {
  TensorMap bound;
  std::vector<InputFlag> positional;
  for (const std::string& text : flags.inputs) {
    InputFlag flag = parse_input_flag(text);
    if (flag.name.empty()) {
      positional.push_back(flag);
      continue;
    }
    const Value* v = graph.find_value(flag.name);
    OCTET_CHECK(v && v->is_graph_input(), ErrorCode::kInvalidArgument, "--input ", text,
                ": the model has no input named '", flag.name, "' (its inputs: ", input_names(graph), ")");
    OCTET_CHECK(!bound.contains(flag.name), ErrorCode::kInvalidArgument, "input '", flag.name,
                "' given twice");
    bound[flag.name] = read_input_tensor(flag.path);
  }
  std::vector<const Value*> remaining;
  for (const Value* v : graph.inputs())
    if (!bound.contains(v->name())) remaining.push_back(v);
  const size_t wanted = positional.size() + (flags.image.empty() ? 0 : 1);
  OCTET_CHECK(wanted <= remaining.size(), ErrorCode::kInvalidArgument, "got ", wanted,
              " unnamed inputs (--input FILE / --image) but only ", remaining.size(),
              " model inputs are left to bind (the model's inputs: ", input_names(graph), ")");
  size_t next = 0;
  for (const InputFlag& flag : positional) bound[remaining[next++]->name()] = read_input_tensor(flag.path);
  if (!flags.image.empty()) {
    const Value& input = *remaining[next++];
    bound[input.name()] = image_tensor(flags, input);
  }
  for (; next < remaining.size(); ++next)
    fail(ErrorCode::kInvalidArgument, "model input '", remaining[next]->name(), "' (",
         to_string(remaining[next]->type()), remaining[next]->shape().to_string(),
         ") has no value: pass --input ", remaining[next]->name(), "=FILE");
  for (const Value* v : graph.inputs()) check_input_tensor(*v, bound.at(v->name()));
  return bound;
}

void write_outputs(const std::string& dir, const TensorMap& outputs, const Graph& graph) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  OCTET_CHECK(std::filesystem::is_directory(dir), ErrorCode::kIo, "cannot create output directory ", dir,
              ec ? ": " + ec.message() : "");
  std::set<std::string> used;
  for (const Value* v : graph.outputs()) {
    std::string stem = file_name_for(v->name());
    for (int i = 2; used.contains(stem); ++i) stem = file_name_for(v->name()) + "_" + std::to_string(i);
    used.insert(stem);
    const std::string path = (std::filesystem::path(dir) / (stem + ".npy")).string();
    write_npy(path, outputs.at(v->name()));
    std::cout << "wrote " << path << "\n";
  }
}

// A classifier's output: f32 [1,K] or [K] with K >= 2.
void print_top_k(const std::string& name, const Tensor& output, const std::vector<std::string>& labels,
                 int k) {
  const Dims& d = output.dims();
  const bool classifier = output.type() == ElementType::kF32 &&
                          ((d.size() == 2 && d[0] == 1 && d[1] >= 2) || (d.size() == 1 && d[0] >= 2));
  if (!classifier || k <= 0) return;
  std::cout << "top-" << k << " of '" << name << "':\n";
  for (const ClassScore& c : top_k(output.values<float>(), k)) {
    std::cout << "  " << std::setw(5) << c.index << "  score " << std::setw(10) << std::setprecision(5)
              << c.score << "  p " << std::fixed << std::setprecision(4) << c.probability
              << std::defaultfloat;
    if (static_cast<size_t>(c.index) < labels.size()) std::cout << "  " << labels[c.index];
    std::cout << "\n";
  }
}

void run_model(const RunFlags& flags) {
  OCTET_CHECK(!flags.inputs.empty() || !flags.image.empty(), ErrorCode::kInvalidArgument,
              "give the model's inputs with --input [NAME=]FILE (or --image FILE)");
  const std::vector<std::string> labels = read_labels(flags.labels);
  auto model = std::make_shared<Model>(
      std::make_unique<Graph>(read_model(flags.model, parse_shape_flags(flags.shapes))));
  const Graph& graph = model->graph();
  const TensorMap inputs = bind_inputs(flags, graph);
  TensorMap outputs;
  const auto start = std::chrono::steady_clock::now();
  if (flags.engine == "reference") {
    outputs = ReferenceExecutor(graph).run(inputs);
  } else {
    // The CPU runtime as `benchmark` runs it; --precision f32 runs a quantized model with its
    // quantization simulated in fp32 (what the reference executor computes).
    // The runtime compiles for static dims: those of the tensors given (a dynamic batch becomes theirs).
    std::map<std::string, Dims> input_dims;
    for (const auto& [name, tensor] : inputs) input_dims[name] = tensor.dims();
    model->reshape(input_dims);
    CompileConfig config;
    config.precision = flags.precision == "f32" ? InferencePrecision::kF32 : InferencePrecision::kModel;
    InferRequest request = Core().compile_model(model, config).create_infer_request();
    for (const auto& [name, tensor] : inputs) request.set_input_tensor(name, tensor);
    request.infer();
    for (const Value* v : graph.outputs()) outputs[v->name()] = request.get_output_tensor(v->name());
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (const Value* v : graph.outputs())
    std::cout << "output '" << v->name() << "': " << outputs.at(v->name()).description() << "\n";
  std::cout << (flags.engine == "reference" ? "reference executor: " : "cpu runtime (compile + infer): ")
            << std::fixed << std::setprecision(1) << ms << " ms\n"
            << std::defaultfloat;
  if (!flags.output_dir.empty()) write_outputs(flags.output_dir, outputs, graph);
  for (const Value* v : graph.outputs()) print_top_k(v->name(), outputs.at(v->name()), labels, flags.top);
}

}  // namespace

void register_run_command(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "Run a model on input tensors (.npy/.pb) or an image");
  cmd->add_option("model", flags->model, "Model file (.onnx)")->required();
  cmd->add_option("--input,-i", flags->inputs, "[NAME=]FILE (.npy or .pb); by position when NAME is omitted");
  cmd->add_option("--output-dir,-o", flags->output_dir, "Write each output to DIR/<output name>.npy");
  cmd->add_option(
         "--engine", flags->engine,
         "cpu: the CPU runtime (int8 where the model is quantized); reference: the reference executor")
      ->check(CLI::IsMember({"cpu", "reference"}))
      ->capture_default_str();
  cmd->add_option("--precision", flags->precision,
                  "cpu engine: model (the model's own quantization, int8) or f32 (quantization simulated)")
      ->check(CLI::IsMember({"model", "f32"}))
      ->capture_default_str();
  cmd->add_option("--shape", flags->shapes, "Override an input shape: name=[1,3,224,224] (repeatable)");
  cmd->add_option("--image", flags->image,
                  "A JPEG/PNG image for the (next unbound) input, see the flags below");
  add_image_flags(*cmd, flags->preprocess);
  cmd->add_option("--labels", flags->labels, "Class names, one per line, for the top-k listing");
  cmd->add_option("--top", flags->top, "How many classes to list for a classifier output")
      ->capture_default_str();
  cmd->callback([flags] { run_model(*flags); });
}

}  // namespace octet::tools
