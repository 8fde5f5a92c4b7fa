// The preprocessing and dataset flags shared by `octet run`, `quantize` and `accuracy`: --resize N|WxH,
// --crop, --mean, --std, --color, --layout (images), and --label-offset, --subset, --seed (datasets).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "dataset/dataset.h"

namespace octet::tools {

struct PreprocessFlags {
  std::string resize;  // "" = the model input's H x W
  int crop = 0;
  std::string mean = "0,0,0";
  std::string std = "1,1,1";
  std::string color = "rgb";
  std::string layout = "nchw";
  int label_offset = 0;
  size_t subset = 0;
  uint64_t seed = 0;
};

// `flags` must outlive the parse (keep it in a shared_ptr captured by the command's callback).
void add_image_flags(CLI::App& command, PreprocessFlags& flags);
void add_dataset_flags(CLI::App& command, PreprocessFlags& flags);
inline void add_preprocess_flags(CLI::App& command, PreprocessFlags& flags) {
  add_image_flags(command, flags);
  add_dataset_flags(command, flags);
}

// Parses the flag values; throws kInvalidArgument naming the flag.
dataset::DatasetOptions to_dataset_options(const PreprocessFlags& flags);

}  // namespace octet::tools
