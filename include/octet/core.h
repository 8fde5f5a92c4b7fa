// Entry point of Octet's runtime API, modelled on OpenVINO 2.x:
//   octet::Core core;
//   auto model = core.read_model("model.onnx");
//   auto compiled = core.compile_model(model, {.num_threads = 2});
//   auto request = compiled.create_infer_request();
//   request.set_input_tensor(input);
//   request.infer();
//   octet::Tensor output = request.get_output_tensor();
// Every error is an octet::Error (octet/error.h) whose message names the file, node or input concerned.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "octet/compile_config.h"
#include "octet/compiled_model.h"
#include "octet/model.h"
#include "octet/shape.h"

namespace octet {

class Core {
 public:
  // Reads .onnx or OpenVINO .xml (+ .bin); `input_dims` overrides input shapes by name before shape
  // inference.
  std::shared_ptr<Model> read_model(const std::string& path,
                                    const std::map<std::string, Dims>& input_dims = {}) const;
  // Compiles for the CPU. Dynamic input dims left in the model are compiled as 1.
  CompiledModel compile_model(const std::shared_ptr<const Model>& model,
                              const CompileConfig& config = {}) const;
  CompiledModel compile_model(const std::string& path, const CompileConfig& config = {}) const;
};

}  // namespace octet
