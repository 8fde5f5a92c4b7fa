// Shared by the exact fp32 fallback tests (q8exact_*_test.cpp): runs one kernel factory on node "node" of a
// one-node graph outside the plugin (the plain input is reordered into the layout the kernel asks for, and
// its output back to plain), and compares the result with the ReferenceExecutor on the same graph.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cpu/kernel_factory.h"
#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {

struct FactoryRun {
  std::optional<Tensor> y;  // nullopt when the factory declined
  std::string exec_type;
  std::string why_not;
};

// The request the plugin would make for node "node" of the inferred graph `g`: its runtime inputs in plain
// layout (or the first one in `input_tag`, as if its producer wrote that), its output plain, no post-ops.
inline std::optional<cpu::KernelChoice> choose(
    cpu::KernelFactory factory, const Graph& g, const dnnl::engine& engine, std::string& why_not,
    dnnl::memory::format_tag input_tag = dnnl::memory::format_tag::undef) {
  const Node* node = g.find_node("node");
  const cpu::PostOps no_post_ops;
  cpu::KernelRequest request{*node, no_post_ops, {}, {}, {}, engine};
  for (size_t i = 0; i < node->input_count(); ++i) {
    const Value* value = node->input(i);
    if (!value || value->is_constant()) continue;
    const Dims dims = value->shape().static_dims();
    request.inputs.push_back(
        input_tag == dnnl::memory::format_tag::undef || !request.inputs.empty()
            ? cpu::BufferDesc::plain(value->type(), dims)
            : cpu::BufferDesc::from_dnnl(
                  value->type(),
                  dnnl::memory::desc(cpu::to_dnnl_dims(dims), cpu::to_dnnl(value->type()), input_tag)));
    request.input_indices.push_back(i);
  }
  const Value* out = node->output(0);
  request.outputs.push_back(cpu::BufferDesc::plain(out->type(), out->shape().static_dims()));
  return factory(request, why_not);
}

// Copies between a plain buffer and one in layout `to` (oneDNN reorder, no scaling).
inline void reorder_plain(const dnnl::memory::desc& from, const void* source, const dnnl::memory::desc& to,
                          void* target, const dnnl::engine& engine) {
  dnnl::memory a(from, engine, const_cast<void*>(source)), b(to, engine, target);
  dnnl::stream stream(engine);
  dnnl::reorder(a, b).execute(stream, a, b);
  stream.wait();
}

// Runs `factory` for node "node" of the inferred graph `g` on its single runtime input `x`.
inline FactoryRun run_factory_on(cpu::KernelFactory factory, const Graph& g, const Tensor& x,
                                 dnnl::memory::format_tag input_tag = dnnl::memory::format_tag::undef) {
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  FactoryRun run;
  std::optional<cpu::KernelChoice> choice = choose(factory, g, engine, run.why_not, input_tag);
  if (!choice) return run;
  const Value* out = g.find_node("node")->output(0);
  const cpu::BufferDesc x_plain = cpu::BufferDesc::plain(x.type(), x.dims());
  const cpu::BufferDesc y_plain = cpu::BufferDesc::plain(out->type(), out->shape().static_dims());
  std::vector<uint8_t> x_buffer(choice->inputs[0].md.get_size());
  std::vector<uint8_t> y_buffer(choice->outputs[0].md.get_size());
  reorder_plain(x_plain.md, x.raw_data(), choice->inputs[0].md, x_buffer.data(), engine);
  dnnl::stream stream(engine);
  std::vector<uint8_t> scratchpad(choice->kernel->scratchpad_bytes());
  cpu::BindContext context{engine, stream, scratchpad.data()};
  void* inputs[] = {x_buffer.data()};
  void* outputs[] = {y_buffer.data()};
  choice->kernel->bind(inputs, outputs, context)->execute();
  stream.wait();
  Tensor y(out->type(), y_plain.dims);
  reorder_plain(choice->outputs[0].md, y_buffer.data(), y_plain.md, y.raw_data(), engine);
  run.y = std::move(y);
  run.exec_type = choice->kernel->exec_type();
  return run;
}

struct ExactCheck {
  std::string exec_type;
  int64_t max_diff = 0;
  int64_t differing = 0;
  int64_t saturated = 0;  // reference outputs at the type's bounds
  int64_t count = 0;      // integer outputs compared
};

// Runs `factory` on `g` (inferred here), its x given in `input_tag` (plain if undef), and compares with the
// reference: integer outputs element by element, f32 outputs within 1e-5 + 1e-4 * |expected|. Fails the test
// if the factory declines.
inline ExactCheck expect_factory_matches_reference(
    cpu::KernelFactory factory, Graph& g, const TensorMap& feeds,
    dnnl::memory::format_tag input_tag = dnnl::memory::format_tag::undef) {
  infer_shapes(g);
  const Tensor expected = ReferenceExecutor(g).run(feeds).at("y");
  const FactoryRun run = run_factory_on(factory, g, feeds.at("x"), input_tag);
  ExactCheck check;
  EXPECT_TRUE(run.y.has_value()) << "declined: " << run.why_not;
  if (!run.y) return check;
  check.exec_type = run.exec_type;
  EXPECT_EQ(run.y->type(), expected.type());
  EXPECT_EQ(run.y->dims(), expected.dims());
  if (expected.type() == ElementType::kF32) {
    const testing::Comparison c = testing::compare_tensors(*run.y, expected, {1e-5, 1e-4});
    EXPECT_TRUE(c.match) << c.reason;
    return check;
  }
  for (int64_t i = 0; i < expected.element_count(); ++i) {
    const int64_t d = std::abs(run.y->value_as_int64(i) - expected.value_as_int64(i));
    check.max_diff = std::max(check.max_diff, d);
    check.differing += d != 0;
    const int64_t v = expected.value_as_int64(i);
    check.saturated += v == 0 || v == 255 || v == -128 || v == 127;
  }
  check.count = expected.element_count();
  return check;
}

}  // namespace octet::test
