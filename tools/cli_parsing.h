// Parsers for the flag values the subcommands share. Each throws octet::Error kInvalidArgument naming the
// flag.
#pragma once

#include <string>
#include <vector>

#include "frontends/load_options.h"

namespace octet::tools {

// `--shape name=[1,3,224,224]` (brackets optional), repeatable.
LoadOptions parse_shape_flags(const std::vector<std::string>& flags);

// `--input [NAME=]FILE`: `name` is empty when the input is bound by position.
struct InputFlag {
  std::string name;
  std::string path;
};
InputFlag parse_input_flag(const std::string& flag);

// A file name made from a tensor name: every character other than [A-Za-z0-9._-] becomes '_', and names that
// would be hidden or special ("", ".", "..") get a leading '_'.
std::string file_name_for(const std::string& tensor_name);

}  // namespace octet::tools
