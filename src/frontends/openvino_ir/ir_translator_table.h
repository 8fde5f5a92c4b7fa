// Which IR op (type and opset version) becomes which internal ops, and how. Each op family's translate_*.cpp
// adds its entries through one register function listed here, so this file says what the reader supports.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "frontends/openvino_ir/ir_op_context.h"

namespace octet::openvino_ir {

struct IrTranslatorEntry {
  IrTranslator translate = nullptr;
  // The internal ops the translation emits; the layer is unsupported if the registry lacks one of them.
  std::vector<std::string> emitted_ops;
};

class IrTranslatorTable {
 public:
  // The table with every translator (built once).
  static const IrTranslatorTable& instance();

  // Registers `translate` for `type` in each of the given opset versions (1 for "opset1", ...).
  void add(const std::string& type, std::set<int> versions, IrTranslator translate,
           std::vector<std::string> emitted_ops);
  // nullptr if the (type, version) pair is unknown; `version` is the layer's attribute ("opset8").
  const IrTranslatorEntry* find(const std::string& type, const std::string& version) const;

 private:
  std::map<std::pair<std::string, int>, IrTranslatorEntry> entries_;
};

// "opset8" -> 8; -1 for anything else.
int opset_number(std::string_view version);

void register_convolution_translators(IrTranslatorTable& table);  // translate_convolution.cpp
void register_elementwise_translators(IrTranslatorTable& table);  // translate_elementwise.cpp
void register_activation_translators(IrTranslatorTable& table);   // translate_activation.cpp
void register_pooling_translators(IrTranslatorTable& table);      // translate_pooling.cpp
void register_reduction_translators(IrTranslatorTable& table);    // translate_reduction.cpp
void register_shape_translators(IrTranslatorTable& table);        // translate_shape_ops.cpp
void register_slicing_translators(IrTranslatorTable& table);      // translate_slicing.cpp
void register_resize_translators(IrTranslatorTable& table);       // translate_interpolate.cpp
void register_openvino_op_translators(IrTranslatorTable& table);  // translate_openvino_ops.cpp

}  // namespace octet::openvino_ir
