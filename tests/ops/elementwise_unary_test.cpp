#include <gtest/gtest.h>

#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

const std::vector<float> kX = {-3.5f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 2.5f, 4.0f};
const std::vector<float> kPositive = {0.25f, 0.5f, 1.0f, 2.0f, 3.0f, 10.0f};

struct UnaryCase {
  std::string op;
  Attributes attributes;
  std::vector<float> input;
  std::vector<float> expected;
};

// Expected values computed in float32 with numpy / torch (/usr/bin/python3), e.g. torch.sigmoid(x),
// torch.erf(x), torch.nn.functional.softplus/softsign/hardswish/leaky_relu(x, 0.1)/elu(x, 0.5),
// torch.selu(x), np.clip(0.2*x+0.5, 0, 1), np.floor/np.ceil/np.log/np.sqrt/np.round.
const UnaryCase kCases[] = {
    {"Sigmoid",
     {},
     kX,
     {0.02931223064661026f, 0.2689414322376251f, 0.3775406777858734f, 0.5f, 0.622459352016449f,
      0.7310585975646973f, 0.9241418242454529f, 0.9820137619972229f}},
    {"Tanh",
     {},
     kX,
     {-0.9981778860092163f, -0.7615941762924194f, -0.46211719512939453f, 0.0f, 0.46211719512939453f,
      0.7615941762924194f, 0.9866142868995667f, 0.9993293285369873f}},
    {"Exp",
     {},
     kX,
     {0.03019738383591175f, 0.3678794205188751f, 0.6065306663513184f, 1.0f, 1.6487212181091309f,
      2.7182819843292236f, 12.182493209838867f, 54.598148345947266f}},
    {"Erf",
     {},
     kX,
     {-0.9999992847442627f, -0.8427007794380188f, -0.5204998850822449f, 0.0f, 0.5204998850822449f,
      0.8427007794380188f, 0.9995930194854736f, 1.0f}},
    {"Softplus",
     {},
     kX,
     {0.029750417917966843f, 0.3132616877555847f, 0.4740769863128662f, 0.6931471824645996f,
      0.9740769863128662f, 1.31326162815094f, 2.578889846801758f, 4.0181498527526855f}},
    {"Softsign",
     {},
     kX,
     {-0.7777777910232544f, -0.5f, -0.3333333432674408f, 0.0f, 0.3333333432674408f, 0.5f, 0.7142857313156128f,
      0.800000011920929f}},
    {"HardSwish",
     {},
     kX,
     {0.0f, -0.3333333432674408f, -0.2083333283662796f, 0.0f, 0.2916666567325592f, 0.6666666865348816f,
      2.2916667461395264f, 4.0f}},
    {"LeakyRelu", {{"alpha", 0.1f}}, kX, {-0.35f, -0.1f, -0.05f, 0.0f, 0.5f, 1.0f, 2.5f, 4.0f}},
    {"LeakyRelu", {}, kX, {-0.035f, -0.01f, -0.005f, 0.0f, 0.5f, 1.0f, 2.5f, 4.0f}},  // default alpha 0.01
    {"HardSigmoid", {}, kX, {0.0f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 1.0f, 1.0f}},
    {"HardSigmoid",
     {{"alpha", 0.5f}, {"beta", 0.25f}},
     kX,
     {0.0f, 0.0f, 0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.0f}},
    {"Elu",
     {{"alpha", 0.5f}},
     kX,
     {-0.4849013090133667f, -0.31606027483940125f, -0.19673466682434082f, 0.0f, 0.5f, 1.0f, 2.5f, 4.0f}},
    {"Selu",
     {},
     kX,
     {-1.7050093412399292f, -1.1113307476043701f, -0.6917581558227539f, 0.0f, 0.5253505110740662f,
      1.0507010221481323f, 2.6267526149749756f, 4.202804088592529f}},
    {"Floor", {}, kX, {-4.0f, -1.0f, -1.0f, 0.0f, 0.0f, 1.0f, 2.0f, 4.0f}},
    {"Ceil", {}, kX, {-3.0f, -1.0f, -0.0f, 0.0f, 1.0f, 1.0f, 3.0f, 4.0f}},
    {"Relu", {}, kX, {0.0f, 0.0f, 0.0f, 0.0f, 0.5f, 1.0f, 2.5f, 4.0f}},
    {"Neg", {}, kX, {3.5f, 1.0f, 0.5f, -0.0f, -0.5f, -1.0f, -2.5f, -4.0f}},
    {"Abs", {}, kX, {3.5f, 1.0f, 0.5f, 0.0f, 0.5f, 1.0f, 2.5f, 4.0f}},
    {"Sign", {}, kX, {-1.0f, -1.0f, -1.0f, 0.0f, 1.0f, 1.0f, 1.0f, 1.0f}},
    {"Log",
     {},
     kPositive,
     {-1.3862943649291992f, -0.6931471824645996f, 0.0f, 0.6931471824645996f, 1.0986123085021973f,
      2.3025851249694824f}},
    {"Sqrt",
     {},
     kPositive,
     {0.5f, 0.7071067690849304f, 1.0f, 1.4142135381698608f, 1.7320507764816284f, 3.1622776985168457f}},
    {"Reciprocal", {}, kPositive, {4.0f, 2.0f, 1.0f, 0.5f, 0.3333333432674408f, 0.1f}},
    // Half to even: np.round([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6, -2.6]).
    {"Round",
     {},
     {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.6f, -2.6f},
     {-2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 3.0f, -3.0f}},
};

