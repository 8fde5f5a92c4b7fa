#include "frontends/onnx/external_data.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>

#include "octet/error.h"

namespace octet::onnx_frontend {
namespace {

namespace fs = std::filesystem;

struct ExternalDataLocation {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

uint64_t parse_size(const std::string& text, const std::string& key, const std::string& what) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  OCTET_CHECK(ec == std::errc() && ptr == end && !text.empty(), ErrorCode::kInvalidModel, what,
              ": external data ", key, " '", text, "' is not a non-negative integer");
  return value;
}

ExternalDataLocation parse_location(const onnx::TensorProto& tensor, const std::string& what) {
  ExternalDataLocation out;
  for (const auto& entry : tensor.external_data()) {
    if (entry.key() == "location") {
      out.location = entry.value();
    } else if (entry.key() == "offset") {
      out.offset = parse_size(entry.value(), "offset", what);
    } else if (entry.key() == "length") {
      out.length = parse_size(entry.value(), "length", what);
    }
    // "checksum" and unknown keys carry nothing we need.
  }
  OCTET_CHECK(!out.location.empty(), ErrorCode::kInvalidModel, what, ": external data has no location");
  return out;
}

// The file the location names, refusing anything that could read outside the model's folder.
fs::path resolve_inside(const std::string& base_dir, const std::string& location, const std::string& what) {
  const fs::path relative(location);
  OCTET_CHECK(!relative.has_root_path(), ErrorCode::kInvalidModel, what, ": external data location '",
              location, "' must be a relative path");
  for (const fs::path& part : relative)
    OCTET_CHECK(part != "..", ErrorCode::kInvalidModel, what, ": external data location '", location,
                "' may not contain '..'");
  std::error_code ec;
  const fs::path base = fs::canonical(base_dir.empty() ? fs::path(".") : fs::path(base_dir), ec);
  OCTET_CHECK(!ec, ErrorCode::kIo, what, ": cannot open the model folder '", base_dir, "': ", ec.message());
  const fs::path resolved = fs::canonical(base / relative, ec);
  OCTET_CHECK(!ec, ErrorCode::kIo, what, ": cannot open external data file '", location, "': ", ec.message());
  // A symlink inside the folder may still point outside it.
  auto [base_end, _] = std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end());
  OCTET_CHECK(base_end == base.end(), ErrorCode::kInvalidModel, what, ": external data location '", location,
              "' resolves outside the model folder");
  OCTET_CHECK(fs::is_regular_file(resolved, ec), ErrorCode::kIo, what, ": external data location '", location,
              "' is not a regular file");
  return resolved;
}

}  // namespace

std::string read_external_data(const onnx::TensorProto& tensor, const std::string& base_dir,
                               size_t expected_bytes, const std::string& what) {
  OCTET_CHECK(!base_dir.empty(), ErrorCode::kInvalidModel, what,
              " uses external data, but the model was read from memory (no folder to read it from)");
  const ExternalDataLocation where = parse_location(tensor, what);
  const fs::path file = resolve_inside(base_dir, where.location, what);

  std::error_code ec;
  const uint64_t file_size = fs::file_size(file, ec);
  OCTET_CHECK(!ec, ErrorCode::kIo, what, ": cannot read the size of '", where.location, "': ", ec.message());
  // Without a length the tensor's own size is used (writers that omit it store one tensor per range).
  const uint64_t length = where.length.value_or(expected_bytes);
  OCTET_CHECK(length == expected_bytes, ErrorCode::kInvalidModel, what, ": external data length ", length,
              " does not match the ", expected_bytes, " bytes its type and dims need");
  // Written as two comparisons so that offset + length cannot overflow.
  OCTET_CHECK(where.offset <= file_size && length <= file_size - where.offset, ErrorCode::kInvalidModel, what,
              ": external data range [", where.offset, ", +", length, ") is past the end of '",
              where.location, "' (", file_size, " bytes)");

  std::ifstream in(file, std::ios::binary);
  OCTET_CHECK(in.good(), ErrorCode::kIo, what, ": cannot open external data file '", where.location, "'");
  std::string bytes(length, '\0');
  in.seekg(static_cast<std::streamoff>(where.offset));
  in.read(bytes.data(), static_cast<std::streamsize>(length));
  OCTET_CHECK(in.good() || (length == 0), ErrorCode::kIo, what, ": reading ", length, " bytes at offset ",
              where.offset, " of '", where.location, "' failed");
  return bytes;
}

}  // namespace octet::onnx_frontend
