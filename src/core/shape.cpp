#include "octet/shape.h"

#include <limits>

#include "octet/error.h"

namespace octet {

int64_t element_count(const Dims& dims) {
  int64_t count = 1;
  for (int64_t d : dims) {
    OCTET_CHECK(d >= 0, ErrorCode::kInvalidArgument, "dimension ", d, " of ", to_string(dims),
                " is not static");
    OCTET_CHECK(d == 0 || count <= std::numeric_limits<int64_t>::max() / d, ErrorCode::kInvalidArgument,
                "element count of ", to_string(dims), " overflows");
    count *= d;
  }
  return count;
}

std::string to_string(const Dims& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += dims[i] == kDynamicDim ? std::string("?") : std::to_string(dims[i]);
  }
  return s + "]";
}

size_t Shape::rank() const {
  OCTET_ASSERT(rank_known_);
  return dims_.size();
}

bool Shape::is_static() const {
  if (!rank_known_) return false;
  for (int64_t d : dims_)
    if (d < 0) return false;
  return true;
}

const Dims& Shape::static_dims() const {
  OCTET_CHECK(is_static(), ErrorCode::kInvalidArgument, "shape ", to_string(), " is not static");
  return dims_;
}

bool Shape::accepts(const Dims& dims) const {
  if (!rank_known_) return true;
  if (dims.size() != dims_.size()) return false;
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims_[i] != kDynamicDim && dims_[i] != dims[i]) return false;
  return true;
}

std::string Shape::to_string() const {
  return rank_known_ ? octet::to_string(dims_) : "[...]";
}

}  // namespace octet
