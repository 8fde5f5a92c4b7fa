// `octet`: the command-line tool. Each subcommand lives in its own file (tools/cmd_*.cpp) and registers
// itself with CLI11 here; errors map to exit codes: 0 ok, 1 user error (bad model, input or flag), 2 internal
// error.
#include <CLI/CLI.hpp>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "octet/error.h"
#include "tools/benchmark/benchmark_flags.h"
#include "tools/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Octet: int8 inference for x86 CPUs"};
  app.require_subcommand(1);
  octet::tools::register_commands(app);
  // `octet benchmark` takes benchmark_app's one-dash long flags (-niter 10), which CLI11 cannot parse as
  // such.
  const std::vector<std::string> args =
      octet::tools::benchmark::rewrite_single_dash_flags(std::vector<std::string>(argv, argv + argc));
  std::vector<const char*> arg_pointers;
  for (const std::string& a : args) arg_pointers.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    // One line naming the subcommand, like every other error.
    std::string command = "octet";
    for (const CLI::App* sub : app.get_subcommands()) command += " " + sub->get_name();
    std::cerr << command << ": error: " << e.what() << " (see '" << command << " --help')\n";
    return 1;
  } catch (const octet::Error& e) {
    std::cerr << "octet: error: " << e.what() << "\n";
    return e.code() == octet::ErrorCode::kInternal ? 2 : 1;
  } catch (const std::bad_alloc&) {
    // Not a bug: the model, a --shape or a batch asked for more memory than the machine has.
    std::cerr << "octet: error: out of memory (a tensor, --shape or batch is too large for this machine)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "octet: internal error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
