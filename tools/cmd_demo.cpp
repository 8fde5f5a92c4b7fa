// `octet demo [--model PATH] [--data DIR] [--limit N]`: the default model on the Fashion-MNIST test set.
#include <memory>

#include "tools/commands.h"
#include "tools/fashion_mnist_demo.h"

namespace octet::tools {

void register_demo_command(CLI::App& app) {
  auto config = std::make_shared<DemoConfig>();
  CLI::App* cmd = app.add_subcommand("demo", "Classify the Fashion-MNIST test set with the default model");
  cmd->add_option("--model", config->model_path, "Model file (default: models/fashion_mnist_cnn.onnx)");
  cmd->add_option("--data", config->data_dir, "Folder with t10k-{images-idx3,labels-idx1}-ubyte.gz")
      ->capture_default_str();
  cmd->add_option("--limit", config->limit, "Use only the first N test images (0 = all)")
      ->capture_default_str();
  cmd->add_option("--batch", config->batch_size, "Images per inference")->capture_default_str();
  cmd->add_option("--reference-limit", config->reference_limit,
                  "Images the reference executor re-checks against the runtime")
      ->capture_default_str();
  cmd->add_option("--calibration", config->calibration_count, "Training images to calibrate the quantizer on")
      ->capture_default_str();
  cmd->add_option("--save-quantized", config->quantized_path,
                  "Keep the int8 model here (.xml or .onnx; default: a temporary file)");
  cmd->callback([config] { run_demo(*config, ""); });
}

}  // namespace octet::tools
