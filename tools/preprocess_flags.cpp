#include "tools/preprocess_flags.h"

namespace octet::tools {

void add_image_flags(CLI::App& command, PreprocessFlags& flags) {
  command.add_option("--resize", flags.resize,
                     "Image: shorter side to N, or exactly WxH (default: the input's H, W)");
  command.add_option("--crop", flags.crop, "Image: central NxN crop after the resize");
  command
      .add_option("--mean", flags.mean,
                  "Image: per-channel mean a,b,c on 0..255 values (output channel order)")
      ->capture_default_str();
  command.add_option("--std", flags.std, "Image: per-channel std a,b,c; v = (x - mean) / std")
      ->capture_default_str();
  command.add_option("--color", flags.color, "Image: channel order rgb|bgr")->capture_default_str();
  command.add_option("--layout", flags.layout, "Image: tensor layout nchw|nhwc")->capture_default_str();
}

void add_dataset_flags(CLI::App& command, PreprocessFlags& flags) {
  command
      .add_option("--label-offset", flags.label_offset, "Label L is output index L + K (1: background class)")
      ->capture_default_str();
  command.add_option("--subset", flags.subset, "Use only N samples (0 = all)")->capture_default_str();
  command
      .add_option("--seed", flags.seed,
                  "Shuffle the samples with this seed before --subset (0 = keep the file order)")
      ->capture_default_str();
}

dataset::DatasetOptions to_dataset_options(const PreprocessFlags& flags) {
  dataset::DatasetOptions options;
  PreprocessOptions& p = options.preprocess;
  OCTET_CHECK(flags.crop >= 0, ErrorCode::kInvalidArgument, "--crop must be >= 0, got ", flags.crop);
  p.crop = flags.crop;
  p.mean = parse_three_floats(flags.mean, "--mean");
  p.std = parse_three_floats(flags.std, "--std");
  for (float s : p.std) OCTET_CHECK(s != 0.f, ErrorCode::kInvalidArgument, "--std must not contain 0");
  p.color = parse_color_order(flags.color);
  p.layout = parse_layout(flags.layout);
  if (!flags.resize.empty()) {
    dataset::parse_resize(flags.resize, p);
    options.resize_set = true;
  }
  options.label_offset = flags.label_offset;
  options.subset = flags.subset;
  options.seed = flags.seed;
  return options;
}

}  // namespace octet::tools
