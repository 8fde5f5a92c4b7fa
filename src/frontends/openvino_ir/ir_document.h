// The OpenVINO IR .xml as plain data: layers with their <data> attributes and ports, edges, and the legacy
// <pre-process> block. Parsing checks only the XML's own shape (elements, numbers); graph-level consistency
// (ids, edges, cycles) is ir_graph_validation.h's job and op semantics are the translators'.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "octet/shape.h"

namespace octet::openvino_ir {

struct IrPort {
  int64_t id = 0;
  std::string precision;           // "FP32", "FP16", "I64", ... ("" if not given)
  Dims dims;                       // kDynamicDim for "-1" / "?"
  std::vector<std::string> names;  // v11 tensor names (the `names` attribute, comma separated)
};

struct IrLayer {
  int64_t id = 0;
  std::string name;
  std::string type;
  std::string version;                      // "opset1", ...
  std::map<std::string, std::string> data;  // the <data> element's attributes, as written
  std::vector<IrPort> inputs;
  std::vector<IrPort> outputs;

  // "Convolution 'conv1' (id 5)": how every error names a layer.
  std::string label() const;
  const IrPort* find_input(int64_t port_id) const;
  const IrPort* find_output(int64_t port_id) const;
  // Index of the port among the layer's inputs / outputs, or -1.
  int64_t input_index(int64_t port_id) const;
  int64_t output_index(int64_t port_id) const;
};

struct IrEdge {
  int64_t from_layer = 0;
  int64_t from_port = 0;
  int64_t to_layer = 0;
  int64_t to_port = 0;
};

// <pre-process reference-layer-name="data"><channel id="0"><mean value="104"/></channel>...</pre-process>:
// a per-channel mean that the legacy Inference Engine subtracted from the input.
struct IrMeanPreProcess {
  std::string input_name;
  std::vector<float> channel_means;  // indexed by channel id
};

struct IrDocument {
  int64_t ir_version = 0;
  std::string name;
  std::vector<IrLayer> layers;  // in file order
  std::vector<IrEdge> edges;
  std::optional<IrMeanPreProcess> mean_pre_process;
};

// Parses the text of an IR .xml; throws kInvalidModel for malformed XML or IR structure and kUnsupported for
// IR versions other than 10 and 11.
IrDocument parse_ir_document(const std::string& xml_text);

// Strict number parsing shared with the attribute readers: the whole string must be the number.
bool parse_int64(const std::string& text, int64_t& value);
bool parse_uint64(const std::string& text, uint64_t& value);
bool parse_float(const std::string& text, float& value);

}  // namespace octet::openvino_ir
