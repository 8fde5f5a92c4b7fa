#include "tools/benchmark/input_data.h"

#include <algorithm>
#include <filesystem>
#include <random>

#include "io/tensor_file.h"
#include "octet/error.h"

namespace octet::tools::benchmark {
namespace {

template <typename T, typename Distribution>
void fill(Tensor& tensor, Distribution distribution, std::mt19937& engine) {
  for (T& v : tensor.values<T>()) v = static_cast<T>(distribution(engine));
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

struct InputItem {
  std::string name;  // empty: bound by position
  std::string path;
};

// NAME=FILE, or benchmark_app's NAME:FILE when NAME is an input of the model, or FILE. An item that is itself
// an existing path is always a FILE, whatever it contains.
InputItem parse_item(const std::string& item, const std::vector<PortInfo>& inputs) {
  OCTET_CHECK(!item.empty(), ErrorCode::kInvalidArgument, "-i: empty file name in the list");
  std::error_code ec;
  if (std::filesystem::exists(item, ec)) return {"", item};
  const size_t eq = item.find('=');
  if (eq != std::string::npos) {
    OCTET_CHECK(eq > 0 && eq + 1 < item.size(), ErrorCode::kInvalidArgument, "-i ", item,
                ": expected NAME=FILE or FILE");
    return {item.substr(0, eq), item.substr(eq + 1)};
  }
  const size_t colon = item.find(':');
  if (colon != std::string::npos) {
    const std::string name = item.substr(0, colon);
    if (std::any_of(inputs.begin(), inputs.end(), [&](const PortInfo& in) { return in.name == name; }))
      return {name, item.substr(colon + 1)};
  }
  return {"", item};
}

InputData file_input(const std::string& path, const PortInfo& input) {
  Tensor tensor = read_tensor_file(path).tensor;
  OCTET_CHECK(tensor.type() == input.type && tensor.dims() == input.shape.dims(), ErrorCode::kInvalidArgument,
              "-i ", path, ": the file holds ", tensor.description(), " but input '", input.name, "' is ",
              to_string(input.type), input.shape.to_string(), " (-shape / -b set the input's dims)");
  return {tensor, path};
}

}  // namespace

bool is_image_like(const Dims& dims) {
  return dims.size() == 4 && (dims[1] == 3 || dims[3] == 3);
}

InputData random_input(const PortInfo& input, unsigned seed) {
  const Dims& dims = input.shape.static_dims();
  Tensor tensor(input.type, dims);
  std::mt19937 engine(seed);
  const bool image = is_image_like(dims);
  const std::string integers = "random integers in [0, 9]";
  switch (input.type) {
    case ElementType::kF32:
      fill<float>(tensor, std::uniform_real_distribution<float>(image ? 0.0f : -1.0f, image ? 255.0f : 1.0f),
                  engine);
      return {tensor, image ? "random uniform [0, 255] (image-like)" : "random uniform [-1, 1]"};
    case ElementType::kF16:
      for (Float16& v : tensor.values<Float16>())
        v = Float16(
            std::uniform_real_distribution<float>(image ? 0.0f : -1.0f, image ? 255.0f : 1.0f)(engine));
      return {tensor, image ? "random uniform [0, 255] (image-like)" : "random uniform [-1, 1]"};
    case ElementType::kU8:
      fill<uint8_t>(tensor, std::uniform_int_distribution<int>(0, image ? 255 : 9), engine);
      return {tensor, image ? "random integers in [0, 255] (image-like)" : integers};
    case ElementType::kI8:
      fill<int8_t>(tensor, std::uniform_int_distribution<int>(0, 9), engine);
      return {tensor, integers};
    case ElementType::kI32:
      fill<int32_t>(tensor, std::uniform_int_distribution<int32_t>(0, 9), engine);
      return {tensor, integers};
    case ElementType::kI64:
      fill<int64_t>(tensor, std::uniform_int_distribution<int64_t>(0, 9), engine);
      return {tensor, integers};
    case ElementType::kBool:
      fill<uint8_t>(tensor, std::uniform_int_distribution<int>(0, 1), engine);
      return {tensor, "random booleans"};
    case ElementType::kUndefined:
      break;
  }
  fail(ErrorCode::kInvalidModel, "input '", input.name, "' has no element type");
}

std::vector<InputData> make_inputs(const std::vector<std::string>& input_flags,
                                   const std::vector<PortInfo>& inputs) {
  std::vector<InputData> data(inputs.size());
  std::vector<bool> bound(inputs.size(), false);
  std::vector<std::string> positional;
  for (const std::string& flag : input_flags) {
    for (const std::string& item : split_commas(flag)) {
      const InputItem parsed = parse_item(item, inputs);
      if (parsed.name.empty()) {
        positional.push_back(parsed.path);
        continue;
      }
      const auto it = std::find_if(inputs.begin(), inputs.end(),
                                   [&](const PortInfo& in) { return in.name == parsed.name; });
      OCTET_CHECK(it != inputs.end(), ErrorCode::kInvalidArgument, "-i ", item,
                  ": the model has no input named '", parsed.name, "'");
      const size_t index = static_cast<size_t>(it - inputs.begin());
      OCTET_CHECK(!bound[index], ErrorCode::kInvalidArgument, "-i: input '", parsed.name, "' given twice");
      data[index] = file_input(parsed.path, *it);
      bound[index] = true;
    }
  }
  size_t next = 0;
  for (const std::string& path : positional) {
    while (next < inputs.size() && bound[next]) ++next;
    OCTET_CHECK(next < inputs.size(), ErrorCode::kInvalidArgument, "-i ", path,
                ": more files than the model's ", inputs.size(), " input(s)");
    data[next] = file_input(path, inputs[next]);
    bound[next] = true;
  }
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!bound[i]) data[i] = random_input(inputs[i], 42 + static_cast<unsigned>(i));
  return data;
}

}  // namespace octet::tools::benchmark
