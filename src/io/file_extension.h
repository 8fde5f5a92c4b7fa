// A file's extension in lower case, the one way every reader and tool picks a format from a path.
#pragma once

#include <filesystem>
#include <string>

namespace octet {

// ".onnx" for "Model.ONNX", "" when there is none. Formats are chosen from this, so "photo.JPEG" and
// "photo.jpeg" are the same to every reader.
std::string lowercase_extension(const std::filesystem::path& path);

}  // namespace octet
