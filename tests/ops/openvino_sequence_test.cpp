// CTCGreedyDecoder against hand-computed decodings: each time step's scores are one-hot-like so that the arg
// max path is written in the comments, and the decoding of that path is done by hand (the same cases through
// the numpy re-implementation `ctc` of tests/ops/openvino_ops_oracle.py give the same rows).
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

constexpr int64_t kSteps = 6, kBatch = 2, kClasses = 4;  // class 3 is the blank

// data [T, N, C] whose arg max at (t, n) is path[n][t]: 0.9 there, 0.1 elsewhere ... except where `tie` asks
// for a 0.5 / 0.5 tie between class 0 and 1 at (0, 1) (the first wins).
Tensor scores(const std::vector<std::vector<int64_t>>& path, bool tie) {
  std::vector<float> v(static_cast<size_t>(kSteps * kBatch * kClasses), 0.1f);
  for (int64_t t = 0; t < kSteps; ++t)
    for (int64_t n = 0; n < kBatch; ++n)
      v[static_cast<size_t>((t * kBatch + n) * kClasses +
                            path[static_cast<size_t>(n)][static_cast<size_t>(t)])] = 0.9f;
  if (tie)
    v[static_cast<size_t>((0 * kBatch + 1) * kClasses + 0)] =
        v[static_cast<size_t>((0 * kBatch + 1) * kClasses + 1)] = 0.5f;
  return f32({kSteps, kBatch, kClasses}, v);
}

// mask [T, N] from the two sequences' columns.
Tensor mask(const std::vector<float>& first, const std::vector<float>& second) {
  std::vector<float> v;
  for (int64_t t = 0; t < kSteps; ++t) {
    v.push_back(first[static_cast<size_t>(t)]);
    v.push_back(second[static_cast<size_t>(t)]);
  }
  return f32({kSteps, kBatch}, v);
}

// Sequence 0: path 1 1 3 1 2 2, full length. Sequence 1: path 0 0 2 3 3 1 (step 0 is a 0/1 tie -> 0),
// length 3.
const std::vector<std::vector<int64_t>> kPath{{1, 1, 3, 1, 2, 2}, {1, 0, 2, 3, 3, 1}};

Tensor decode(const Tensor& m, bool merge) {
  return run_single("CTCGreedyDecoder", all_fed({scores(kPath, true), m}),
                    {{"ctc_merge_repeated", int64_t{merge}}});
}

TEST(OpenVinoCtcGreedyDecoderTest, MergeRepeatedAndSequenceEnd) {
  // Merged: 1 (1 repeated) blank 1 2 (2 repeated) -> 1 1 2; sequence 1 stops after step 2: 0 (0) 2 -> 0 2.
  expect_f32(decode(mask({1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}), true), {kBatch, kSteps, 1, 1},
             {1, 1, 2, -1, -1, -1, 0, 2, -1, -1, -1, -1});
  // Not merged: 1 1 blank 1 2 2 -> 1 1 1 2 2; 0 0 2.
  expect_f32(decode(mask({1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}), false), {kBatch, kSteps, 1, 1},
             {1, 1, 1, 2, 2, -1, 0, 0, 2, -1, -1, -1});
}

TEST(OpenVinoCtcGreedyDecoderTest, LeadingZeroIndicatorIsNotAnEnd) {
  // license-plate-recognition-barrier-0001 is fed Caffe sequence indicators: 0 at t = 0, then ones. The mask
  // at t = 0 is not read, so this decodes like an all-ones mask; a 0 at t = 1 ends the sequence after one
  // step.
  expect_f32(decode(mask({0, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1}), true), {kBatch, kSteps, 1, 1},
             {1, 1, 2, -1, -1, -1, 0, -1, -1, -1, -1, -1});
}

TEST(OpenVinoCtcGreedyDecoderTest, ShapeAndErrors) {
  EXPECT_EQ(infer_output_shape("CTCGreedyDecoder", {declared(ElementType::kF32, Shape({88, 1, 71})),
                                                    declared(ElementType::kF32, Shape({88, 1}))}),
            Shape({1, 88, 1, 1}));
  EXPECT_EQ(infer_output_shape("CTCGreedyDecoder", {declared(ElementType::kF32, Shape({kDynamicDim, 3, 5})),
                                                    declared(ElementType::kF32, Shape({7, kDynamicDim}))}),
            Shape({3, 7, 1, 1}));
  expect_error(
      [] {
        build_op("CTCGreedyDecoder",
                 {declared(ElementType::kF32, Shape({5, 2, 4})), declared(ElementType::kF32, Shape({5, 3}))});
      },
      ErrorCode::kInvalidModel, "disagree on [T, N]");
  expect_error(
      [] {
        build_op("CTCGreedyDecoder",
                 {declared(ElementType::kF32, Shape({5, 4})), declared(ElementType::kF32, Shape({5, 1}))});
      },
      ErrorCode::kInvalidModel, "data must be 3-d");
  expect_error(
      [] {
        build_op("CTCGreedyDecoder",
                 {declared(ElementType::kI32, Shape({5, 1, 4})), declared(ElementType::kF32, Shape({5, 1}))});
      },
      ErrorCode::kInvalidModel, "only f32");
}

}  // namespace
}  // namespace octet
