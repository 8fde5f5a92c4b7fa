// Reading the attributes of the OpenVINO-only ops (ops/openvino_*.cpp). The IR reader stores ints as int64,
// floats as float, lists as vectors and booleans as int64 0/1, but an IR attribute's spelling does not always
// say its type ("16" for a float step, "200" for the int list keep_top_k, "" for an empty list, "false" for a
// boolean). These readers accept every spelling that means the attribute's value, so that the ops do not
// depend on how a reader guessed, and name the node and attribute for anything else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"

namespace octet::openvino {

// A float: float, int64, a one-element list, or a string holding a number.
float float_attribute(const Node& node, std::string_view name);
float float_attribute_or(const Node& node, std::string_view name, float fallback);
// An integer: int64, an integral float, a one-element list, or a string holding an integer.
int64_t int_attribute(const Node& node, std::string_view name);
int64_t int_attribute_or(const Node& node, std::string_view name, int64_t fallback);
// A boolean: int64 0/1, or a string "true"/"false"/"1"/"0" (any case).
bool bool_attribute_or(const Node& node, std::string_view name, bool fallback);
// A list of floats: float or int lists, a single number, or a comma-separated string ("" is empty).
std::vector<float> float_list_attribute_or(const Node& node, std::string_view name,
                                           std::vector<float> fallback);
// A list of integers: int lists, integral float lists, a single number, or a comma-separated string.
std::vector<int64_t> int_list_attribute_or(const Node& node, std::string_view name,
                                           std::vector<int64_t> fallback);
// A string attribute in lower case (IR files spell enum values in either case: "INSIDE_SQRT").
std::string lower_string_attribute_or(const Node& node, std::string_view name, std::string_view fallback);

}  // namespace octet::openvino
