#include "tools/commands.h"

namespace octet::tools {

void register_demo_command(CLI::App& /*app*/) {}

}  // namespace octet::tools
