#include "octet/tensor.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

namespace octet {
namespace {

std::shared_ptr<std::byte[]> allocate_aligned(size_t bytes) {
  constexpr size_t kAlignment = 64;
  const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
  if (!p) fail(ErrorCode::kInvalidArgument, "cannot allocate ", bytes, " bytes for a tensor");
  std::memset(p, 0, rounded == 0 ? kAlignment : rounded);
  return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(p), [](std::byte* q) { std::free(q); });
}

template <typename R>
R value_as(const Tensor& t, int64_t i) {
  OCTET_ASSERT(i >= 0 && i < t.element_count());
  switch (t.type()) {
    case ElementType::kF32:
      return static_cast<R>(t.data<float>()[i]);
    case ElementType::kF16:
      return static_cast<R>(static_cast<float>(t.data<Float16>()[i]));
    case ElementType::kI8:
      return static_cast<R>(t.data<int8_t>()[i]);
    case ElementType::kU8:
      return static_cast<R>(t.data<uint8_t>()[i]);
    case ElementType::kI32:
      return static_cast<R>(t.data<int32_t>()[i]);
    case ElementType::kI64:
      return static_cast<R>(t.data<int64_t>()[i]);
    case ElementType::kBool:
      return static_cast<R>(t.data<uint8_t>()[i] != 0);
    case ElementType::kUndefined:
      break;
  }
  fail(ErrorCode::kInternal, "value of an empty tensor");
}

}  // namespace

Tensor::Tensor(ElementType type, Dims dims)
    : type_(type), dims_(std::move(dims)), element_count_(octet::element_count(dims_)) {
  OCTET_CHECK(type != ElementType::kUndefined, ErrorCode::kInternal, "tensor of undefined type");
  const int64_t limit = int64_t{1} << 40;  // 1 TiB: anything larger is a corrupt shape, not a real tensor
  OCTET_CHECK(element_count_ <= limit / static_cast<int64_t>(size_of(type)), ErrorCode::kInvalidArgument,
              "tensor ", description(), " is too large");
  buffer_ = allocate_aligned(byte_size());
}

Tensor Tensor::clone() const {
  if (empty()) return {};
  Tensor copy(type_, dims_);
  std::memcpy(copy.raw_data(), raw_data(), byte_size());
  return copy;
}

Tensor Tensor::reshaped(Dims dims) const {
  OCTET_CHECK(octet::element_count(dims) == element_count_, ErrorCode::kInvalidArgument, "cannot reshape ",
              description(), " to ", to_string(dims));
  Tensor view = *this;
  view.dims_ = std::move(dims);
  return view;
}

double Tensor::value_as_double(int64_t i) const {
  return value_as<double>(*this, i);
}
int64_t Tensor::value_as_int64(int64_t i) const {
  if (type_ == ElementType::kF32 || type_ == ElementType::kF16) {
    // A float read as an integer (shape, axes or sizes given as a float constant, as models may): NaN and
    // values past int64 have no integer value, and converting them is undefined behaviour (fuzzer finding).
    constexpr double kTwoTo63 = 9223372036854775808.0;
    const double value = value_as<double>(*this, i);
    OCTET_CHECK(std::isfinite(value) && value >= -kTwoTo63 && value < kTwoTo63, ErrorCode::kInvalidArgument,
                "element ", i, " of ", description(), " is ", value, ", not an integer in the 64-bit range");
    return static_cast<int64_t>(value);
  }
  return value_as<int64_t>(*this, i);
}

std::vector<int64_t> Tensor::to_int64_vector() const {
  std::vector<int64_t> out(static_cast<size_t>(element_count_));
  for (int64_t i = 0; i < element_count_; ++i) out[static_cast<size_t>(i)] = value_as_int64(i);
  return out;
}

std::string Tensor::description() const {
  return std::string(to_string(type_)) + octet::to_string(dims_);
}

Tensor Tensor::view(ElementType type, Dims dims, void* data, std::shared_ptr<void> owner) {
  Tensor t;
  t.type_ = type;
  t.element_count_ = octet::element_count(dims);
  t.dims_ = std::move(dims);
  // Aliasing constructor: shares ownership of `owner`, points at `data`.
  t.buffer_ = std::shared_ptr<std::byte[]>(std::move(owner), static_cast<std::byte*>(data));
  return t;
}

}  // namespace octet
