#include "tools/cli_parsing.h"

#include <charconv>
#include <filesystem>

#include "octet/error.h"

namespace octet::tools {

LoadOptions parse_shape_flags(const std::vector<std::string>& flags) {
  LoadOptions options;
  for (const std::string& flag : flags) {
    const size_t eq = flag.rfind('=');
    OCTET_CHECK(eq != std::string::npos && eq > 0, ErrorCode::kInvalidArgument, "--shape '", flag,
                "': expected name=[d0,d1,...]");
    const std::string name = flag.substr(0, eq);
    std::string list = flag.substr(eq + 1);
    if (list.size() >= 2 && list.front() == '[' && list.back() == ']') list = list.substr(1, list.size() - 2);
    Dims dims;
    size_t start = 0;
    while (!list.empty() && start <= list.size()) {
      const size_t comma = std::min(list.find(',', start), list.size());
      const std::string item = list.substr(start, comma - start);
      int64_t dim = 0;
      const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), dim);
      OCTET_CHECK(ec == std::errc() && end == item.data() + item.size() && dim > 0,
                  ErrorCode::kInvalidArgument, "--shape '", flag, "': '", item,
                  "' is not a positive dimension");
      dims.push_back(dim);
      start = comma + 1;
    }
    OCTET_CHECK(options.input_shapes.emplace(name, dims).second, ErrorCode::kInvalidArgument,
                "--shape given twice for input '", name, "'");
  }
  return options;
}

InputFlag parse_input_flag(const std::string& flag) {
  const size_t eq = flag.find('=');
  // A path that itself contains '=' still works when the whole flag names an existing file.
  std::error_code ec;
  if (eq == std::string::npos || std::filesystem::exists(flag, ec)) return {"", flag};
  OCTET_CHECK(eq > 0 && eq + 1 < flag.size(), ErrorCode::kInvalidArgument, "--input '", flag,
              "': expected [NAME=]FILE");
  return {flag.substr(0, eq), flag.substr(eq + 1)};
}

std::string file_name_for(const std::string& tensor_name) {
  std::string name = tensor_name;
  for (char& c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!safe) c = '_';
  }
  if (name.empty() || name.front() == '.') name.insert(name.begin(), '_');
  return name;
}

}  // namespace octet::tools
