// A dense, row-major tensor with static dims. Copies share the buffer (like a shared_ptr); use clone() for a
// deep copy. Buffers are 64-byte aligned so that kernels may use aligned vector loads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "octet/element_type.h"
#include "octet/error.h"
#include "octet/shape.h"

namespace octet {

class Tensor {
 public:
  Tensor() = default;
  // A zero-filled tensor.
  Tensor(ElementType type, Dims dims);

  // A tensor filled from values (converted with static_cast to T's own type; T must match type).
  template <typename T>
  static Tensor from_vector(Dims dims, std::span<const T> values);
  // A tensor over memory it does not own (an infer request's buffer, a memory-mapped file); `owner` keeps
  // that memory alive for as long as any copy of the tensor exists (pass nullptr when the caller guarantees
  // it).
  static Tensor view(ElementType type, Dims dims, void* data, std::shared_ptr<void> owner);
  template <typename T>
  static Tensor scalar(T value) {
    return from_vector<T>({}, std::span<const T>(&value, 1));
  }

  bool empty() const { return type_ == ElementType::kUndefined; }
  ElementType type() const { return type_; }
  const Dims& dims() const { return dims_; }
  size_t rank() const { return dims_.size(); }
  int64_t element_count() const { return element_count_; }
  size_t byte_size() const { return static_cast<size_t>(element_count_) * size_of(type_); }

  void* raw_data() { return buffer_.get(); }
  const void* raw_data() const { return buffer_.get(); }

  // Typed access; throws kInternal if T does not match the element type (bool tensors use uint8_t or bool).
  template <typename T>
  T* data() {
    check_type<T>();
    return reinterpret_cast<T*>(buffer_.get());
  }
  template <typename T>
  const T* data() const {
    check_type<T>();
    return reinterpret_cast<const T*>(buffer_.get());
  }
  template <typename T>
  std::span<const T> values() const {
    return {data<T>(), static_cast<size_t>(element_count_)};
  }
  template <typename T>
  std::span<T> values() {
    return {data<T>(), static_cast<size_t>(element_count_)};
  }

  Tensor clone() const;
  // Same buffer, other dims with the same element count.
  Tensor reshaped(Dims dims) const;
  // Element i converted to double / int64 (any numeric type); for small index-like tensors and tests.
  double value_as_double(int64_t i) const;
  int64_t value_as_int64(int64_t i) const;
  // Every element converted to int64 (for shape-like tensors: Reshape shapes, axes, pads, ...).
  std::vector<int64_t> to_int64_vector() const;
  std::string description() const;  // "f32[1,3,224,224]"

 private:
  template <typename T>
  void check_type() const {
    if constexpr (std::is_same_v<T, uint8_t>) {
      if (type_ == ElementType::kBool) return;
    }
    if constexpr (std::is_same_v<T, std::byte>) {
      return;
    } else {
      OCTET_CHECK(element_type_of<T>() == type_, ErrorCode::kInternal, "tensor of type ", to_string(type_),
                  " accessed as ", to_string(element_type_of<T>()));
    }
  }

  ElementType type_ = ElementType::kUndefined;
  Dims dims_;
  int64_t element_count_ = 0;
  std::shared_ptr<std::byte[]> buffer_;
};

template <typename T>
Tensor Tensor::from_vector(Dims dims, std::span<const T> values) {
  Tensor t(element_type_of<T>(), std::move(dims));
  OCTET_CHECK(static_cast<int64_t>(values.size()) == t.element_count(), ErrorCode::kInvalidArgument,
              "tensor ", t.description(), " needs ", t.element_count(), " values, got ", values.size());
  std::copy(values.begin(), values.end(), t.data<T>());
  return t;
}

}  // namespace octet
