// Samples for calibration and evaluation: a list file, a folder of images, or .npy tensors, turned into model
// inputs on demand (one sample at a time), so that memory does not grow with the number of samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "io/image_preprocess.h"
#include "octet/tensor.h"

namespace octet::dataset {

struct Sample {
  std::string path;          // image or .npy file (absolute or relative to the working dir, already resolved)
  std::optional<int> label;  // class label as written in the list file (before --label-offset)
  std::string annotation;    // optional second column that is not an integer (mask / box file), resolved path
  // Row of an [N,...] .npy file given as the source itself (the sample is that row); nullopt otherwise.
  std::optional<int64_t> npy_row;
};

struct DatasetOptions {
  PreprocessOptions preprocess;  // io/image_preprocess.h
  bool resize_set = false;       // false: images are resized to the model input's H x W (as `octet run` does)
  int label_offset = 0;          // label L is output index L + label_offset
  size_t subset = 0;             // 0 = all samples; else the first N after a seeded shuffle (seed below)
  uint64_t seed = 0;             // 0 = keep file order (no shuffle)
};

class Dataset {
 public:
  // source: a list file (`path<TAB>label` per line, paths relative to the list file), a folder of images
  // (sorted by name, no labels), or a .npy file / folder of .npy files (a folder: one sample per file; a
  // single .npy file: [N,...] split along axis 0). Throws octet::Error (kIo / kInvalidArgument) naming the
  // file and line.
  //
  // List file lines: `path [label] [annotation]`, columns separated by tabs (or, in a line without tabs, by
  // spaces); blank lines and lines starting with '#' are skipped. A second column that is an integer is the
  // label, anything else is an annotation file (detection boxes, segmentation mask; see src/evaluation).
  //
  // Models with several inputs: `NAME=SOURCE,NAME=SOURCE...`, one source per model input (typically .npy
  // files [N,...] or folders of .npy files), all with the same number of samples; sample i is row i of each
  // (--subset / --seed pick the same rows from all of them). Labels, if any, come from the first source.
  static Dataset open(const std::string& source, const DatasetOptions& options);

  size_t size() const { return samples_.size(); }
  const Sample& sample(size_t index) const;
  const DatasetOptions& options() const { return options_; }
  const std::string& source() const { return source_; }

  // The sample as the input tensor of `input` (type f32, shape from the model's input Value; batch 1).
  // Images are preprocessed (io/image_preprocess.h); .npy data is converted to f32 and given the input's
  // rank (a missing leading batch dim of 1 is added). Throws kInvalidArgument if the result does not fit the
  // input's static dims, naming the sample's file.
  // .npy data keeps integer values for integer inputs (i64 / i32: embedding indices); f32 otherwise.
  Tensor load(size_t index, const Value& input) const;

  // The sample for every one of `inputs`, by input name: a dataset of one source feeds a model of one input;
  // a NAME=SOURCE dataset feeds each input from its own source. A model input without a source, or a source
  // naming no model input, is a kInvalidArgument naming both sides.
  std::map<std::string, Tensor> load_inputs(size_t index, const std::vector<Value*>& inputs) const;

  // Builds a dataset from samples already resolved (for tests and for callers with their own lists);
  // applies options.subset / options.seed like open().
  static Dataset from_samples(std::vector<Sample> samples, const DatasetOptions& options,
                              const std::string& source = "");

 private:
  // Where the rows of an [N,...] .npy source are, so that load() reads one row and not the whole file.
  struct NpyRows {
    ElementType type = ElementType::kUndefined;
    Dims row_dims;  // [1, dims[1:]...]
    uint64_t data_offset = 0;
  };
  Tensor load_npy_row(const Sample& sample) const;

  std::string source_;
  DatasetOptions options_;
  std::vector<Sample> samples_;
  NpyRows npy_rows_;
  // NAME=SOURCE datasets: one dataset per model input (samples_ is a copy of the first one's, for labels).
  std::vector<std::pair<std::string, Dataset>> per_input_;
};

// The preprocessing options for one input: without an explicit resize (and without a crop), images are
// resized to the input's static H x W as `octet run` does.
PreprocessOptions preprocess_options_for(const DatasetOptions& options, const Value& input);

// `N` (shorter side to N) or `WxH` (exact) into options; throws kInvalidArgument naming --resize.
void parse_resize(const std::string& text, PreprocessOptions& options);

// Fisher-Yates shuffle driven by std::mt19937_64(seed), the same permutation on every platform.
std::vector<size_t> seeded_permutation(size_t count, uint64_t seed);

}  // namespace octet::dataset
