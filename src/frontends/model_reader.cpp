#include "frontends/model_reader.h"

#include "frontends/onnx/onnx_reader.h"
#include "frontends/openvino_ir/ir_reader.h"
#include "io/file_extension.h"
#include "octet/error.h"

namespace octet {

Graph read_model(const std::string& path, const LoadOptions& options) {
  const std::string extension = lowercase_extension(path);
  if (extension == ".onnx") return read_onnx_model(path, options);
  if (extension == ".xml") return read_openvino_ir(path, options);
  if (extension == ".tflite")
    fail(ErrorCode::kUnsupported, path, ": ", extension, " models are not supported yet");
  fail(ErrorCode::kUnsupported, path, ": unknown model format '", extension,
       "' (supported: .onnx, .xml; .tflite is not yet)");
}

}  // namespace octet
