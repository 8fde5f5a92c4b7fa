#include "frontends/openvino_ir/ir_document.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <pugixml.hpp>

#include "octet/error.h"

namespace octet::openvino_ir {
namespace {

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

int64_t required_int(const pugi::xml_node& node, const char* attribute, const std::string& where) {
  const pugi::xml_attribute attr = node.attribute(attribute);
  OCTET_CHECK(attr, ErrorCode::kInvalidModel, where, ": <", node.name(), "> has no '", attribute,
              "' attribute");
  int64_t value = 0;
  OCTET_CHECK(parse_int64(attr.value(), value), ErrorCode::kInvalidModel, where, ": <", node.name(), "> ",
              attribute, "=\"", attr.value(), "\" is not an integer");
  return value;
}

// A <dim> is a non-negative size, or -1 / "?" for a dynamic one. Ranges ("1..10") are dynamic for Octet.
int64_t parse_dim(const std::string& text, const std::string& where) {
  const std::string t = trim(text);
  if (t == "?" || t.find("..") != std::string::npos) return kDynamicDim;
  int64_t value = 0;
  OCTET_CHECK(parse_int64(t, value), ErrorCode::kInvalidModel, where, ": dimension '", text,
              "' is not an integer");
  OCTET_CHECK(value >= -1, ErrorCode::kInvalidModel, where, ": dimension ", value,
              " is negative (only -1, dynamic, is allowed)");
  return value;
}

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    // Names may contain an escaped comma ("\,"); keep those together.
    while (comma < text.size() && comma > 0 && text[comma - 1] == '\\') {
      comma = text.find(',', comma + 1);
      if (comma == std::string::npos) comma = text.size();
    }
    const std::string name = trim(text.substr(start, comma - start));
    if (!name.empty()) names.push_back(name);
    start = comma + 1;
  }
  return names;
}

std::vector<IrPort> parse_ports(const pugi::xml_node& group, const std::string& where) {
  std::vector<IrPort> ports;
  if (!group) return ports;
  for (const pugi::xml_node& port : group.children("port")) {
    IrPort p;
    p.id = required_int(port, "id", where);
    p.precision = port.attribute("precision").value();
    p.names = split_names(port.attribute("names").value());
    for (const pugi::xml_node& dim : port.children("dim"))
      p.dims.push_back(parse_dim(dim.text().get(), where));
    for (const IrPort& other : ports)
      OCTET_CHECK(other.id != p.id, ErrorCode::kInvalidModel, where, ": port id ", p.id, " is used twice");
    ports.push_back(std::move(p));
  }
  return ports;
}

IrLayer parse_layer(const pugi::xml_node& node) {
  IrLayer layer;
  layer.name = node.attribute("name").value();
  layer.type = node.attribute("type").value();
  layer.version = node.attribute("version").value();
  const std::string where = str_cat("layer '", layer.name, "'");
  layer.id = required_int(node, "id", where);
  OCTET_CHECK(!layer.type.empty(), ErrorCode::kInvalidModel, layer.label(), ": the layer has no type");
  for (const pugi::xml_attribute& attr : node.child("data").attributes())
    layer.data[attr.name()] = attr.value();
  const std::string label = layer.label();
  layer.inputs = parse_ports(node.child("input"), label);
  layer.outputs = parse_ports(node.child("output"), label);
  for (const IrPort& in : layer.inputs) {
    OCTET_CHECK(layer.find_output(in.id) == nullptr, ErrorCode::kInvalidModel, label, ": port id ", in.id,
                " is both an input and an output");
  }
  return layer;
}

