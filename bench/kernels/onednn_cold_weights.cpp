// How much of ResNet-50's int8 time is waiting for weights: oneDNN's int8 1x1 convolutions on the shapes of
// ResNet-50's bottleneck blocks (u8 in and out, per-channel scales, dst zero point; the block-closing ones
// with the residual sum post-op chain Octet uses), timed with warm caches and after reading 64 MB of other
// data (cold: every operand comes from memory, as the weights of the later stages do in a whole-network run,
// where about 25 MB of int8 weights pass through the caches per inference). Also a plain read of 1 MB of cold
// memory split over the threads, the bandwidth a perfectly overlapped weight stream would need. Build and
// run: bench/kernels/run_cold_weights.sh (threads: OMP_NUM_THREADS, default 2).
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dnnl.hpp>
#include <functional>
#include <unordered_map>
#include <vector>

namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

std::vector<char> other_data(64 << 20, 1);

// Evicts every cache level (64 MB is more than this machine's L2 and L3 slice hold).
void touch_other_data() {
  for (size_t i = 0; i < other_data.size(); i += 64) other_data[i] = static_cast<char>(other_data[i] + 1);
}

// Median of `calls` timed calls, each after `prepare`.
double median_us(int calls, const std::function<void()>& prepare, const std::function<void()>& call) {
  std::vector<double> times;
  for (int i = 0; i < calls; ++i) {
    prepare();
    const auto start = std::chrono::steady_clock::now();
    call();
    times.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

dnnl::memory filled(const dnnl::memory::desc& md, const dnnl::engine& engine, int byte) {
  dnnl::memory m(md, engine);
  std::memset(m.get_data_handle(), byte, md.get_size());
  return m;
}

struct Shape {
  const char* layer;
  long side, in_channels, out_channels;
  bool residual_sum;
};

void time_convolution(const Shape& s, const dnnl::engine& engine, dnnl::stream& stream) {
  dnnl::primitive_attr attr;
  attr.set_output_scales(1 << 1, std::vector<float>(static_cast<size_t>(s.out_channels), 0.01f));
  attr.set_zero_points(DNNL_ARG_DST, 0, {DNNL_RUNTIME_S32_VAL});
  if (s.residual_sum) {  // the chain of kernels/onednn/onednn_qlinear_sum_post_op.cpp (c zero point even)
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_round, 0.0f, 0.0f);
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, -3.0f, 252.0f);
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, 0.7f, 0.0f);
    ops.append_sum(0.5f, 7, dt::u8);
    attr.set_post_ops(ops);
  }
  const dnnl::convolution_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
      dnnl::memory::desc({1, s.in_channels, s.side, s.side}, dt::u8, tag::nhwc),
      dnnl::memory::desc({s.out_channels, s.in_channels, 1, 1}, dt::s8, tag::any),
      dnnl::memory::desc({s.out_channels}, dt::s32, tag::a),
      dnnl::memory::desc({1, s.out_channels, s.side, s.side}, dt::u8, tag::nhwc), {1, 1}, {0, 0}, {0, 0},
      {0, 0});
  const dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
  dnnl::memory zero = filled({{1}, dt::s32, tag::x}, engine, 0);
  std::unordered_map<int, dnnl::memory> args = {{DNNL_ARG_SRC, filled(pd.src_desc(), engine, 100)},
                                                {DNNL_ARG_WEIGHTS, filled(pd.weights_desc(), engine, 1)},
                                                {DNNL_ARG_BIAS, filled(pd.bias_desc(), engine, 0)},
                                                {DNNL_ARG_DST, filled(pd.dst_desc(), engine, 3)},
                                                {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST, zero}};
  const dnnl::convolution_forward conv(pd);
  const auto run = [&] { conv.execute(stream, args); };
  double warm = 1e30, cold = 1e30;
  for (int round = 0; round < 3; ++round) {  // interleaved, the best round's median of each
    warm = std::min(warm, median_us(
                              200, [] {}, run));
    cold = std::min(cold, median_us(40, touch_other_data, run));
  }
  std::printf(
      "%-22s %4ld px  K %4ld  N %4ld  weights %5.0f KB  %-28s warm %6.1f us  cold %6.1f us  (+%.1f)\n",
      s.layer, s.side * s.side, s.in_channels, s.out_channels, pd.weights_desc().get_size() / 1024.0,
      pd.impl_info_str(), warm, cold, cold - warm);
}

void time_cold_read(int threads) {
  const size_t bytes = 1 << 20;
  std::vector<char> block(bytes * 16, 1);
  int round = 0;
  const double us = median_us(40, touch_other_data, [&] {
    const char* p = block.data() + (round++ % 16) * bytes;
    int sink = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    {
      const size_t share = bytes / static_cast<size_t>(omp_get_num_threads());
      const size_t begin = share * static_cast<size_t>(omp_get_thread_num());
      int sum = 0;
      for (size_t i = begin; i < begin + share; i += 64) sum += p[i];
      sink += sum;
    }
    if (sink == 42) std::puts("");
  });
  std::printf("cold read of 1 MB, %d thread(s): %.1f us (%.1f GB/s)\n", threads, us, bytes / us / 1e3);
}

}  // namespace

int main() {
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const Shape shapes[] = {
      {"layer1 block-opening", 56, 256, 64, false},   {"layer1 block-closing", 56, 64, 256, true},
      {"layer2 block-opening", 28, 512, 128, false},  {"layer2 block-closing", 28, 128, 512, true},
      {"layer3 block-opening", 14, 1024, 256, false}, {"layer3 block-closing", 14, 256, 1024, true},
      {"layer4 block-opening", 7, 2048, 512, false},  {"layer4 block-closing", 7, 512, 2048, true}};
  std::printf("oneDNN %d.%d, %d thread(s)\n", dnnl_version()->major, dnnl_version()->minor,
              omp_get_max_threads());
  for (const Shape& shape : shapes) time_convolution(shape, engine, stream);
  for (const int threads : {1, omp_get_max_threads()}) time_cold_read(threads);
}