TEST(ElementwiseUnaryTest, FloatOpsMatchNumpy) {
  for (const UnaryCase& c : kCases) {
    SCOPED_TRACE(c.op);
    const Dims dims{2, static_cast<int64_t>(c.input.size() / 2)};
    SingleOp op(c.op, {fed(f32(dims, c.input))}, c.attributes);
    expect_f32(op.run1(), dims, c.expected);
  }
}

TEST(ElementwiseUnaryTest, SoftplusDoesNotOverflowForLargeInputs) {
  // log(1 + exp(100)) is 100 to float precision; exp(100) alone overflows float.
  SingleOp op("Softplus", {fed(f32({2}, {100.0f, -100.0f}))});
  expect_f32(op.run1(), {2}, {100.0f, 3.7200760e-44f});
}

TEST(ElementwiseUnaryTest, NanPassesThroughRelu) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  SingleOp op("Relu", {fed(f32({2}, {nan, -1.0f}))});
  expect_f32(op.run1(), {2}, {nan, 0.0f});
}

TEST(ElementwiseUnaryTest, IntegerRelu) {
  SingleOp op("Relu", {fed(i32({4}, {-5, 0, 3, std::numeric_limits<int32_t>::min()}))});
  expect_tensor<int32_t>(op.run1(), ElementType::kI32, {4}, {0, 0, 3, 0});
}

TEST(ElementwiseUnaryTest, IntegerNegWrapsAtMinimum) {
  // numpy: -np.array([-128, -5, 0, 127], dtype=np.int8) -> [-128, 5, 0, -127]
  SingleOp op("Neg", {fed(i8({4}, {-128, -5, 0, 127}))});
  expect_tensor<int8_t>(op.run1(), ElementType::kI8, {4}, {-128, 5, 0, -127});
}

TEST(ElementwiseUnaryTest, IntegerAbsAndSign) {
  SingleOp abs("Abs", {fed(i64({3}, {-7, 0, 9}))});
  expect_i64(abs.run1(), {3}, {7, 0, 9});
  SingleOp abs_u8("Abs", {fed(u8({2}, {0, 200}))});
  expect_tensor<uint8_t>(abs_u8.run1(), ElementType::kU8, {2}, {0, 200});
  SingleOp sign("Sign", {fed(i32({3}, {-7, 0, 9}))});
  expect_tensor<int32_t>(sign.run1(), ElementType::kI32, {3}, {-1, 0, 1});
  SingleOp sign_u8("Sign", {fed(u8({2}, {0, 200}))});
  expect_tensor<uint8_t>(sign_u8.run1(), ElementType::kU8, {2}, {0, 1});
}

TEST(ElementwiseUnaryTest, F16IsComputedThroughF32) {
  // Sigmoid(0) = 0.5 and Sigmoid(2) = 0.880797 -> nearest f16 is 0.88085938 (f16 spacing is 2^-11 there).
  SingleOp op("Sigmoid", {fed(f16({2}, {0.0f, 2.0f}))});
  const Tensor y = op.run1();
  ASSERT_EQ(y.type(), ElementType::kF16);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[0]), 0.5f);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[1]), 0.88085938f);
}

TEST(ElementwiseUnaryTest, NotIdentityDropout) {
  SingleOp not_op("Not", {fed(boolean({3}, {1, 0, 1}))});
  expect_bool(not_op.run1(), {3}, {0, 1, 0});

  SingleOp identity("Identity", {fed(i64({2}, {5, -6}))});
  expect_i64(identity.run1(), {2}, {5, -6});

  SingleOp dropout("Dropout",
                   {fed(f32({2}, {1.5f, -2.0f})), constant(f32({}, {0.3f})), constant(boolean({}, {0}))});
  expect_f32(dropout.run1(), {2}, {1.5f, -2.0f});
}

TEST(ElementwiseUnaryTest, KeepsDynamicShapes) {
  SingleOp op("Tanh", {fed_as(f32({2, 1}, {0.0f, 0.0f}), Shape{kDynamicDim, 1})});
  op.infer();
  EXPECT_EQ(op.shape(), (Shape{kDynamicDim, 1}));
}

TEST(ElementwiseUnaryTest, RejectsWrongTypes) {
  SingleOp sigmoid("Sigmoid", {fed(i32({1}, {1}))});
  expect_error([&] { sigmoid.infer(); }, ErrorCode::kInvalidModel, "Sigmoid 'node'");
  SingleOp neg_u8("Neg", {fed(u8({1}, {1}))});
  expect_error([&] { neg_u8.infer(); }, ErrorCode::kInvalidModel, "expected one of");
  SingleOp not_f32("Not", {fed(f32({1}, {1.0f}))});
  expect_error([&] { not_f32.infer(); }, ErrorCode::kInvalidModel, "Not 'node'");
}

TEST(ElementwiseUnaryTest, DropoutInTrainingModeIsUnsupported) {
  SingleOp dropout("Dropout", {fed(f32({1}, {1.0f})), omitted(), constant(boolean({}, {1}))});
  expect_error([&] { dropout.infer(); }, ErrorCode::kUnsupported, "training_mode");
  SingleOp fed_mode("Dropout", {fed(f32({1}, {1.0f})), omitted(), fed(boolean({}, {0}))});
  expect_error([&] { fed_mode.infer(); }, ErrorCode::kUnsupported, "training_mode");
}

}  // namespace
}  // namespace octet
