#include "kernels/x86/gemv_u8s8.h"

#include <cstdlib>
#include <limits>
#include <utility>

#include "octet/error.h"

namespace octet::x86 {
namespace {

using GroupKernel = void (*)(const GemvArgs&, int64_t, int64_t);

GroupKernel group_kernel(Isa isa) {
  switch (isa) {
    case Isa::kAvx2:
      return gemv_u8s8_groups_avx2;
    case Isa::kAvx512Bw:
      return gemv_u8s8_groups_avx512bw;
    case Isa::kAvx512Vnni:
      return gemv_u8s8_groups_avx512vnni;
    case Isa::kReference:
      break;
  }
  return nullptr;
}

}  // namespace

GemvU8S8::GemvU8S8(int64_t k, int64_t n, std::span<const int8_t> b, bool b_transposed,
                   std::span<const int32_t> bias, int32_t a_zero, OutputQuantization output, Isa isa)
    : k_(k),
      n_(n),
      isa_(isa),
      a_zero_(a_zero),
      output_(std::move(output)),
      stage_(make_output_stage(output_)) {
  OCTET_CHECK(k > 0 && n > 0, ErrorCode::kInvalidArgument, "gemv: invalid size K=", k, " N=", n);
  OCTET_CHECK(static_cast<int64_t>(b.size()) == k * n, ErrorCode::kInvalidArgument, "gemv: ", b.size(),
              " weights, expected ", k * n);
  OCTET_CHECK(bias.empty() || static_cast<int64_t>(bias.size()) == n, ErrorCode::kInvalidArgument,
              "gemv: ", bias.size(), " bias values, expected ", n);
  OCTET_CHECK(a_zero >= 0 && a_zero <= 255, ErrorCode::kInvalidArgument, "gemv: a zero point ", a_zero,
              " is not a u8 value");
  check_output_quantization(output_, n, "gemv");
  OCTET_CHECK(isa == Isa::kReference || cpu_supports(isa), ErrorCode::kInvalidArgument,
              "gemv: this CPU cannot run the ", isa_name(isa), " path");
  const int64_t max_sum = 255 * 128 * k;
  OCTET_CHECK(max_sum <= std::numeric_limits<int32_t>::max() / 4, ErrorCode::kUnsupported, "gemv: K=", k,
              " is too long for an int32 accumulator");
  for (int32_t v : bias)
    OCTET_CHECK(std::abs(int64_t{v}) + 2 * max_sum <= std::numeric_limits<int32_t>::max(),
                ErrorCode::kUnsupported, "gemv: bias ", v, " could overflow the int32 accumulator");

  b_.resize(static_cast<size_t>(k * n));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      b_[static_cast<size_t>(r * n + c)] = b[static_cast<size_t>(b_transposed ? c * k + r : r * n + c)];
  bias_.assign(bias.begin(), bias.end());
  if (isa == Isa::kReference) return;

  group_cols_ = kGemvBlocksPerGroup * (isa == Isa::kAvx2 ? 8 : 16);
  groups_ = (n + group_cols_ - 1) / group_cols_;
  const int64_t k_pairs = (k + 1) / 2, padded_n = groups_ * group_cols_;
  const auto weight = [&](int64_t r, int64_t c) -> int8_t {
    return r < k && c < n ? b_[static_cast<size_t>(r * n + c)] : int8_t{0};
  };
  // Group g, pair p: for each column of the group, (b[2p][col], b[2p + 1][col]).
  packed_b_.resize(static_cast<size_t>(groups_ * k_pairs * group_cols_ * 2));
  int8_t* dst = packed_b_.data();
  for (int64_t g = 0; g < groups_; ++g)
    for (int64_t p = 0; p < k_pairs; ++p)
      for (int64_t c = g * group_cols_; c < (g + 1) * group_cols_; ++c) {
        *dst++ = weight(2 * p, c);
        *dst++ = weight(2 * p + 1, c);
      }
  // a - a_zero = a + (-a_zero): the a_zero part is a constant per column, taken off the bias once.
  packed_bias_.assign(static_cast<size_t>(padded_n), 0);
  packed_scales_.assign(static_cast<size_t>(padded_n), 0.0f);
  for (int64_t c = 0; c < n; ++c) {
    int64_t column_sum = 0;
    for (int64_t r = 0; r < k; ++r) column_sum += weight(r, c);
    packed_bias_[static_cast<size_t>(c)] = static_cast<int32_t>(
        (bias_.empty() ? 0 : bias_[static_cast<size_t>(c)]) - int64_t{a_zero} * column_sum);
    packed_scales_[static_cast<size_t>(c)] = output_.scale(c);
  }
}

size_t GemvU8S8::scratch_bytes() const {
  return isa_ == Isa::kReference ? 0 : static_cast<size_t>((k_ + 1) / 2) * sizeof(int32_t);
}

void GemvU8S8::run(const uint8_t* a, void* y, void* scratch) const {
  if (isa_ == Isa::kReference) {
    run_reference(a, y);
    return;
  }
  const int64_t k_pairs = (k_ + 1) / 2;
  int32_t* pairs = static_cast<int32_t*>(scratch);
  for (int64_t p = 0; p < k_pairs; ++p) {
    const int32_t second = 2 * p + 1 < k_ ? a[2 * p + 1] : 0;
    pairs[p] = int32_t{a[2 * p]} | (second << 16);
  }
  GemvArgs args;
  args.a_pairs = pairs;
  args.b = packed_b_.data();
  args.bias = packed_bias_.data();
  args.scales = packed_scales_.data();
  args.y = y;
  args.k_pairs = k_pairs;
  args.n = n_;
  args.out = stage_;
  const GroupKernel kernel = group_kernel(isa_);
  const int64_t groups = groups_;
#pragma omp parallel for schedule(static)
  for (int64_t g = 0; g < groups; ++g) kernel(args, g, g + 1);
}

void GemvU8S8::run_reference(const uint8_t* a, void* y) const {
  for (int64_t c = 0; c < n_; ++c) {
    int64_t acc = bias_.empty() ? 0 : bias_[static_cast<size_t>(c)];
    for (int64_t r = 0; r < k_; ++r) acc += (int32_t{a[r]} - a_zero_) * b_[static_cast<size_t>(r * n_ + c)];
    store_output(stage_, output_.scale(c), acc, y, c);
  }
}

}  // namespace octet::x86
