// The subcommands of `octet`. Each register_* adds one subcommand to the app; its callback does the work and
// throws octet::Error on failure (main() turns that into a message and an exit code).
#pragma once

#include <CLI/CLI.hpp>

namespace octet::tools {

void register_info_command(CLI::App& app);       // tools/cmd_info.cpp
void register_run_command(CLI::App& app);        // tools/cmd_run.cpp
void register_demo_command(CLI::App& app);       // tools/cmd_demo.cpp
void register_benchmark_command(CLI::App& app);  // tools/cmd_benchmark.cpp
void register_convert_command(CLI::App& app);    // tools/cmd_convert.cpp
void register_accuracy_command(CLI::App& app);   // tools/cmd_accuracy.cpp
void register_quantize_command(CLI::App& app);   // tools/cmd_quantize.cpp

inline void register_commands(CLI::App& app) {
  register_info_command(app);
  register_run_command(app);
  register_demo_command(app);
  register_benchmark_command(app);
  register_convert_command(app);
  register_accuracy_command(app);
  register_quantize_command(app);
}

}  // namespace octet::tools
