// Static dimensions (Dims) of a tensor, and the partial Shape that the graph IR infers for a value:
// the rank may be unknown and any dimension may be dynamic (kDynamicDim).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace octet {

using Dims = std::vector<int64_t>;
inline constexpr int64_t kDynamicDim = -1;

// Product of the dimensions (1 for a scalar); throws kInvalidArgument on a negative dim or on overflow.
int64_t element_count(const Dims& dims);
std::string to_string(const Dims& dims);  // "[1,3,224,224]"

class Shape {
 public:
  Shape() = default;                                               // unknown rank
  Shape(Dims dims) : rank_known_(true), dims_(std::move(dims)) {}  // NOLINT: implicit from Dims is intended
  Shape(std::initializer_list<int64_t> dims) : rank_known_(true), dims_(dims) {}

  static Shape unknown() { return Shape(); }
  // A shape of known rank whose every dimension is dynamic.
  static Shape dynamic(size_t rank) { return Shape(Dims(rank, kDynamicDim)); }

  bool rank_known() const { return rank_known_; }
  size_t rank() const;  // throws kInternal if the rank is unknown
  const Dims& dims() const { return dims_; }
  int64_t operator[](size_t axis) const { return dims_.at(axis); }
  bool is_static() const;
  // The dims of a static shape; throws kInvalidArgument naming the shape otherwise.
  const Dims& static_dims() const;
  // True if a tensor with these dims may hold a value of this shape.
  bool accepts(const Dims& dims) const;
  std::string to_string() const;  // "[1,3,?,224]", or "[...]" for unknown rank

  bool operator==(const Shape& other) const = default;

 private:
  bool rank_known_ = false;
  Dims dims_;
};

}  // namespace octet
