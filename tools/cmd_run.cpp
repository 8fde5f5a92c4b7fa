#include "tools/commands.h"

namespace octet::tools {

void register_run_command(CLI::App& /*app*/) {}

}  // namespace octet::tools
