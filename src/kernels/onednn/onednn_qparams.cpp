#include "kernels/onednn/onednn_qparams.h"

#include <cmath>
#include <string_view>

#include "octet/error.h"

namespace octet::cpu {

bool is_8bit(ElementType type) {
  return type == ElementType::kU8 || type == ElementType::kI8;
}

std::optional<std::vector<float>> constant_scales(const Node& node, size_t index, std::string& why_not) {
  const Value* value = node.input(index);
  if (!value || !value->is_constant() || value->type() != ElementType::kF32 || value->constant().rank() > 1) {
    why_not = str_cat("input ", index, " (a scale) is not a constant f32 scalar or vector");
    return std::nullopt;
  }
  const auto values = value->constant().values<float>();
  for (const float s : values) {
    if (!(s > 0.0f) || !std::isfinite(s)) {
      why_not = str_cat("scale input ", index, " has a value that is not positive and finite");
      return std::nullopt;
    }
  }
  if (values.empty()) {
    why_not = str_cat("scale input ", index, " is empty");
    return std::nullopt;
  }
  return std::vector<float>(values.begin(), values.end());
}

std::optional<std::vector<int32_t>> constant_zero_points(const Node& node, size_t index,
                                                         std::string& why_not) {
  const Value* value = node.input(index);
  if (!value) return std::vector<int32_t>{0};
  if (!value->is_constant() || value->constant().rank() > 1 || value->constant().element_count() == 0) {
    why_not = str_cat("input ", index, " (a zero point) is not a constant scalar or vector");
    return std::nullopt;
  }
  const Tensor& t = value->constant();
  std::vector<int32_t> values;
  for (int64_t i = 0; i < t.element_count(); ++i) values.push_back(static_cast<int32_t>(t.value_as_int64(i)));
  return values;
}

std::optional<std::vector<int8_t>> weights_minus_zero_point(const Tensor& w,
                                                            const std::vector<int32_t>& w_zero,
                                                            int64_t channels, int64_t inner) {
  std::vector<int8_t> out(static_cast<size_t>(w.element_count()));
  for (int64_t i = 0; i < w.element_count(); ++i) {
    const int64_t channel = (i / inner) % channels;
    const int32_t zero = w_zero.size() == 1 ? w_zero[0] : w_zero[static_cast<size_t>(channel)];
    const int64_t v = w.value_as_int64(i) - zero;
    if (v < -128 || v > 127) return std::nullopt;
    out[static_cast<size_t>(i)] = static_cast<int8_t>(v);
  }
  return out;
}

void add_zero_point(dnnl::primitive_attr& attr, std::unordered_map<int, dnnl::memory>& constants, int arg,
                    int32_t value, const dnnl::engine& engine) {
  if (value == 0) return;
  attr.set_zero_points(arg, 0, {DNNL_RUNTIME_S32_VAL});
  dnnl::memory memory({{1}, dnnl::memory::data_type::s32, dnnl::memory::format_tag::x}, engine);
  *static_cast<int32_t*>(memory.get_data_handle()) = value;
  constants[DNNL_ARG_ATTR_ZERO_POINTS | arg] = memory;
}

dnnl::memory::desc with_element_type(const dnnl::memory::desc& md, ElementType type) {
  dnnl::memory::desc result = md;
  result.data.data_type = static_cast<dnnl_data_type_t>(to_dnnl(type));
  return result;
}

bool is_onednn_reference(const dnnl::primitive_desc_base& pd) {
  const std::string_view impl = pd.impl_info_str();
  return impl.substr(0, 3) == "ref";
}

}  // namespace octet::cpu
