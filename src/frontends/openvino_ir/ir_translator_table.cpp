#include "frontends/openvino_ir/ir_translator_table.h"

#include <charconv>

namespace octet::openvino_ir {

const IrTranslatorTable& IrTranslatorTable::instance() {
  static const IrTranslatorTable table = [] {
    IrTranslatorTable t;
    register_convolution_translators(t);
    register_elementwise_translators(t);
    register_activation_translators(t);
    register_pooling_translators(t);
    register_reduction_translators(t);
    register_shape_translators(t);
    register_slicing_translators(t);
    register_resize_translators(t);
    register_openvino_op_translators(t);
    return t;
  }();
  return table;
}

void IrTranslatorTable::add(const std::string& type, std::set<int> versions, IrTranslator translate,
                            std::vector<std::string> emitted_ops) {
  for (int v : versions) entries_[{type, v}] = IrTranslatorEntry{translate, emitted_ops};
}

const IrTranslatorEntry* IrTranslatorTable::find(const std::string& type, const std::string& version) const {
  const auto it = entries_.find({type, opset_number(version)});
  return it == entries_.end() ? nullptr : &it->second;
}

int opset_number(std::string_view version) {
  constexpr std::string_view kPrefix = "opset";
  if (!version.starts_with(kPrefix)) return -1;
  int n = -1;
  const char* begin = version.data() + kPrefix.size();
  const char* end = version.data() + version.size();
  const auto [ptr, ec] = std::from_chars(begin, end, n);
  return ec == std::errc() && ptr == end && begin != end ? n : -1;
}

}  // namespace octet::openvino_ir
