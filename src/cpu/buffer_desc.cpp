#include "cpu/buffer_desc.h"

#include <array>
#include <utility>

#include "octet/error.h"

namespace octet::cpu {

using tag = dnnl::memory::format_tag;

dnnl::memory::data_type to_dnnl(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return dnnl::memory::data_type::f32;
    case ElementType::kF16:
      return dnnl::memory::data_type::f16;
    case ElementType::kI8:
      return dnnl::memory::data_type::s8;
    case ElementType::kU8:
      return dnnl::memory::data_type::u8;
    case ElementType::kI32:
      return dnnl::memory::data_type::s32;
    default:
      return dnnl::memory::data_type::undef;
  }
}

dnnl::memory::dims to_dnnl_dims(const Dims& dims) {
  return dnnl::memory::dims(dims.begin(), dims.end());
}

tag plain_tag(size_t rank) {
  static constexpr std::array<tag, 7> kTags = {tag::undef, tag::a,     tag::ab,    tag::abc,
                                               tag::abcd,  tag::abcde, tag::abcdef};
  OCTET_CHECK(rank < kTags.size(), ErrorCode::kUnsupported, "the CPU plugin handles tensors up to rank ",
              kTags.size() - 1, ", got rank ", rank);
  return kTags[rank];
}

BufferDesc BufferDesc::plain(ElementType type, Dims dims) {
  BufferDesc desc;
  desc.type = type;
  desc.dims = std::move(dims);
  const auto data_type = to_dnnl(type);
  if (data_type != dnnl::memory::data_type::undef && !desc.dims.empty() && desc.dims.size() <= 6) {
    bool has_zero = false;
    for (int64_t d : desc.dims) has_zero |= d == 0;
    if (!has_zero)
      desc.md = dnnl::memory::desc(to_dnnl_dims(desc.dims), data_type, plain_tag(desc.dims.size()));
  }
  return desc;
}

BufferDesc BufferDesc::from_dnnl(ElementType type, const dnnl::memory::desc& md) {
  BufferDesc desc;
  desc.type = type;
  const auto dims = md.dims();
  desc.dims.assign(dims.begin(), dims.end());
  desc.md = md;
  return desc;
}

bool BufferDesc::is_plain() const {
  if (!has_dnnl_desc()) return true;
  return md == dnnl::memory::desc(md.dims(), md.data_type(), plain_tag(dims.size()));
}

size_t BufferDesc::byte_size() const {
  if (has_dnnl_desc()) return md.get_size();
  return static_cast<size_t>(element_count(dims)) * size_of(type);
}

std::string BufferDesc::layout_name() const {
  if (is_plain()) {
    static constexpr std::array<const char*, 7> kNames = {"scalar", "x",     "nc",    "ncw",
                                                          "nchw",   "ncdhw", "abcdef"};
    return dims.size() < kNames.size() ? kNames[dims.size()] : "plain";
  }
  struct KnownLayout {
    int rank;
    tag format;
    const char* name;
  };
  static constexpr std::array<KnownLayout, 8> kKnown = {{{4, tag::nhwc, "nhwc"},
                                                         {4, tag::nChw8c, "nChw8c"},
                                                         {4, tag::nChw16c, "nChw16c"},
                                                         {3, tag::nwc, "nwc"},
                                                         {3, tag::nCw8c, "nCw8c"},
                                                         {5, tag::ndhwc, "ndhwc"},
                                                         {5, tag::nCdhw8c, "nCdhw8c"},
                                                         {5, tag::nCdhw16c, "nCdhw16c"}}};
  for (const KnownLayout& known : kKnown) {
    if (md.data.ndims == known.rank && md == dnnl::memory::desc(md.dims(), md.data_type(), known.format))
      return known.name;
  }
  return "blocked";
}

bool BufferDesc::same_layout(const BufferDesc& other) const {
  if (type != other.type || dims != other.dims) return false;
  if (has_dnnl_desc() != other.has_dnnl_desc()) return is_plain() && other.is_plain();
  return !has_dnnl_desc() || md == other.md;
}

}  // namespace octet::cpu
