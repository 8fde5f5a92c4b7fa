// Where the shared, read-only models live ($OCTET_SHARED_DIR/models, or ../shared/models beside the source
// tree) and the list of its ONNX models, for tests parameterized over every real model.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace octet::testing {

inline std::filesystem::path shared_models_dir() {
  if (const char* dir = std::getenv("OCTET_SHARED_DIR")) return std::filesystem::path(dir) / "models";
  return std::filesystem::path(OCTET_SOURCE_DIR) / ".." / "shared" / "models";
}

inline std::vector<std::filesystem::path> shared_onnx_models() {
  namespace fs = std::filesystem;
  std::vector<fs::path> models;
  std::error_code ec;
  const fs::path root = shared_models_dir();
  if (!fs::is_directory(root, ec)) return models;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".onnx") models.push_back(it->path());
  }
  std::sort(models.begin(), models.end());
  return models;
}

// "imagenet_mobilenet_v2_1_0_224_fp32" for .../imagenet/mobilenet_v2_1.0_224.fp32.onnx: a gtest-safe name.
inline std::string shared_model_test_name(const ::testing::TestParamInfo<std::filesystem::path>& param) {
  std::string name = std::filesystem::relative(param.param, shared_models_dir()).replace_extension().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace octet::testing
