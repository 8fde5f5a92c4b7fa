// Test support shared by the ONNX conformance harness and the shared-models test: reading ONNX test data sets
// (test_data_set_*/input_K.pb, output_K.pb) and comparing tensors with tolerances.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "octet/tensor.h"

namespace octet::testing {

// The test_data_set_* folders of a test, sorted by name.
std::vector<std::filesystem::path> test_data_sets(const std::filesystem::path& test_dir);
// input_0.pb, input_1.pb, ... (or output_K.pb) of a data set, in K order; stops at the first missing K.
std::vector<Tensor> read_numbered_tensors(const std::filesystem::path& data_set, const std::string& prefix);

struct Tolerance {
  double atol = 1e-5;
  double rtol = 1e-4;
};

struct Comparison {
  bool match = true;
  std::string reason;         // why not: type, dims, or the first mismatching element and both values
  double max_abs_diff = 0.0;  // over every element (floating types; 0 for exact types)
};

// Floating types match when |actual - expected| <= atol + rtol * |expected| (NaN matches NaN, infinities
// match themselves); integers and bools must be equal; types and dims must be equal.
Comparison compare_tensors(const Tensor& actual, const Tensor& expected, Tolerance tolerance);

}  // namespace octet::testing
