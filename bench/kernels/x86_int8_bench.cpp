// Our x86 int8 depthwise / GEMV kernels against oneDNN's int8 and fp32 primitives on MobileNet v2 shapes.
// Each round times every implementation once (a batch of calls), implementations interleaved round by round
// so that clock or neighbour noise hits all of them alike; reports medians and ratios against fp32.
// Build and run: bench/kernels/run.sh (threads: OMP_NUM_THREADS, default 2).
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dnnl.hpp>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernels/x86/depthwise_conv_u8s8.h"
#include "kernels/x86/gemv_u8s8.h"

namespace {

using namespace octet::x86;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

template <typename T>
std::vector<T> random_values(size_t n, int lo, int hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(d(rng));
  return v;
}

struct Impl {
  std::string name;
  std::function<void()> run;
  std::vector<double> times;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Wall-clock seconds, or with BENCH_CPU_TIME=1 the process's CPU seconds: on a machine shared with other
// jobs, CPU time of a one-thread run leaves out the time the scheduler gave to someone else.
double now() {
  static const bool cpu_time = std::getenv("BENCH_CPU_TIME") != nullptr;
  if (!cpu_time)
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Times the implementations interleaved; returns the medians in microseconds per call.
std::vector<double> time_interleaved(std::vector<Impl>& impls, int rounds) {
  for (Impl& impl : impls) impl.run();  // warm-up (first touch, primitive caches)
  // Calls per timed batch: about 2 ms of the first implementation.
  double start = now();
  impls[0].run();
  const double once = now() - start;
  const int calls = std::max(1, static_cast<int>(2e-3 / std::max(once, 1e-7)));
  for (int r = 0; r < rounds; ++r) {
    for (Impl& impl : impls) {
      start = now();
      for (int i = 0; i < calls; ++i) impl.run();
      impl.times.push_back((now() - start) * 1e6 / calls);
    }
  }
  std::vector<double> medians;
  for (Impl& impl : impls) medians.push_back(median(impl.times));
  return medians;
}

struct DwLayer {
  int64_t c, h, w, k, stride;
};

void bench_depthwise(const dnnl::engine& engine, dnnl::stream& stream, const DwLayer& l, int rounds) {
  const int64_t pad = l.k / 2;
  DepthwiseConvShape s;
  s.channels = l.c;
  s.in_h = l.h;
  s.in_w = l.w;
  s.kernel_h = s.kernel_w = l.k;
  s.stride_h = s.stride_w = l.stride;
  s.pad_top = s.pad_left = s.pad_bottom = s.pad_right = pad;
  const int64_t oh = s.out_h(), ow = s.out_w();
  const auto x = random_values<uint8_t>(static_cast<size_t>(l.c * l.h * l.w), 0, 255, 1);
  const auto w = random_values<int8_t>(static_cast<size_t>(l.c * l.k * l.k), -128, 127, 2);
  const auto bias = random_values<int32_t>(static_cast<size_t>(l.c), -1000, 1000, 3);
  std::vector<float> scales(static_cast<size_t>(l.c), 0.001f);
  const DepthwiseConvU8S8 ours(s, w, bias, 128, {OutputKind::kU8, scales, 128}, default_isa());
  std::vector<uint8_t> y(static_cast<size_t>(l.c * oh * ow));

  // oneDNN, int8 (u8 nhwc in and out, per-channel output scales) and fp32 (layouts of its choice).
  const dnnl::memory::dims src_dims = {1, l.c, l.h, l.w}, dst_dims = {1, l.c, oh, ow},
                           w_dims = {l.c, 1, 1, l.k, l.k}, strides = {l.stride, l.stride}, pads = {pad, pad};
  auto make_conv = [&](dt src_t, dt w_t, dt b_t, dt dst_t, tag src_tag, bool int8) {
    dnnl::primitive_attr attr;
    if (int8) attr.set_output_scales(1 << 1, scales);
    const dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, {src_dims, src_t, src_tag},
        {w_dims, w_t, tag::any}, {{l.c}, b_t, tag::a}, {dst_dims, dst_t, src_tag}, strides, pads, pads);
    return dnnl::convolution_forward::primitive_desc(desc, attr, engine);
  };
  const auto pd_i8 = make_conv(dt::u8, dt::s8, dt::s32, dt::u8, tag::nhwc, true);
  const auto pd_f32 = make_conv(dt::f32, dt::f32, dt::f32, dt::f32, tag::any, false);
  auto args_for = [&](const dnnl::convolution_forward::primitive_desc& pd) {
    return std::unordered_map<int, dnnl::memory>{{DNNL_ARG_SRC, dnnl::memory(pd.src_desc(), engine)},
                                                 {DNNL_ARG_WEIGHTS, dnnl::memory(pd.weights_desc(), engine)},
                                                 {DNNL_ARG_BIAS, dnnl::memory(pd.bias_desc(), engine)},
                                                 {DNNL_ARG_DST, dnnl::memory(pd.dst_desc(), engine)}};
  };
  auto args_i8 = args_for(pd_i8), args_f32 = args_for(pd_f32);
  std::memcpy(args_i8[DNNL_ARG_SRC].get_data_handle(), x.data(), x.size());
  std::fill_n(static_cast<float*>(args_f32[DNNL_ARG_SRC].get_data_handle()), pd_f32.src_desc().get_size() / 4,
              0.5f);
  std::fill_n(static_cast<float*>(args_f32[DNNL_ARG_WEIGHTS].get_data_handle()),
              pd_f32.weights_desc().get_size() / 4, 0.1f);
  const dnnl::convolution_forward conv_i8(pd_i8), conv_f32(pd_f32);
  std::vector<Impl> impls = {
      {"ours", [&] { ours.run(x.data(), y.data()); }, {}},
      {"onednn_i8",
       [&] {
         conv_i8.execute(stream, args_i8);
         stream.wait();
       },
       {}},
      {"onednn_f32",
       [&] {
         conv_f32.execute(stream, args_f32);
         stream.wait();
       },
       {}},
  };
  const std::vector<double> t = time_interleaved(impls, rounds);
  std::printf(
      "dw %4ldx%-4ld C=%-4ld k%ld s%ld | ours(%s) %8.1f us | onednn i8 (%s) %8.1f us | onednn f32 (%s) %8.1f "
      "us "
      "| f32/ours %.2fx  f32/onednn_i8 %.2fx\n",
      l.h, l.w, l.c, l.k, l.stride, isa_name(ours.isa()), t[0], pd_i8.impl_info_str(), t[1],
      pd_f32.impl_info_str(), t[2], t[2] / t[0], t[2] / t[1]);
}

void bench_gemv(const dnnl::engine& engine, dnnl::stream& stream, int64_t k, int64_t n, int rounds) {
  const auto a = random_values<uint8_t>(static_cast<size_t>(k), 0, 255, 4);
  const auto b = random_values<int8_t>(static_cast<size_t>(k * n), -128, 127, 5);
  const auto bias = random_values<int32_t>(static_cast<size_t>(n), -1000, 1000, 6);
  std::vector<float> scales(static_cast<size_t>(n), 0.001f);
  const GemvU8S8 ours(k, n, b, true, bias, 128, {OutputKind::kU8, scales, 128}, default_isa());
  std::vector<uint8_t> scratch(ours.scratch_bytes()), y(static_cast<size_t>(n));

  auto make_ip = [&](dt src_t, dt w_t, dt b_t, dt dst_t, bool int8) {
    dnnl::primitive_attr attr;
    if (int8) attr.set_output_scales(1 << 1, scales);
    const dnnl::inner_product_forward::desc desc(dnnl::prop_kind::forward_inference, {{1, k}, src_t, tag::ab},
                                                 {{n, k}, w_t, tag::any}, {{n}, b_t, tag::a},
                                                 {{1, n}, dst_t, tag::ab});
    return dnnl::inner_product_forward::primitive_desc(desc, attr, engine);
  };
  const auto pd_i8 = make_ip(dt::u8, dt::s8, dt::s32, dt::u8, true);
  const auto pd_f32 = make_ip(dt::f32, dt::f32, dt::f32, dt::f32, false);
  auto args_for = [&](const dnnl::inner_product_forward::primitive_desc& pd) {
    return std::unordered_map<int, dnnl::memory>{{DNNL_ARG_SRC, dnnl::memory(pd.src_desc(), engine)},
                                                 {DNNL_ARG_WEIGHTS, dnnl::memory(pd.weights_desc(), engine)},
                                                 {DNNL_ARG_BIAS, dnnl::memory(pd.bias_desc(), engine)},
                                                 {DNNL_ARG_DST, dnnl::memory(pd.dst_desc(), engine)}};
  };
  auto args_i8 = args_for(pd_i8), args_f32 = args_for(pd_f32);
  std::fill_n(static_cast<float*>(args_f32[DNNL_ARG_WEIGHTS].get_data_handle()),
              pd_f32.weights_desc().get_size() / 4, 0.1f);
  const dnnl::inner_product_forward ip_i8(pd_i8), ip_f32(pd_f32);
  std::vector<Impl> impls = {
      {"ours", [&] { ours.run(a.data(), y.data(), scratch.data()); }, {}},
      {"onednn_i8",
       [&] {
         ip_i8.execute(stream, args_i8);
         stream.wait();
       },
       {}},
      {"onednn_f32",
       [&] {
         ip_f32.execute(stream, args_f32);
         stream.wait();
       },
       {}},
  };
  const std::vector<double> t = time_interleaved(impls, rounds);
  std::printf(
      "gemv K=%-5ld N=%-5ld | ours(%s) %8.1f us | onednn i8 (%s) %8.1f us | onednn f32 (%s) %8.1f us "
      "| f32/ours %.2fx  f32/onednn_i8 %.2fx\n",
      k, n, isa_name(ours.isa()), t[0], pd_i8.impl_info_str(), t[1], pd_f32.impl_info_str(), t[2],
      t[2] / t[0], t[2] / t[1]);
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
  std::printf("threads %d, rounds %d, medians per call\n", omp_get_max_threads(), rounds);
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  // MobileNet v2 (224x224) depthwise layers, 3x3 pad 1; and a 5x5 one (MobileNet v3 / EfficientNet style).
  for (const DwLayer& l : std::vector<DwLayer>{{32, 112, 112, 3, 1},
                                               {96, 112, 112, 3, 2},
                                               {144, 56, 56, 3, 1},
                                               {144, 56, 56, 3, 2},
                                               {192, 28, 28, 3, 1},
                                               {192, 28, 28, 3, 2},
                                               {384, 14, 14, 3, 1},
                                               {576, 14, 14, 3, 1},
                                               {576, 14, 14, 3, 2},
                                               {960, 7, 7, 3, 1},
                                               {240, 28, 28, 5, 1}})
    bench_depthwise(engine, stream, l, rounds);
  // Classifier heads: MobileNet v2 (1280), v1 (1024), VGG-like (4096).
  for (const auto& [k, n] :
       std::vector<std::pair<int64_t, int64_t>>{{1280, 1000}, {1024, 1000}, {4096, 1000}})
    bench_gemv(engine, stream, k, n, rounds);
  return 0;
}
