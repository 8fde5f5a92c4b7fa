#include "tools/commands.h"

namespace octet::tools {

void register_info_command(CLI::App& /*app*/) {}

}  // namespace octet::tools
