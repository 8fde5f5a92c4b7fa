// The element type, dims and memory layout of one runtime buffer of a compiled model. The layout is a oneDNN
// memory descriptor (plain row-major, channel-blocked nChw8c, ...), so that kernels and reorders agree on it;
// element types oneDNN has no descriptor for (i64, bool) and scalars are always plain row-major.
#pragma once

#include <dnnl.hpp>
#include <string>

#include "octet/element_type.h"
#include "octet/shape.h"

namespace octet::cpu {

struct BufferDesc {
  ElementType type = ElementType::kUndefined;
  Dims dims;
  dnnl::memory::desc md;  // zero desc: plain row-major in a type oneDNN lacks

  // Plain row-major layout of these dims (a oneDNN descriptor when the type has one).
  static BufferDesc plain(ElementType type, Dims dims);
  // The layout oneDNN chose (type and dims are taken from the descriptor).
  static BufferDesc from_dnnl(ElementType type, const dnnl::memory::desc& md);

  bool has_dnnl_desc() const { return md.data.ndims != 0; }
  bool is_plain() const;
  size_t byte_size() const;
  // Short layout name for counters and reorder names: "nchw", "nhwc", "nChw8c", "blocked".
  std::string layout_name() const;
  bool same_layout(const BufferDesc& other) const;
};

// oneDNN's data type for an element type, or undef for types it has none for (i64, bool).
dnnl::memory::data_type to_dnnl(ElementType type);
dnnl::memory::dims to_dnnl_dims(const Dims& dims);
// The plain row-major tag of a rank (a, ab, abc, abcd, ...).
dnnl::memory::format_tag plain_tag(size_t rank);

}  // namespace octet::cpu
