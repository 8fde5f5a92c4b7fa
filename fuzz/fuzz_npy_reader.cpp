// NumPy .npy tensor files, as `octet run --input` and the quantizer's data sets read them.
#include "fuzz/fuzz_support.h"
#include "io/tensor_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = octet::fuzz::to_bytes(data, size);
  octet::fuzz::expect_only_octet_errors([&] {
    const octet::Tensor tensor = octet::read_npy_from_bytes(bytes, "fuzz.npy");
    if (tensor.byte_size() > size) octet::fuzz::report_finding("npy", "more tensor bytes than file bytes");
  });
  return 0;
}
