#include "io/binary_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "octet/error.h"

namespace octet {

std::string read_binary_file(const std::string& path) {
  std::error_code ec;
  OCTET_CHECK(!std::filesystem::is_directory(path, ec), ErrorCode::kIo, path, ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  OCTET_CHECK(in.good(), ErrorCode::kIo, "cannot open ", path, ": ", std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  OCTET_CHECK(!in.bad(), ErrorCode::kIo, "cannot read ", path);
  return std::move(buffer).str();
}

void write_binary_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  OCTET_CHECK(out.good(), ErrorCode::kIo, "cannot create ", path, ": ", std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  OCTET_CHECK(out.good(), ErrorCode::kIo, "cannot write ", path);
}

}  // namespace octet
