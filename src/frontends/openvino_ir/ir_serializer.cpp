#include "frontends/openvino_ir/ir_serializer.h"

#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "octet/error.h"

namespace octet::ir_writer {
namespace {

// IR v11 separates tensor names by commas, so a comma inside a name is escaped.
std::string joined_names(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) text += ",";
    for (char c : names[i]) {
      if (c == ',') text += '\\';
      text += c;
    }
  }
  return text;
}

void add_dims(pugi::xml_node port, const Shape& shape) {
  OCTET_CHECK(shape.rank_known(), ErrorCode::kUnsupported,
              "a tensor of unknown rank cannot be written as an IR port");
  for (int64_t dim : shape.dims()) port.append_child("dim").text().set(std::to_string(dim).c_str());
}

}  // namespace

std::string serialize_ir_xml(const IrModel& model, const std::string& net_name, IrVersion version) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  pugi::xml_node net = doc.append_child("net");
  net.append_attribute("name") = net_name.c_str();
  net.append_attribute("version") = static_cast<int>(version);
  pugi::xml_node layers = net.append_child("layers");
  pugi::xml_node edges = net.append_child("edges");
  const auto& all = model.layers();
  for (size_t id = 0; id < all.size(); ++id) {
    const IrLayer& layer = all[id];
    pugi::xml_node node = layers.append_child("layer");
    node.append_attribute("id") = static_cast<unsigned long long>(id);
    node.append_attribute("name") = layer.name.c_str();
    node.append_attribute("type") = layer.type.c_str();
    node.append_attribute("version") = layer.version.c_str();
    if (!layer.data.entries().empty()) {
      pugi::xml_node data = node.append_child("data");
      for (const auto& [key, value] : layer.data.entries())
        data.append_attribute(key.c_str()) = value.c_str();
    }
    if (!layer.inputs.empty()) {
      pugi::xml_node input = node.append_child("input");
      for (size_t i = 0; i < layer.inputs.size(); ++i) {
        const PortRef from = layer.inputs[i];
        const IrOutput& source = model.output(from);
        pugi::xml_node port = input.append_child("port");
        port.append_attribute("id") = static_cast<unsigned long long>(i);
        port.append_attribute("precision") = port_precision(source.type).c_str();
        add_dims(port, source.shape);
        pugi::xml_node edge = edges.append_child("edge");
        edge.append_attribute("from-layer") = static_cast<unsigned long long>(from.layer);
        edge.append_attribute("from-port") =
            static_cast<unsigned long long>(all[from.layer].inputs.size() + from.port);
        edge.append_attribute("to-layer") = static_cast<unsigned long long>(id);
        edge.append_attribute("to-port") = static_cast<unsigned long long>(i);
      }
    }
    if (!layer.outputs.empty()) {
      pugi::xml_node output = node.append_child("output");
      for (size_t k = 0; k < layer.outputs.size(); ++k) {
        const IrOutput& out = layer.outputs[k];
        pugi::xml_node port = output.append_child("port");
        port.append_attribute("id") = static_cast<unsigned long long>(layer.inputs.size() + k);
        port.append_attribute("precision") = port_precision(out.type).c_str();
        if (version == IrVersion::k11 && !out.names.empty())
          port.append_attribute("names") = joined_names(out.names).c_str();
        add_dims(port, out.shape);
      }
    }
  }
  std::ostringstream text;
  doc.save(text, "\t", pugi::format_default, pugi::encoding_utf8);
  return text.str();
}

void save_ir_files(const IrModel& model, const std::string& net_name, IrVersion version,
                   const std::string& xml_path, const std::string& bin_path) {
  const std::string xml = serialize_ir_xml(model, net_name, version);
  auto write = [](const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    OCTET_CHECK(out.is_open(), ErrorCode::kIo, path, ": cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    OCTET_CHECK(!out.fail(), ErrorCode::kIo, path, ": write failed");
  };
  write(bin_path, model.blob());
  write(xml_path, xml);
}

}  // namespace octet::ir_writer
