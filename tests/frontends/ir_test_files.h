// Builds small OpenVINO IRs (xml text + bin bytes) for the IR reader tests, and loads them. Ports are
// numbered as OpenVINO's serializer does: inputs 0..n-1, then outputs n..n+m-1; an input port declares the
// dims of the output it is connected to.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "frontends/openvino_ir/ir_reader.h"
#include "octet/error.h"
#include "octet/tensor.h"
#include "reference/reference_executor.h"

namespace octet::testing {

struct IrOutputRef {
  int layer;
  int output = 0;  // index among the layer's outputs
};

class IrBuilder {
 public:
  explicit IrBuilder(int version = 11) : version_(version) {}

  int parameter(const std::string& name, const Dims& dims, const std::string& type = "f32") {
    std::string shape;
    for (size_t i = 0; i < dims.size(); ++i) shape += (i ? "," : "") + std::to_string(dims[i]);
    return layer("Parameter", name, {}, {dims}, {{"shape", shape}, {"element_type", type}});
  }

  // A Const whose bytes are appended to the .bin.
  int constant(const std::string& name, const Tensor& value) {
    const std::string type(to_string(value.type()));
    return constant_raw(name, type == "boolean" ? "boolean" : type, value.dims(),
                        std::string(static_cast<const char*>(value.raw_data()), value.byte_size()));
  }
  int constant_f32(const std::string& name, const Dims& dims, std::vector<float> values) {
    return constant(name, Tensor::from_vector<float>(dims, values));
  }
  int constant_i64(const std::string& name, std::vector<int64_t> values) {
    return constant(name, Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values));
  }
  // A Const with explicit attributes, for malformed cases.
  int constant_raw(const std::string& name, const std::string& type, const Dims& dims,
                   const std::string& bytes) {
    std::string shape;
    for (size_t i = 0; i < dims.size(); ++i) shape += (i ? "," : "") + std::to_string(dims[i]);
    const int id = layer("Const", name, {}, {dims},
                         {{"element_type", type},
                          {"shape", shape},
                          {"offset", std::to_string(bin_.size())},
                          {"size", std::to_string(bytes.size())}});
    bin_ += bytes;
    return id;
  }

  int layer(const std::string& type, const std::string& name, const std::vector<IrOutputRef>& inputs,
            const std::vector<Dims>& output_dims, const std::map<std::string, std::string>& data = {},
            const std::string& version = "opset1") {
    Layer l{next_id_++, name, type, version, data, {}, output_dims};
    for (const IrOutputRef& in : inputs) l.inputs.push_back(in);
    layers_.push_back(l);
    return l.id;
  }

  int result(const std::string& name, IrOutputRef source) { return layer("Result", name, {source}, {}); }

  const Dims& output_dims(IrOutputRef ref) const { return find(ref.layer).outputs.at(ref.output); }

  std::string xml() const {
    std::string x = "<?xml version=\"1.0\"?>\n<net name=\"test\" version=\"" + std::to_string(version_) +
                    "\">\n<layers>\n";
    std::string edges;
    for (const Layer& l : layers_) {
      x += "<layer id=\"" + std::to_string(l.id) + "\" name=\"" + l.name + "\" type=\"" + l.type +
           "\" version=\"" + l.version + "\">\n";
      if (!l.data.empty()) {
        x += "<data";
        for (const auto& [k, v] : l.data) x += " " + k + "=\"" + v + "\"";
        x += "/>\n";
      }
      if (!l.inputs.empty()) {
        x += "<input>\n";
        for (size_t i = 0; i < l.inputs.size(); ++i) {
          x += port(static_cast<int>(i), output_dims(l.inputs[i]));
          const Layer& from = find(l.inputs[i].layer);
          edges += "<edge from-layer=\"" + std::to_string(from.id) + "\" from-port=\"" +
                   std::to_string(from.inputs.size() + static_cast<size_t>(l.inputs[i].output)) +
                   "\" to-layer=\"" + std::to_string(l.id) + "\" to-port=\"" + std::to_string(i) + "\"/>\n";
        }
        x += "</input>\n";
      }
      if (!l.outputs.empty()) {
        x += "<output>\n";
        for (size_t o = 0; o < l.outputs.size(); ++o)
          x += port(static_cast<int>(l.inputs.size() + o), l.outputs[o]);
        x += "</output>\n";
      }
      x += "</layer>\n";
    }
    x += "</layers>\n<edges>\n" + edges + extra_edges_ + "</edges>\n" + extra_xml_ + "</net>\n";
    return x;
  }
  const std::string& bin() const { return bin_; }
  std::string& mutable_bin() { return bin_; }
  void add_raw_edge(int from_layer, int from_port, int to_layer, int to_port) {
    extra_edges_ += "<edge from-layer=\"" + std::to_string(from_layer) + "\" from-port=\"" +
                    std::to_string(from_port) + "\" to-layer=\"" + std::to_string(to_layer) +
                    "\" to-port=\"" + std::to_string(to_port) + "\"/>\n";
  }
  void add_raw_xml(const std::string& text) { extra_xml_ += text; }

  Graph load(const LoadOptions& options = {}) const {
    return read_openvino_ir_from_memory(xml(), bin_, options);
  }

 private:
  struct Layer {
    int id;
    std::string name, type, version;
    std::map<std::string, std::string> data;
    std::vector<IrOutputRef> inputs;
    std::vector<Dims> outputs;
  };
  static std::string port(int id, const Dims& dims) {
    std::string p = "<port id=\"" + std::to_string(id) + "\" precision=\"FP32\">";
    for (int64_t d : dims) p += "<dim>" + std::to_string(d) + "</dim>";
    return p + "</port>\n";
  }
  const Layer& find(int id) const {
    for (const Layer& l : layers_)
      if (l.id == id) return l;
    throw std::out_of_range("no layer " + std::to_string(id));
  }

  int version_;
  int next_id_ = 0;
  std::vector<Layer> layers_;
  std::string bin_;
  std::string extra_edges_;
  std::string extra_xml_;
};

// Loads the IR and returns the error; fails the test if loading succeeds.
inline Error ir_load_error(const std::string& xml, const std::string& bin) {
  try {
    read_openvino_ir_from_memory(xml, bin);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "loading the IR succeeded";
  return Error(ErrorCode::kInternal, "");
}

// Runs a one-input graph on the reference executor and returns its single (or first) output as floats.
inline std::vector<float> run_f32(const Graph& graph, const Tensor& input, size_t output = 0) {
  const TensorMap out = ReferenceExecutor(graph).run({{graph.inputs().at(0)->name(), input}});
  const Tensor& t = out.at(graph.outputs().at(output)->name());
  std::vector<float> values;
  for (int64_t i = 0; i < t.element_count(); ++i) values.push_back(static_cast<float>(t.value_as_double(i)));
  return values;
}

// Reduced input sizes for the genuine IRs whose full size takes minutes on the reference executor (they are
// fully convolutional, so a smaller input still exercises every layer).
inline LoadOptions reduced_input_options(const std::filesystem::path& model) {
  const std::string stem = model.stem().string();
  LoadOptions options;
  if (stem == "single-image-super-resolution-1032") {
    options.input_shapes = {{"0", {1, 3, 30, 40}}, {"1", {1, 3, 120, 160}}};
  } else if (stem == "text-image-super-resolution-0001") {
    options.input_shapes = {{"0", {1, 1, 40, 60}}};
  } else if (stem == "road-segmentation-adas-0001") {
    options.input_shapes = {{"data", {1, 3, 128, 224}}};
  }
  return options;
}

}  // namespace octet::testing
