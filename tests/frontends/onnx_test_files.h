// Helpers for frontend tests that write model files: a temporary folder (removed with everything in it when
// the object goes away), and loading a file that must fail.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "frontends/load_options.h"
#include "frontends/onnx/onnx_reader.h"
#include "octet/error.h"

namespace octet::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "octet_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? std::filesystem::path(pattern) : std::filesystem::path();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Loads the file and returns the error; fails the test if loading succeeds.
inline Error load_error(const std::string& path, const LoadOptions& options = {}) {
  try {
    read_onnx_model(path, options);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "loading " << path << " succeeded";
  return Error(ErrorCode::kInternal, "");
}

inline void expect_mentions(const Error& e, std::initializer_list<std::string> words) {
  for (const std::string& w : words) EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << e.what();
}

}  // namespace octet::testing