std::optional<IrMeanPreProcess> parse_pre_process(const pugi::xml_node& node) {
  if (!node) return std::nullopt;
  IrMeanPreProcess pre;
  pre.input_name = node.attribute("reference-layer-name").value();
  OCTET_CHECK(!pre.input_name.empty(), ErrorCode::kInvalidModel,
              "<pre-process> has no reference-layer-name attribute");
  for (const pugi::xml_node& channel : node.children("channel")) {
    const int64_t id = required_int(channel, "id", "<pre-process>");
    OCTET_CHECK(id >= 0 && id < 4096, ErrorCode::kInvalidModel, "<pre-process>: channel id ", id,
                " is out of range");
    const pugi::xml_node mean = channel.child("mean");
    if (!mean) continue;
    OCTET_CHECK(mean.attribute("value"), ErrorCode::kUnsupported,
                "<pre-process>: only per-channel mean values are supported (a mean image stored in the .bin "
                "is not)");
    float value = 0;
    OCTET_CHECK(parse_float(mean.attribute("value").value(), value), ErrorCode::kInvalidModel,
                "<pre-process>: mean value '", mean.attribute("value").value(), "' is not a number");
    if (pre.channel_means.size() <= static_cast<size_t>(id))
      pre.channel_means.resize(static_cast<size_t>(id) + 1);
    pre.channel_means[static_cast<size_t>(id)] = value;
  }
  if (pre.channel_means.empty()) return std::nullopt;
  return pre;
}

}  // namespace

std::string IrLayer::label() const {
  return str_cat(type, " '", name, "' (id ", id, ")");
}

const IrPort* IrLayer::find_input(int64_t port_id) const {
  for (const IrPort& p : inputs)
    if (p.id == port_id) return &p;
  return nullptr;
}

const IrPort* IrLayer::find_output(int64_t port_id) const {
  for (const IrPort& p : outputs)
    if (p.id == port_id) return &p;
  return nullptr;
}

int64_t IrLayer::input_index(int64_t port_id) const {
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].id == port_id) return static_cast<int64_t>(i);
  return -1;
}

int64_t IrLayer::output_index(int64_t port_id) const {
  for (size_t i = 0; i < outputs.size(); ++i)
    if (outputs[i].id == port_id) return static_cast<int64_t>(i);
  return -1;
}

bool parse_int64(const std::string& text, int64_t& value) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(t.c_str(), &end, 10);
  if (errno == 0 && *end == '\0') {
    value = v;
    return true;
  }
  // Some tools write integral values as floats ("1.0"); accept them when exact.
  float f = 0;
  if (!parse_float(t, f) || f != std::floor(f) || std::fabs(f) > 9.0e15f) return false;
  value = static_cast<int64_t>(f);
  return true;
}

bool parse_uint64(const std::string& text, uint64_t& value) {
  const std::string t = trim(text);
  if (t.empty() || t[0] == '-' || t[0] == '+') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(t.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  value = v;
  return true;
}

bool parse_float(const std::string& text, float& value) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (*end != '\0') return false;
  value = static_cast<float>(v);
  return true;
}

IrDocument parse_ir_document(const std::string& xml_text) {
  pugi::xml_document xml;
  const pugi::xml_parse_result parsed = xml.load_buffer(xml_text.data(), xml_text.size());
  OCTET_CHECK(parsed, ErrorCode::kInvalidModel, "not a valid XML file: ", parsed.description(), " at offset ",
              parsed.offset);
  const pugi::xml_node net = xml.child("net");
  OCTET_CHECK(net, ErrorCode::kInvalidModel, "not an OpenVINO IR: the root element is not <net>");
  IrDocument doc;
  doc.name = net.attribute("name").value();
  doc.ir_version = required_int(net, "version", "<net>");
  OCTET_CHECK(doc.ir_version == 10 || doc.ir_version == 11, ErrorCode::kUnsupported, "OpenVINO IR version ",
              doc.ir_version, " is not supported (supported: 10 and 11)");
  const pugi::xml_node layers = net.child("layers");
  OCTET_CHECK(layers, ErrorCode::kInvalidModel, "the IR has no <layers> element");
  for (const pugi::xml_node& layer : layers.children("layer")) doc.layers.push_back(parse_layer(layer));
  for (const pugi::xml_node& edge : net.child("edges").children("edge")) {
    IrEdge e;
    e.from_layer = required_int(edge, "from-layer", "<edge>");
    e.from_port = required_int(edge, "from-port", "<edge>");
    e.to_layer = required_int(edge, "to-layer", "<edge>");
    e.to_port = required_int(edge, "to-port", "<edge>");
    doc.edges.push_back(e);
  }
  doc.mean_pre_process = parse_pre_process(net.child("pre-process"));
  return doc;
}

}  // namespace octet::openvino_ir
