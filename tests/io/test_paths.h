// Where tests find the shared models and data (/work/shared in development): env OCTET_SHARED_DIR, else the
// folder next to the source tree; and a per-process scratch folder, so that test runs in parallel (ctest -j,
// several build trees) never write the same file.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace octet::testing {

inline std::string shared_dir() {
  if (const char* env = std::getenv("OCTET_SHARED_DIR"); env && *env) return env;
  return std::string(OCTET_SOURCE_DIR) + "/../shared";
}

// The path of a file under shared_dir(), or "" if it is absent (the caller then skips).
inline std::string shared_file(const std::string& relative) {
  const std::string path = shared_dir() + "/" + relative;
  return std::filesystem::exists(path) ? path : "";
}

// A file of the repo's test data folder, tests/io/data/.
inline std::string io_fixture(const std::string& name) {
  return std::string(OCTET_SOURCE_DIR) + "/tests/io/data/" + name;
}

// A path for a scratch file `name` in /tmp/octet_test_<pid>/ (created on first use).
inline std::string scratch_path(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("octet_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

}  // namespace octet::testing
