// Shared by the x86 int8 kernel tests: seeded random data, NCHW <-> NHWC, running one of our factories on a
// one-node graph (bind + execute outside the plugin), and forcing an ISA through OCTET_X86_ISA.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cpu/kernel_factory.h"
#include "kernels/x86/x86_isa.h"
#include "octet/error.h"

namespace octet::test {

template <typename T>
std::vector<T> random_ints(size_t count, int low, int high, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(low, high);
  std::vector<T> v(count);
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

// Every vector path this CPU runs (the reference is the oracle they are compared with).
inline std::vector<x86::Isa> vector_isas() {
  std::vector<x86::Isa> isas;
  for (x86::Isa isa : x86::available_isas())
    if (isa != x86::Isa::kReference) isas.push_back(isa);
  return isas;
}

// [N, C, H, W] <-> [N, H, W, C] for 8-bit data.
template <typename T>
std::vector<T> nchw_to_nhwc(const T* x, int64_t n, int64_t c, int64_t h, int64_t w) {
  std::vector<T> out(static_cast<size_t>(n * c * h * w));
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t ih = 0; ih < h; ++ih)
        for (int64_t iw = 0; iw < w; ++iw)
          out[static_cast<size_t>(((in * h + ih) * w + iw) * c + ic)] = x[((in * c + ic) * h + ih) * w + iw];
  return out;
}

// Expects f() to throw octet::Error with `code` and a message containing `fragment` (the kernels' own
// messages name no graph node, unlike op_test_harness's expect_error).
template <typename F>
void expect_kernel_error(F&& f, ErrorCode code, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no error thrown, expected one containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// Sets OCTET_X86_ISA for the life of the object (restores "unset" after).
class ForcedIsa {
 public:
  explicit ForcedIsa(x86::Isa isa) { setenv("OCTET_X86_ISA", x86::isa_name(isa), 1); }
  ~ForcedIsa() { unsetenv("OCTET_X86_ISA"); }
  ForcedIsa(const ForcedIsa&) = delete;
  ForcedIsa& operator=(const ForcedIsa&) = delete;
};

// Runs `factory` for `node` (its input 0 the only runtime input, of `x_type` and dims `x_dims`), binds the
// kernel to `x` / `y` and executes it once. Returns the exec type, or nullopt (with why_not) if it declined.
inline std::optional<std::string> run_factory(cpu::KernelFactory factory, const Node& node,
                                              ElementType x_type, const Dims& x_dims, const void* x, void* y,
                                              std::string& why_not,
                                              std::vector<cpu::BufferDesc>* chosen_inputs = nullptr) {
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const cpu::PostOps post_ops;
  const Value* out = node.output(0);
  cpu::KernelRequest request{node,
                             post_ops,
                             {cpu::BufferDesc::plain(x_type, x_dims)},
                             {0},
                             {cpu::BufferDesc::plain(out->type(), out->shape().dims())},
                             engine};
  std::optional<cpu::KernelChoice> choice = factory(request, why_not);
  if (!choice) return std::nullopt;
  if (chosen_inputs) *chosen_inputs = choice->inputs;
  dnnl::stream stream(engine);
  std::vector<uint8_t> scratchpad(choice->kernel->scratchpad_bytes());
  cpu::BindContext context{engine, stream, scratchpad.data()};
  void* inputs[] = {const_cast<void*>(x)};
  void* outputs[] = {y};
  choice->kernel->bind(inputs, outputs, context)->execute();
  return choice->kernel->exec_type();
}

}  // namespace octet::test
