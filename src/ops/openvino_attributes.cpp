#include "ops/openvino_attributes.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <variant>

#include "octet/error.h"

namespace octet::openvino {
namespace {

[[noreturn]] void bad_attribute(const Node& node, std::string_view name, std::string_view expected) {
  fail(ErrorCode::kInvalidModel, node.label(), ": attribute '", name, "' is ",
       to_string(node.attributes().find(name)->second), ", expected ", expected);
}

const AttributeValue* find_attribute(const Node& node, std::string_view name) {
  auto it = node.attributes().find(name);
  return it == node.attributes().end() ? nullptr : &it->second;
}

std::string trimmed(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// The numbers of a comma-separated list ("0.1, 0.1,0.2"); nullopt if any item is not a number.
std::optional<std::vector<double>> parse_numbers(std::string_view text) {
  std::vector<double> values;
  if (trimmed(text).empty()) return values;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string item =
        trimmed(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    char* end = nullptr;
    const double value = std::strtod(item.c_str(), &end);
    if (item.empty() || end != item.c_str() + item.size()) return std::nullopt;
    values.push_back(value);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return values;
}

// Every numeric spelling of an attribute as a list of doubles; nullopt for other types.
std::optional<std::vector<double>> numbers_of(const AttributeValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return std::vector<double>{static_cast<double>(*i)};
  if (const auto* f = std::get_if<float>(&value)) return std::vector<double>{*f};
  if (const auto* il = std::get_if<std::vector<int64_t>>(&value))
    return std::vector<double>(il->begin(), il->end());
  if (const auto* fl = std::get_if<std::vector<float>>(&value))
    return std::vector<double>(fl->begin(), fl->end());
  if (const auto* s = std::get_if<std::string>(&value)) return parse_numbers(*s);
  return std::nullopt;
}

double single_number(const Node& node, std::string_view name, std::string_view expected) {
  const auto numbers = numbers_of(*find_attribute(node, name));
  if (!numbers || numbers->size() != 1) bad_attribute(node, name, expected);
  return numbers->front();
}

int64_t integral(const Node& node, std::string_view name, double value) {
  if (value != std::floor(value) || std::fabs(value) > 9.0e15) bad_attribute(node, name, "an integer");
  return static_cast<int64_t>(value);
}

void require(const Node& node, std::string_view name) {
  OCTET_CHECK(find_attribute(node, name), ErrorCode::kInvalidModel, node.label(), ": attribute '", name,
              "' is missing");
}

}  // namespace

float float_attribute(const Node& node, std::string_view name) {
  require(node, name);
  return static_cast<float>(single_number(node, name, "a number"));
}

float float_attribute_or(const Node& node, std::string_view name, float fallback) {
  return find_attribute(node, name) ? float_attribute(node, name) : fallback;
}

int64_t int_attribute(const Node& node, std::string_view name) {
  require(node, name);
  return integral(node, name, single_number(node, name, "an integer"));
}

int64_t int_attribute_or(const Node& node, std::string_view name, int64_t fallback) {
  return find_attribute(node, name) ? int_attribute(node, name) : fallback;
}

bool bool_attribute_or(const Node& node, std::string_view name, bool fallback) {
  const AttributeValue* value = find_attribute(node, name);
  if (!value) return fallback;
  if (const auto* s = std::get_if<std::string>(value)) {
    std::string lower = trimmed(*s);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "true" || lower == "1") return true;
    if (lower == "false" || lower == "0") return false;
    bad_attribute(node, name, "a boolean (true/false or 1/0)");
  }
  const auto numbers = numbers_of(*value);
  if (!numbers || numbers->size() != 1 || (numbers->front() != 0 && numbers->front() != 1))
    bad_attribute(node, name, "a boolean (true/false or 1/0)");
  return numbers->front() != 0;
}

std::vector<float> float_list_attribute_or(const Node& node, std::string_view name,
                                           std::vector<float> fallback) {
  const AttributeValue* value = find_attribute(node, name);
  if (!value) return fallback;
  const auto numbers = numbers_of(*value);
  if (!numbers) bad_attribute(node, name, "a list of numbers");
  std::vector<float> out;
  for (double v : *numbers) out.push_back(static_cast<float>(v));
  return out;
}

std::vector<int64_t> int_list_attribute_or(const Node& node, std::string_view name,
                                           std::vector<int64_t> fallback) {
  const AttributeValue* value = find_attribute(node, name);
  if (!value) return fallback;
  const auto numbers = numbers_of(*value);
  if (!numbers) bad_attribute(node, name, "a list of integers");
  std::vector<int64_t> out;
  for (double v : *numbers) out.push_back(integral(node, name, v));
  return out;
}

std::string lower_string_attribute_or(const Node& node, std::string_view name, std::string_view fallback) {
  const AttributeValue* value = find_attribute(node, name);
  std::string out(fallback);
  if (value) {
    const auto* s = std::get_if<std::string>(value);
    if (!s) bad_attribute(node, name, "a string");
    out = trimmed(*s);
  }
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace octet::openvino
