// The channels-last u8/i8 MaxPool loop (kernels/onednn/int8_max_pool.h) against the reference executor on the
// same node: bit-identical (it only selects values), for whole and partial 64-channel blocks, padding,
// ceil_mode, dilations, asymmetric windows, batches and a size the loop splits over threads. Windows the loop
// does not take (more than 64 taps) still run exactly, on oneDNN.
#include <gtest/gtest.h>

#include "tests/cpu/compute_kernel_test_support.h"
#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {
namespace {

struct MaxPoolCase {
  std::string name;
  ElementType type;
  Dims dims;
  Dims kernel, strides, pads, dilations;
  bool ceil_mode = false;
};

std::ostream& operator<<(std::ostream& os, const MaxPoolCase& c) {
  return os << c.name;
}

Int8Check run_max_pool(const MaxPoolCase& c) {
  Graph g;
  Value* x = g.add_input("x", c.type, Shape(c.dims));
  g.add_output(g.add_node("MaxPool", "node", {x}, {"y"},
                          {{"kernel_shape", c.kernel},
                           {"strides", c.strides},
                           {"pads", c.pads},
                           {"dilations", c.dilations},
                           {"ceil_mode", int64_t{c.ceil_mode ? 1 : 0}}})
                   ->output(0));
  return expect_int8_matches_reference(g, {{"x", random_int8(c.type, c.dims, 17)}});
}

std::string case_name(const ::testing::TestParamInfo<MaxPoolCase>& test) {
  return test.param.name;
}

class Int8MaxPoolTest : public ::testing::TestWithParam<MaxPoolCase> {};

TEST_P(Int8MaxPoolTest, EqualsReference) {
  const Int8Check check = run_max_pool(GetParam());
  EXPECT_EQ(check.differing, 0);
  EXPECT_EQ(check.exec_type, "max_pool_nhwc_loop_I8");
}

INSTANTIATE_TEST_SUITE_P(
    Windows, Int8MaxPoolTest,
    ::testing::Values(
        // ResNet's pool after the stem: 3x3, stride 2, pad 1, one whole channel block.
        MaxPoolCase{"u8_resnet_stem_pool", kU8, {1, 64, 20, 20}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}},
        // Two blocks and a tail of 6 channels, batch 2, stride 1.
        MaxPoolCase{"s8_blocks_and_tail", kI8, {2, 134, 9, 11}, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}},
        // Fewer channels than a block; ceil_mode's extra window reaches past the image.
        MaxPoolCase{"u8_ceil_mode", kU8, {1, 5, 7, 7}, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, true},
        MaxPoolCase{"s8_dilated_asymmetric", kI8, {1, 70, 10, 9}, {3, 2}, {1, 2}, {0, 1, 2, 0}, {2, 2}},
        // 15 x 15 x 9 taps of 128 channels: split over the threads.
        MaxPoolCase{"u8_parallel", kU8, {1, 128, 30, 30}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}}),
    case_name);

TEST(Int8MaxPool, WindowsOfMoreThan64TapsRunOnOneDnn) {
  const Int8Check check =
      run_max_pool({"u8_9x9", kU8, {1, 16, 12, 12}, {9, 9}, {3, 3}, {0, 0, 0, 0}, {1, 1}});
  EXPECT_EQ(check.differing, 0);
  EXPECT_NE(check.exec_type, "max_pool_nhwc_loop_I8");
  EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << check.exec_type;
}

}  // namespace
}  // namespace octet::test
