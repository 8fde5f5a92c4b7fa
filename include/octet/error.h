// One error type for the whole stack. Every layer throws octet::Error with a code and a message that says
// where (file, node, op, input); the CLI maps the code to an exit status.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace octet {

enum class ErrorCode {
  kInvalidArgument,  // the caller passed something wrong: a flag, a shape, an input tensor
  kInvalidModel,     // the model file is malformed, truncated or inconsistent
  kUnsupported,      // valid input that Octet does not handle (yet): an op, a type, an attribute value
  kIo,               // a file could not be read or written
  kInternal,         // a bug in Octet
};

const char* to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// Concatenates anything that has an operator<< into a string: str_cat("node '", name, "' has ", n, "
// inputs").
template <typename... Args>
std::string str_cat(Args&&... args) {
  std::ostringstream out;
  (out << ... << std::forward<Args>(args));
  return out.str();
}

template <typename... Args>
[[noreturn]] void fail(ErrorCode code, Args&&... message) {
  throw Error(code, str_cat(std::forward<Args>(message)...));
}

}  // namespace octet

// Checks a condition on input that may be wrong (a model, a flag); throws octet::Error with the message.
#define OCTET_CHECK(cond, code, ...)               \
  do {                                             \
    if (!(cond)) ::octet::fail(code, __VA_ARGS__); \
  } while (false)

// Checks an invariant of Octet's own code; a failure is a bug.
#define OCTET_ASSERT(cond)                                                                           \
  do {                                                                                               \
    if (!(cond))                                                                                     \
      ::octet::fail(::octet::ErrorCode::kInternal, "internal error: ", #cond, " at ", __FILE__, ":", \
                    __LINE__);                                                                       \
  } while (false)
