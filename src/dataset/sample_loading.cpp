// Dataset::load: one sample (image or .npy) as a model input tensor.
#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "dataset/dataset.h"
#include "io/file_extension.h"
#include "io/image.h"
#include "io/tensor_file.h"

namespace octet::dataset {
namespace {

bool is_npy_path(const std::string& path) {
  return lowercase_extension(path) == ".npy";
}

Tensor to_f32(const Tensor& tensor) {
  if (tensor.type() == ElementType::kF32) return tensor;
  Tensor converted(ElementType::kF32, tensor.dims());
  float* out = converted.data<float>();
  for (int64_t i = 0; i < tensor.element_count(); ++i) out[i] = static_cast<float>(tensor.value_as_double(i));
  return converted;
}

// .npy integers stay integers for an integer input (embedding indices beyond 2^24 would not survive f32).
Tensor to_input_type(const Tensor& tensor, const Value& input) {
  const ElementType type = input.type();
  const bool integer_input = type == ElementType::kI64 || type == ElementType::kI32;
  const bool integer_data = tensor.type() != ElementType::kF32 && tensor.type() != ElementType::kF16;
  if (!integer_input || !integer_data) return to_f32(tensor);
  if (tensor.type() == type) return tensor;
  Tensor converted(type, tensor.dims());
  for (int64_t i = 0; i < tensor.element_count(); ++i) {
    const int64_t v = tensor.value_as_int64(i);
    if (type == ElementType::kI64) {
      converted.data<int64_t>()[i] = v;
    } else {
      OCTET_CHECK(v >= INT32_MIN && v <= INT32_MAX, ErrorCode::kInvalidArgument, "value ", v,
                  " does not fit model input '", input.name(), "' (i32)");
      converted.data<int32_t>()[i] = static_cast<int32_t>(v);
    }
  }
  return converted;
}

int64_t element_count_of(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

// Gives `tensor` the input's rank (adding a leading batch dim of 1 when it lacks one, dropping a leading 1
// the input does not have) and checks the static dims of the input.
Tensor fit_to_input(const Tensor& tensor, const Value& input, const std::string& path) {
  Tensor fitted = tensor;
  const Shape& shape = input.shape();
  if (shape.rank_known()) {
    // Without a batch axis of its own, the input's leading dynamic dim may take any size (a vector of
    // indices).
    bool batch_dropped = false;
    if (tensor.rank() + 1 == shape.rank()) {
      Dims dims = tensor.dims();
      dims.insert(dims.begin(), 1);
      fitted = tensor.reshaped(dims);
    } else if (tensor.rank() != shape.rank() && shape.is_static() &&
               tensor.element_count() == element_count_of(shape.dims())) {
      fitted = tensor.reshaped(shape.dims());
    } else if (tensor.rank() == shape.rank() + 1 && tensor.dims()[0] == 1) {
      // A row [1, ...] of an [N, ...] .npy file for an input without a batch axis (NCF's index vectors).
      fitted = tensor.reshaped(Dims(tensor.dims().begin() + 1, tensor.dims().end()));
      batch_dropped = true;
    }
    bool fits = fitted.rank() == shape.rank();
    for (size_t i = 0; fits && i < shape.rank(); ++i)
      fits = shape[i] == kDynamicDim ? (i != 0 || batch_dropped || fitted.dims()[0] == 1)
                                     : shape[i] == fitted.dims()[i];
    OCTET_CHECK(fits, ErrorCode::kInvalidArgument, path, ": the sample is ", fitted.description(),
                " but model input '", input.name(), "' is ", shape.to_string(),
                " (check --resize/--crop/--layout)");
  }
  return fitted;
}

}  // namespace

void parse_resize(const std::string& text, PreprocessOptions& options) {
  auto positive = [&](const std::string& part) {
    int value = 0;
    size_t used = 0;
    try {
      value = std::stoi(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    OCTET_CHECK(used == part.size() && used > 0 && value > 0, ErrorCode::kInvalidArgument, "--resize '", text,
                "': expected N (shorter side) or WxH");
    return value;
  };
  const size_t x = text.find('x');
  if (x == std::string::npos) {
    options.resize_mode = ResizeMode::kShorterSide;
    options.resize_shorter = positive(text);
  } else {
    options.resize_mode = ResizeMode::kExact;
    options.resize_width = positive(text.substr(0, x));
    options.resize_height = positive(text.substr(x + 1));
  }
}

PreprocessOptions preprocess_options_for(const DatasetOptions& options, const Value& input) {
  PreprocessOptions result = options.preprocess;
  if (options.resize_set || result.crop > 0) return result;
  if (!input.shape().rank_known() || input.shape().rank() != 4) return result;
  const bool nchw = result.layout == TensorLayout::kNchw;
  const int64_t h = input.shape()[nchw ? 2 : 1];
  const int64_t w = input.shape()[nchw ? 3 : 2];
  if (h <= 0 || w <= 0) return result;
  result.resize_mode = ResizeMode::kExact;
  result.resize_width = static_cast<int>(w);
  result.resize_height = static_cast<int>(h);
  return result;
}

Tensor Dataset::load_npy_row(const Sample& sample) const {
  OCTET_CHECK(npy_rows_.type != ElementType::kUndefined && sample.path == source_,
              ErrorCode::kInvalidArgument, sample.path,
              ": a sample that is a row of an .npy file needs a dataset opened on that file");
  Tensor row(npy_rows_.type, npy_rows_.row_dims);
  std::ifstream in(sample.path, std::ios::binary);
  const uint64_t offset = npy_rows_.data_offset + static_cast<uint64_t>(*sample.npy_row) * row.byte_size();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(static_cast<char*>(row.raw_data()), static_cast<std::streamsize>(row.byte_size()));
  OCTET_CHECK(in.good(), ErrorCode::kIo, "cannot read row ", *sample.npy_row, " of ", sample.path,
              " (did the file change since the dataset was opened?)");
  if (row.type() == ElementType::kBool) {
    for (uint8_t& b : row.values<uint8_t>()) b = b != 0;
  }
  return row;
}

Tensor Dataset::load(size_t index, const Value& input) const {
  if (!per_input_.empty()) {
    for (const auto& [name, data] : per_input_)
      if (name == input.name()) return data.load(index, input);
    fail(ErrorCode::kInvalidArgument, "dataset ", source_, " has no source for model input '", input.name(),
         "'");
  }
  const Sample& s = sample(index);
  Tensor tensor;
  if (s.npy_row) {
    tensor = load_npy_row(s);
  } else if (is_npy_path(s.path)) {
    tensor = read_npy(s.path);
  } else {
    tensor = preprocess_image(read_image(s.path), preprocess_options_for(options_, input));
  }
  return fit_to_input(to_input_type(tensor, input), input,
                      s.npy_row ? str_cat(s.path, " row ", *s.npy_row) : s.path);
}

std::map<std::string, Tensor> Dataset::load_inputs(size_t index, const std::vector<Value*>& inputs) const {
  const auto names = [&] {
    std::string list;
    for (const Value* input : inputs) list += (list.empty() ? "" : ", ") + input->name();
    return list;
  };
  if (per_input_.empty()) {
    OCTET_CHECK(inputs.size() == 1, ErrorCode::kInvalidArgument, "the model has ", inputs.size(), " inputs (",
                names(), "): give the data as NAME=SOURCE,NAME=SOURCE (one source per input), not ", source_);
    return {{inputs[0]->name(), load(index, *inputs[0])}};
  }
  for (const auto& [name, data] : per_input_) {
    const bool used =
        std::any_of(inputs.begin(), inputs.end(), [&](const Value* v) { return v->name() == name; });
    OCTET_CHECK(used, ErrorCode::kInvalidArgument, "dataset ", source_, " names input '", name,
                "', the model's inputs are ", names());
  }
  std::map<std::string, Tensor> feeds;
  for (const Value* input : inputs) feeds[input->name()] = load(index, *input);  // finds its source by name
  return feeds;
}

}  // namespace octet::dataset
