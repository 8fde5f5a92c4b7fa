// ONNX models (ModelProto bytes) through the reader `octet info/run/convert` use, then the graph code.
// External data is refused (no base folder): a fuzz input is a single file.
#include "frontends/onnx/onnx_reader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = octet::fuzz::to_bytes(data, size);
  octet::fuzz::expect_only_octet_errors([&] {
    const octet::Graph graph = octet::read_onnx_model_from_bytes(bytes, "");
    octet::fuzz::exercise_graph(graph);
  });
  return 0;
}
