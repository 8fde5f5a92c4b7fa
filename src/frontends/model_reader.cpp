#include "frontends/model_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/error.h"
#include "frontends/onnx/onnx_reader.h"

namespace octet {

Graph read_model(const std::string& path, const LoadOptions& options) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".onnx") return read_onnx_model(path, options);
  if (extension == ".xml" || extension == ".tflite")
    fail(ErrorCode::kUnsupported, path, ": ", extension, " models are not supported yet");
  fail(ErrorCode::kUnsupported, path, ": unknown model format '", extension,
       "' (supported: .onnx; .xml and .tflite are not yet)");
}

}  // namespace octet
