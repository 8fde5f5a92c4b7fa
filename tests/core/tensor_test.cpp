#include "octet/tensor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace octet {
namespace {

TEST(TensorTest, ZeroFilledAlignedAndShared) {
  Tensor t(ElementType::kF32, {2, 3});
  EXPECT_EQ(t.element_count(), 6);
  EXPECT_EQ(t.byte_size(), 24u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw_data()) % 64, 0u);
  for (float v : t.values<float>()) EXPECT_EQ(v, 0.0f);
  Tensor alias = t;
  alias.data<float>()[4] = 7.0f;
  EXPECT_EQ(t.data<float>()[4], 7.0f);  // copies share the buffer
  Tensor deep = t.clone();
  deep.data<float>()[4] = 1.0f;
  EXPECT_EQ(t.data<float>()[4], 7.0f);
}

TEST(TensorTest, TypedAccessChecksType) {
  Tensor t(ElementType::kI64, {3});
  EXPECT_THROW(t.data<float>(), Error);
  EXPECT_NO_THROW(t.data<int64_t>());
}

TEST(TensorTest, RejectsNegativeAndOverflowingDims) {
  EXPECT_THROW(Tensor(ElementType::kF32, {2, -1}), Error);
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_THROW(Tensor(ElementType::kF32, {big, 4}), Error);
  EXPECT_THROW(Tensor(ElementType::kF32, {int64_t{1} << 20, int64_t{1} << 20}), Error);  // 4 TiB
}

TEST(TensorTest, ReshapeKeepsElementCount) {
  const float values[] = {1, 2, 3, 4, 5, 6};
  Tensor t = Tensor::from_vector<float>({2, 3}, values);
  EXPECT_EQ(t.reshaped({3, 2}).data<float>()[5], 6.0f);
  EXPECT_THROW(t.reshaped({4, 2}), Error);
  EXPECT_EQ(Tensor::scalar<int64_t>(5).to_int64_vector(), std::vector<int64_t>{5});
}

TEST(ShapeTest, PartialShapesAcceptMatchingDims) {
  const Shape s{1, kDynamicDim, 4};
  EXPECT_FALSE(s.is_static());
  EXPECT_TRUE(s.accepts({1, 9, 4}));
  EXPECT_FALSE(s.accepts({2, 9, 4}));
  EXPECT_FALSE(s.accepts({1, 9}));
  EXPECT_TRUE(Shape::unknown().accepts({5, 5}));
  EXPECT_EQ(s.to_string(), "[1,?,4]");
  EXPECT_EQ(Shape::unknown().to_string(), "[...]");
}

TEST(ElementTypeTest, NamesRoundTrip) {
  for (ElementType t : {ElementType::kF32, ElementType::kF16, ElementType::kI8, ElementType::kU8,
                        ElementType::kI32, ElementType::kI64, ElementType::kBool})
    EXPECT_EQ(element_type_from_string(to_string(t)), t);
  EXPECT_THROW(element_type_from_string("f64"), Error);
}

}  // namespace
}  // namespace octet
