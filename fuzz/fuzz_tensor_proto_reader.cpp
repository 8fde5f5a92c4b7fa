// Serialized ONNX TensorProto .pb files (ONNX test data), as `octet run --input x.pb` reads them. External
// data is refused (no base folder): a fuzz input is a single file.
#include "fuzz/fuzz_support.h"
#include "io/tensor_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = octet::fuzz::to_bytes(data, size);
  octet::fuzz::expect_only_octet_errors([&] {
    const octet::NamedTensor named = octet::read_tensor_proto_from_bytes(bytes, "", "fuzz.pb");
    (void)named;
  });
  return 0;
}
