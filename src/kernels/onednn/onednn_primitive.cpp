#include "kernels/onednn/onednn_primitive.h"

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::string onednn_exec_type(const dnnl::primitive_desc_base& pd, ElementType precision) {
  std::string name = pd.impl_info_str();
  for (char& c : name) {
    if (c == ':' || c == ' ' || c == ',') c = '_';
  }
  return name + "_" + precision_name(precision);
}

dnnl::memory scratchpad_memory(const dnnl::memory::desc& desc, const BindContext& context) {
  return dnnl::memory(desc, context.engine, context.scratchpad);
}

}  // namespace octet::cpu
