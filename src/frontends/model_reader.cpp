#include "frontends/model_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "frontends/onnx/onnx_reader.h"
#include "frontends/openvino_ir/ir_reader.h"
#include "octet/error.h"

namespace octet {

Graph read_model(const std::string& path, const LoadOptions& options) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".onnx") return read_onnx_model(path, options);
  if (extension == ".xml") return read_openvino_ir(path, options);
  if (extension == ".tflite")
    fail(ErrorCode::kUnsupported, path, ": ", extension, " models are not supported yet");
  fail(ErrorCode::kUnsupported, path, ": unknown model format '", extension,
       "' (supported: .onnx, .xml; .tflite is not yet)");
}

}  // namespace octet
