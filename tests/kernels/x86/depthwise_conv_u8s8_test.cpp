// The depthwise int8 kernel: every vector path this CPU runs against the plain reference path, bit for bit,
// on odd shapes (channels off every block size, width 1, padding wider than the kernel, stride 2,
// dilation); the reference path against hand-computed values; the saturating case; and the plugin factory
// against the reference executor's QLinearConv on the same data.
#include "kernels/x86/depthwise_conv_u8s8.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "kernels/x86/x86_int8_factories.h"
#include "tests/kernels/x86/x86_int8_test_support.h"
#include "tests/support/op_test_harness.h"

namespace octet::test {
namespace {

using x86::DepthwiseConvShape;
using x86::DepthwiseConvU8S8;
using x86::Isa;
using x86::OutputKind;
using x86::OutputQuantization;

size_t output_bytes(const DepthwiseConvShape& s, OutputKind kind) {
  return static_cast<size_t>(s.batch * s.out_h() * s.out_w() * s.channels) *
         (kind == OutputKind::kF32 ? 4 : 1);
}

std::vector<uint8_t> run_conv(const DepthwiseConvShape& s, const std::vector<int8_t>& w,
                              const std::vector<int32_t>& bias, int32_t x_zero, const OutputQuantization& out,
                              Isa isa, const std::vector<uint8_t>& x, int64_t block_bytes = 0) {
  const DepthwiseConvU8S8 conv(s, w, bias, x_zero, out, isa, block_bytes);
  std::vector<uint8_t> y(output_bytes(s, out.kind), 0xAB);
  conv.run(x.data(), y.data());
  return y;
}

struct Case {
  int64_t batch, channels, in_h, in_w, kernel, stride, dilation, pad_begin, pad_end;
};

// Every vector path with every block width it takes: the ISA's full width, and 32-byte blocks on VNNI.
struct VectorPath {
  Isa isa;
  int64_t block_bytes;
};
std::vector<VectorPath> vector_paths() {
  std::vector<VectorPath> paths;
  for (Isa isa : vector_isas()) {
    paths.push_back({isa, 0});
    if (isa == Isa::kAvx512Vnni) paths.push_back({isa, 32});
  }
  return paths;
}

// x - 1 = [[0,1,2],[3,4,5],[6,7,8]], a 3x3 kernel of ones, pads 1: each output is the sum of its 3x3
// neighbourhood (padding contributes 0): [[8,15,12],[21,36,27],[20,33,24]]; plus bias 10:
// [[18,25,22],[31,46,37],[30,43,34]].
TEST(DepthwiseConvU8S8Test, HandComputedEveryPath) {
  DepthwiseConvShape s;
  s.channels = 1;
  s.in_h = s.in_w = 3;
  s.pad_top = s.pad_left = s.pad_bottom = s.pad_right = 1;
  const std::vector<uint8_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<int8_t> w(9, 1);
  for (Isa isa : x86::available_isas()) {
    SCOPED_TRACE(x86::isa_name(isa));
    // f32 with scale 0.5: the sums halved.
    std::vector<uint8_t> y = run_conv(s, w, {10}, 1, {OutputKind::kF32, {0.5f}, 0}, isa, x);
    std::vector<float> f(9);
    std::memcpy(f.data(), y.data(), 36);
    EXPECT_EQ(f, (std::vector<float>{9, 12.5f, 11, 15.5f, 23, 18.5f, 15, 21.5f, 17}));
    // u8 with scale 0.5 and zero point 3: ties to even (12.5 -> 12, 15.5 -> 16, 18.5 -> 18, 21.5 -> 22).
    y = run_conv(s, w, {10}, 1, {OutputKind::kU8, {0.5f}, 3}, isa, x);
    EXPECT_EQ(y, (std::vector<uint8_t>{12, 15, 14, 19, 26, 21, 18, 25, 20}));
    // i8 with scale 4 and zero point -100: 18 * 4 - 100 = -28, then saturation at 127.
    y = run_conv(s, w, {10}, 1, {OutputKind::kI8, {4.0f}, -100}, isa, x);
    const std::vector<int8_t> expected = {-28, 0, -12, 24, 84, 48, 20, 72, 36};
    EXPECT_EQ(std::memcmp(y.data(), expected.data(), 9), 0);
    y = run_conv(s, w, {10}, 1, {OutputKind::kI8, {8.0f}, 0}, isa, x);
    EXPECT_EQ(static_cast<int8_t>(y[4]), 127);  // 46 * 8 = 368 saturates
  }
}

// Weights 127 (or -128) next to each other and inputs 255: vpmaddubsw on the raw weights would saturate
// (127 * 255 * 2 = 64770 > 32767); the kernels must still give the exact sums 9 * 255 * 127 = 291465 and
// 9 * 255 * -128 = -293760 (both exact in float).
TEST(DepthwiseConvU8S8Test, WeightsThatWouldSaturateVpmaddubswAreExact) {
  const std::vector<int8_t> pair = {127, 127};
  EXPECT_FALSE(x86::maddubs_cannot_saturate(pair, 255));
  EXPECT_TRUE(x86::maddubs_cannot_saturate(pair, 129));  // 254 * 129 = 32766
  DepthwiseConvShape s;
  s.channels = 40;
  s.in_h = s.in_w = 4;
  std::vector<int8_t> w;
  for (int64_t c = 0; c < s.channels; ++c) w.insert(w.end(), 9, c % 2 == 0 ? int8_t{127} : int8_t{-128});
  const std::vector<uint8_t> x(static_cast<size_t>(16 * s.channels), 255);
  for (const VectorPath& path : vector_paths()) {
    SCOPED_TRACE(str_cat(x86::isa_name(path.isa), " block ", path.block_bytes));
    const std::vector<uint8_t> y =
        run_conv(s, w, {}, 0, {OutputKind::kF32, {1.0f}, 0}, path.isa, x, path.block_bytes);
    std::vector<float> f(y.size() / 4);
    std::memcpy(f.data(), y.data(), y.size());
    for (size_t i = 0; i < f.size(); ++i)
      ASSERT_EQ(f[i], i % 2 == 0 ? 291465.0f : -293760.0f) << "element " << i;
  }
}

TEST(DepthwiseConvU8S8Test, VectorPathsMatchReferenceBitForBit) {
  const std::vector<Case> cases = {
      {1, 32, 8, 8, 3, 1, 1, 1, 1}, {1, 17, 7, 9, 3, 2, 1, 1, 1},  {2, 45, 5, 6, 5, 1, 1, 2, 2},
      {1, 96, 9, 9, 3, 2, 1, 0, 1}, {1, 144, 6, 5, 5, 2, 1, 2, 2}, {1, 3, 4, 1, 3, 1, 1, 1, 1},
      {1, 65, 1, 7, 3, 1, 1, 1, 1}, {1, 33, 3, 3, 3, 1, 1, 4, 5},  {1, 20, 10, 10, 3, 1, 2, 2, 2},
      {1, 1, 5, 5, 5, 2, 1, 2, 2},  {1, 129, 4, 4, 1, 1, 1, 0, 0}, {1, 16, 12, 3, 7, 1, 1, 3, 3},
      {2, 40, 6, 7, 3, 1, 1, 1, 1}, {2, 72, 5, 8, 3, 2, 1, 1, 1},  {1, 64, 2, 2, 3, 2, 1, 1, 1},
  };
  uint32_t seed = 1;
  for (const Case& k : cases) {
    DepthwiseConvShape s;
    s.batch = k.batch;
    s.channels = k.channels;
    s.in_h = k.in_h;
    s.in_w = k.in_w;
    s.kernel_h = s.kernel_w = k.kernel;
    s.stride_h = s.stride_w = k.stride;
    s.dilation_h = s.dilation_w = k.dilation;
    s.pad_top = s.pad_left = k.pad_begin;
    s.pad_bottom = s.pad_right = k.pad_end;
    const auto x =
        random_ints<uint8_t>(static_cast<size_t>(s.batch * s.in_h * s.in_w * s.channels), 0, 255, seed++);
    const auto w =
        random_ints<int8_t>(static_cast<size_t>(s.channels * k.kernel * k.kernel), -128, 127, seed++);
    const auto bias = random_ints<int32_t>(static_cast<size_t>(s.channels), -20000, 20000, seed++);
    const int32_t x_zero = static_cast<int32_t>(seed * 37 % 256);
    std::vector<float> scales;
    for (int64_t c = 0; c < s.channels; ++c) scales.push_back(0.0005f + 0.0001f * static_cast<float>(c % 7));
    // The huge scales overflow int32 once rounded (|acc| * 1e9 >= 2^31): the kernel must keep the float
    // clamp there (the integer output stage would turn those values into INT_MIN and saturate them low).
    for (const OutputQuantization& out :
         {OutputQuantization{OutputKind::kU8, scales, 128}, OutputQuantization{OutputKind::kI8, {0.002f}, -5},
          OutputQuantization{OutputKind::kF32, scales, 0}, OutputQuantization{OutputKind::kU8, {1e9f}, 3},
          OutputQuantization{OutputKind::kI8, {1e9f}, -3}}) {
      const std::vector<uint8_t> want = run_conv(s, w, bias, x_zero, out, Isa::kReference, x);
      for (const VectorPath& path : vector_paths()) {
        SCOPED_TRACE(str_cat(x86::isa_name(path.isa), " block ", path.block_bytes, " C=", k.channels, " ",
                             k.in_h, "x", k.in_w, " k", k.kernel, " s", k.stride, " d", k.dilation, " pads ",
                             k.pad_begin, ",", k.pad_end, " out ", static_cast<int>(out.kind)));
        EXPECT_EQ(run_conv(s, w, bias, x_zero, out, path.isa, x, path.block_bytes), want);
      }
    }
  }
}

TEST(DepthwiseConvU8S8Test, RejectsWhatItCannotDo) {
  DepthwiseConvShape s;
  s.channels = 2;
  s.in_h = s.in_w = 9;
  s.kernel_h = s.kernel_w = 9;  // 81 taps
  expect_kernel_error(
      [&] {
        DepthwiseConvU8S8(s, std::vector<int8_t>(162), {}, 0, {OutputKind::kU8, {1.0f}, 0}, Isa::kReference);
      },
      ErrorCode::kUnsupported, "at most 49 taps");
  s.kernel_h = s.kernel_w = 3;
  expect_kernel_error(
      [&] {
        DepthwiseConvU8S8(s, std::vector<int8_t>(18), std::vector<int32_t>{2147483000, 0}, 0,
                          {OutputKind::kU8, {1.0f}, 0}, Isa::kReference);
      },
      ErrorCode::kUnsupported, "could overflow");
  expect_kernel_error(
      [&] {
        DepthwiseConvU8S8(s, std::vector<int8_t>(17), {}, 0, {OutputKind::kU8, {1.0f}, 0}, Isa::kReference);
      },
      ErrorCode::kInvalidArgument, "expected 18");
  if (x86::cpu_supports(Isa::kAvx2))
    expect_kernel_error(
        [&] {
          DepthwiseConvU8S8(s, std::vector<int8_t>(18), {}, 0, {OutputKind::kU8, {1.0f}, 0}, Isa::kAvx2, 64);
        },
        ErrorCode::kInvalidArgument, "no 64-byte blocks on the avx2 path");
}

TEST(DepthwiseConvU8S8Test, RefusesAPathThisCpuCannotRun) {
  DepthwiseConvShape s;
  s.channels = 2;
  s.in_h = s.in_w = 3;
  for (Isa isa : {Isa::kAvx2, Isa::kAvx512Bw, Isa::kAvx512Vnni}) {
    if (x86::cpu_supports(isa)) continue;
    expect_kernel_error(
        [&] {
          DepthwiseConvU8S8(s, std::vector<int8_t>(18), {}, 0, {OutputKind::kU8, {1.0f}, 0}, isa);
        },
        ErrorCode::kInvalidArgument, "this CPU cannot run");
  }
}

// The factory on a QLinearConv node vs the reference executor's QLinearConv (NCHW there, NHWC here).
struct NodeCase {
  int64_t channels, in_h, in_w, kernel, stride, pad, dilation;
  ElementType y_type;
};

TEST(DepthwiseConvU8S8Test, FactoryMatchesReferenceExecutorQLinearConv) {
  const std::vector<NodeCase> cases = {{32, 10, 10, 3, 1, 1, 1, ElementType::kU8},
                                       {17, 9, 7, 3, 2, 1, 1, ElementType::kU8},
                                       {40, 6, 6, 5, 1, 2, 1, ElementType::kI8},
                                       {24, 5, 1, 3, 1, 3, 1, ElementType::kU8},
                                       {8, 7, 7, 3, 1, 2, 2, ElementType::kU8}};
  uint32_t seed = 100;
  for (const NodeCase& k : cases) {
    const int64_t c = k.channels;
    const auto x = random_ints<uint8_t>(static_cast<size_t>(c * k.in_h * k.in_w), 0, 255, seed++);
    // Weights in [-120, 120] and, for odd channel counts, a weight zero point of 5 that the factory takes
    // off.
    const auto w = random_ints<int8_t>(static_cast<size_t>(c * k.kernel * k.kernel), -120, 120, seed++);
    const auto bias = random_ints<int32_t>(static_cast<size_t>(c), -5000, 5000, seed++);
    const Tensor w_zero = scalar<int8_t>(c % 2 == 1 ? 5 : 0);
    std::vector<float> w_scale;
    for (int64_t i = 0; i < c; ++i) w_scale.push_back(0.01f + 0.001f * static_cast<float>(i % 5));
    const Tensor y_zero = k.y_type == ElementType::kU8 ? scalar<uint8_t>(120) : scalar<int8_t>(-3);
    const std::vector<Tensor> inputs{make<uint8_t>({1, c, k.in_h, k.in_w}, x),
                                     scalar<float>(0.05f),
                                     scalar<uint8_t>(131),
                                     make<int8_t>({c, 1, k.kernel, k.kernel}, w),
                                     make<float>({c}, w_scale),
                                     w_zero,
                                     scalar<float>(0.07f),
                                     y_zero,
                                     make<int32_t>({c}, bias)};
    const Attributes attributes = {{"group", c},
                                   {"strides", std::vector<int64_t>{k.stride, k.stride}},
                                   {"dilations", std::vector<int64_t>{k.dilation, k.dilation}},
                                   {"pads", std::vector<int64_t>{k.pad, k.pad, k.pad, k.pad}}};
    const Tensor want = run_single("QLinearConv", fed_then_constants(inputs), attributes);
    const std::unique_ptr<SingleOp> op = build_op("QLinearConv", fed_then_constants(inputs), attributes);
    const Dims& y_dims = want.dims();
    const std::vector<uint8_t> x_nhwc = nchw_to_nhwc(x.data(), 1, c, k.in_h, k.in_w);
    const std::vector<uint8_t> want_nhwc =
        nchw_to_nhwc(static_cast<const uint8_t*>(want.raw_data()), 1, c, y_dims[2], y_dims[3]);
    for (Isa isa : vector_isas()) {
      SCOPED_TRACE(str_cat(x86::isa_name(isa), " C=", c, " k", k.kernel, " s", k.stride, " pad ", k.pad));
      const ForcedIsa forced(isa);
      std::vector<uint8_t> y(want_nhwc.size(), 0);
      std::string why_not;
      std::vector<cpu::BufferDesc> layouts;
      const std::optional<std::string> exec =
          run_factory(cpu::create_x86_depthwise_qlinear_conv, *op->node(), ElementType::kU8,
                      {1, c, k.in_h, k.in_w}, x_nhwc.data(), y.data(), why_not, &layouts);
      ASSERT_TRUE(exec.has_value()) << why_not;
      // VNNI narrows to 256-bit vectors where 32-byte blocks pad less (every case but 40 channels).
      const bool narrowed = isa == Isa::kAvx512Vnni && c != 40;
      EXPECT_EQ(*exec, str_cat("jit_", x86::isa_name(isa), narrowed ? "_dw_ymm_I8" : "_dw_I8"));
      EXPECT_EQ(layouts.at(0).layout_name(), "nhwc");
      EXPECT_EQ(y, want_nhwc);
    }
  }
}

// On AVX-512, a channel count that 32-byte blocks cover with less padding than 64-byte ones runs on 256-bit
// vectors (faster there, same integers): the VNNI path narrows its own, AVX-512 BW hands over to the AVX2
// path unless OCTET_X86_ISA forces it; 64 channels stay on 512-bit vectors.
TEST(DepthwiseConvU8S8Test, FactoryPicksTheBlockWidthThatPadsLess) {
  if (std::getenv("OCTET_X86_ISA")) GTEST_SKIP() << "OCTET_X86_ISA is set for the whole run";
  const Isa best = x86::default_isa();
  if (best != Isa::kAvx512Bw && best != Isa::kAvx512Vnni) GTEST_SKIP() << "no AVX-512 on this CPU";
  auto exec_type = [](int64_t c) {
    const std::vector<Tensor> inputs{
        make<uint8_t>({1, c, 4, 4}, std::vector<uint8_t>(static_cast<size_t>(16 * c), 7)),
        scalar<float>(0.05f),
        scalar<uint8_t>(128),
        make<int8_t>({c, 1, 3, 3}, std::vector<int8_t>(static_cast<size_t>(9 * c), 3)),
        scalar<float>(0.01f),
        scalar<int8_t>(0),
        scalar<float>(0.07f),
        scalar<uint8_t>(120)};
    const Attributes attributes = {{"group", c}, {"pads", std::vector<int64_t>{1, 1, 1, 1}}};
    const std::unique_ptr<SingleOp> op = build_op("QLinearConv", fed_then_constants(inputs), attributes);
    std::vector<uint8_t> y(static_cast<size_t>(16 * c), 0);
    std::string why_not;
    const std::optional<std::string> exec =
        run_factory(cpu::create_x86_depthwise_qlinear_conv, *op->node(), ElementType::kU8, {1, c, 4, 4},
                    inputs[0].raw_data(), y.data(), why_not);
    EXPECT_TRUE(exec.has_value()) << why_not;
    return exec.value_or("");
  };
  const std::string narrow = best == Isa::kAvx512Vnni ? "jit_avx512vnni_dw_ymm_I8" : "jit_avx2_dw_I8";
  EXPECT_EQ(exec_type(32), narrow);
  EXPECT_EQ(exec_type(96), narrow);
  EXPECT_EQ(exec_type(64), str_cat("jit_", x86::isa_name(best), "_dw_I8"));
  const ForcedIsa forced(best);
  EXPECT_EQ(exec_type(32), best == Isa::kAvx512Vnni ? narrow : "jit_avx512bw_dw_I8");
}

TEST(DepthwiseConvU8S8Test, FactoryDeclinesOtherConvolutions) {
  // A grouped (not depthwise) convolution: 4 channels in 2 groups.
  const std::vector<Tensor> inputs{make<uint8_t>({1, 4, 3, 3}, std::vector<uint8_t>(36, 1)),
                                   scalar<float>(1.0f),
                                   scalar<uint8_t>(0),
                                   make<int8_t>({4, 2, 1, 1}, std::vector<int8_t>(8, 1)),
                                   scalar<float>(1.0f),
                                   scalar<int8_t>(0),
                                   scalar<float>(1.0f),
                                   scalar<uint8_t>(0)};
  const std::unique_ptr<SingleOp> op =
      build_op("QLinearConv", fed_then_constants(inputs), {{"group", int64_t{2}}});
  std::vector<uint8_t> x(36, 1), y(36, 0);
  std::string why_not;
  EXPECT_FALSE(run_factory(cpu::create_x86_depthwise_qlinear_conv, *op->node(), ElementType::kU8,
                           {1, 4, 3, 3}, x.data(), y.data(), why_not));
  EXPECT_NE(why_not.find("not depthwise"), std::string::npos) << why_not;
}

}  // namespace
}  // namespace octet::test
