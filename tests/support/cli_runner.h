// Runs the `octet` binary ($OCTET_CLI, or the one in the build tree) as a user would, capturing its exit code
// and output, for the command-line tests.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace octet::testing {

// The embedded default model and the Fashion-MNIST files the CLI tests run it on.
inline const std::string kDefaultModel = std::string(OCTET_SOURCE_DIR) + "/models/fashion_mnist_cnn.onnx";
inline const std::string kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

inline std::string cli_path() {
  if (const char* env = std::getenv("OCTET_CLI"); env && *env) return env;
  return std::string(OCTET_BINARY_DIR) + "/octet";
}

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline CliResult run_cli(const std::vector<std::string>& args) {
  std::string command = shell_quote(cli_path());
  for (const std::string& a : args) command += " " + shell_quote(a);
  command += " 2>&1";
  CliResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace octet::testing
