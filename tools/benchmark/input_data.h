// The tensors `octet benchmark` feeds to the model: from -i files (.npy / .pb, bound by name or by input
// order) or random data with a fixed seed, so that two runs measure the same work.
#pragma once

#include <string>
#include <vector>

#include "octet/model.h"
#include "octet/tensor.h"

namespace octet::tools::benchmark {

struct InputData {
  Tensor tensor;
  std::string source;  // for the log: the file, or how the random values were drawn
};

// An image-like input: 4-D with 3 channels in dim 1 (NCHW) or dim 3 (NHWC).
bool is_image_like(const Dims& dims);

// Random values for a static input: f32/f16 uniform in [0, 255] for image-like inputs, else [-1, 1];
// u8 image-like inputs 0..255; other integers 0..9; bool 0..1. Deterministic for a given seed.
InputData random_input(const PortInfo& input, unsigned seed);

// One tensor per input of `inputs` (the compiled model's, with static dims), in the same order. Each -i value
// holds comma-separated items NAME=FILE (benchmark_app's NAME:FILE also works) or FILE, bound to the inputs
// left in order; inputs without a file get random data. Files must match the input's type and dims.
std::vector<InputData> make_inputs(const std::vector<std::string>& input_flags,
                                   const std::vector<PortInfo>& inputs);

}  // namespace octet::tools::benchmark
