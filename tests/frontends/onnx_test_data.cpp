#include "tests/frontends/onnx_test_data.h"

#include <algorithm>
#include <cmath>

#include "io/tensor_file.h"
#include "octet/error.h"

namespace octet::testing {

std::vector<std::filesystem::path> test_data_sets(const std::filesystem::path& test_dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(test_dir, ec))
    if (entry.is_directory() && entry.path().filename().string().starts_with("test_data_set_"))
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Tensor> read_numbered_tensors(const std::filesystem::path& data_set, const std::string& prefix) {
  std::vector<Tensor> out;
  for (size_t k = 0;; ++k) {
    const std::filesystem::path file = data_set / (prefix + "_" + std::to_string(k) + ".pb");
    if (!std::filesystem::exists(file)) break;
    out.push_back(read_tensor_proto_file(file.string()).tensor);
  }
  return out;
}

Comparison compare_tensors(const Tensor& actual, const Tensor& expected, Tolerance tolerance) {
  Comparison result;
  if (actual.type() != expected.type() || actual.dims() != expected.dims()) {
    result.match = false;
    result.reason = str_cat("got ", actual.description(), ", expected ", expected.description());
    return result;
  }
  const bool floating = is_floating(expected.type());
  for (int64_t i = 0; i < expected.element_count(); ++i) {
    bool ok = true;
    if (floating) {
      const double a = actual.value_as_double(i);
      const double e = expected.value_as_double(i);
      if (std::isnan(a) || std::isnan(e)) {
        ok = std::isnan(a) && std::isnan(e);
      } else if (std::isinf(a) || std::isinf(e)) {
        ok = a == e;
      } else {
        const double diff = std::fabs(a - e);
        result.max_abs_diff = std::max(result.max_abs_diff, diff);
        ok = diff <= tolerance.atol + tolerance.rtol * std::fabs(e);
      }
      if (!ok && result.match) {
        result.reason = str_cat("element ", i, " of ", expected.description(), ": got ", a, ", expected ", e);
      }
    } else {
      const int64_t a = actual.value_as_int64(i);
      const int64_t e = expected.value_as_int64(i);
      ok = a == e;
      if (!ok && result.match) {
        result.reason = str_cat("element ", i, " of ", expected.description(), ": got ", a, ", expected ", e);
      }
    }
    if (!ok) result.match = false;
  }
  return result;
}

}  // namespace octet::testing
