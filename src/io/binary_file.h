// Whole-file reads and writes with errors that name the path (kIo).
#pragma once

#include <string>

namespace octet {

// Reads the whole file; throws kIo naming the path if it is missing or unreadable (or is a directory).
std::string read_binary_file(const std::string& path);
// Creates or truncates the file and writes `bytes`; throws kIo naming the path on failure.
void write_binary_file(const std::string& path, const std::string& bytes);

}  // namespace octet
