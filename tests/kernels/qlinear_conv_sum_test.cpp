// The residual QLinearAdd fused into the int8 convolution as post-ops (onednn_qlinear_sum_post_op.h):
// QLinearConv -> QLinearAdd(a, b) graphs compiled for the CPU against the reference executor on the same
// graph (the oracle, which runs the two nodes one after the other). Checks the numbers (u8 and s8 operands,
// sources and outputs, a on either side of the add, the operand as a graph input, as the output of another
// conv (written over in place) and still needed by a later node (copied)), that the add is OPTIMIZED_OUT into
// the conv, and that the fusion is declined where the conv's kernel takes no post-ops (depthwise, weights
// that could saturate vpmaddubsw), or when OCTET_DISABLE_INT8_SUM_FUSION is set.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "cpu/cpu_compiler.h"
#include "cpu/exec_plan.h"
#include "kernels/onednn/onednn_int8_exactness.h"
#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {
namespace {

enum class Operand {
  kGraphInput,  // b is an input of the graph: copied into dst
  kConvOutput,  // b comes from another QLinearConv and dies at the add: dst is written over it
  kShared,      // b comes from another QLinearConv and a later QLinearAdd reads it too: copied
};

struct Scales {
  float x = 0.02f, w = 0.01f, a = 0.05f, b = 0.043f, c = 0.071f;
};

struct ResidualCase {
  ElementType x_type = kU8;
  ElementType type = kU8;  // of a, b and c (QLinearAdd's operands and result share one type)
  Operand operand = Operand::kConvOutput;
  bool a_second = false;  // a is the add's second operand
  int64_t group = 1;      // 16: depthwise
  int w_limit = 60;       // |w| <= w_limit (64 keeps every pair within vpmaddubsw's i16)
  int a_zero = 0, b_zero = 0, c_zero = 0;
  Scales scales;
  int32_t bias_limit = 3000;
};

int zero_of(ElementType type, int v) {
  return type == kU8 ? v : v - 128;  // the same position in the range for both types
}

std::vector<Value*> qparams(Graph& g, const std::string& prefix, float scale, ElementType type, int zero) {
  return {g.add_constant(prefix + "_scale", scalar_f32(scale)),
          g.add_constant(prefix + "_zero", zero_point(type, zero))};
}

// QLinearConv(x) with the given output type, scale and zero point; 3x3 (pads 1) or 1x1.
Value* add_qconv(Graph& g, const std::string& name, Value* x, const ResidualCase& c, int64_t out_channels,
                 int64_t kernel, int64_t group, ElementType y_type, float y_scale, int y_zero,
                 uint32_t seed) {
  const int64_t in_channels = x->shape().static_dims()[1];
  const Dims w_dims{out_channels, in_channels / group, kernel, kernel};
  std::vector<Value*> inputs = {x};
  const std::vector<Value*> xq = qparams(g, name + "_x", c.scales.x, c.x_type, zero_of(c.x_type, 3));
  inputs.insert(inputs.end(), xq.begin(), xq.end());
  inputs.push_back(g.add_constant(name + "_w", random_int8(kI8, w_dims, seed, -c.w_limit, c.w_limit)));
  inputs.push_back(g.add_constant(name + "_w_scale", scalar_f32(c.scales.w)));
  inputs.push_back(g.add_constant(name + "_w_zero", zero_point(kI8, 0)));
  const std::vector<Value*> yq = qparams(g, name + "_y", y_scale, y_type, y_zero);
  inputs.insert(inputs.end(), yq.begin(), yq.end());
  std::vector<int32_t> bias;
  std::mt19937 rng(seed + 1);
  std::uniform_int_distribution<int32_t> b(-c.bias_limit, c.bias_limit);
  for (int64_t i = 0; i < out_channels; ++i) bias.push_back(b(rng));
  inputs.push_back(g.add_constant(name + "_bias", Tensor::from_vector<int32_t>({out_channels}, bias)));
  const int64_t pad = kernel / 2;
  Attributes attributes{{"group", group}, {"pads", std::vector<int64_t>{pad, pad, pad, pad}}};
  return g.add_node("QLinearConv", name, inputs, {name + "_out"}, std::move(attributes))->output(0);
}

// com.microsoft's QLinearAdd: A, B and C of one type.
Value* add_qadd(Graph& g, const std::string& name, Value* a, float a_scale, int a_zero, Value* b,
                float b_scale, int b_zero, float c_scale, ElementType c_type, int c_zero) {
  std::vector<Value*> inputs = {a};
  for (Value* v : qparams(g, name + "_a", a_scale, c_type, a_zero)) inputs.push_back(v);
  inputs.push_back(b);
  for (Value* v : qparams(g, name + "_b", b_scale, c_type, b_zero)) inputs.push_back(v);
  for (Value* v : qparams(g, name + "_c", c_scale, c_type, c_zero)) inputs.push_back(v);
  return g.add_node("QLinearAdd", name, inputs, {name + "_out"})->output(0);
}

// x [1, 16, 10, 10] -> "node" = QLinearConv 3x3 (32 channels; depthwise: 16) -> a; "add" = QLinearAdd(a, b).
Graph residual_graph(const ResidualCase& c, TensorMap& feeds) {
  Graph g;
  const int64_t channels = c.group == 1 ? 32 : 16;
  Value* x = g.add_input("x", c.x_type, Shape({1, 16, 10, 10}));
  feeds["x"] = random_int8(c.x_type, {1, 16, 10, 10}, 11);
  Value* b = nullptr;
  if (c.operand == Operand::kGraphInput) {
    b = g.add_input("b", c.type, Shape({1, channels, 10, 10}));
    feeds["b"] = random_int8(c.type, {1, channels, 10, 10}, 12);
  } else {
    b = add_qconv(g, "skip", x, c, channels, 1, 1, c.type, c.scales.b, c.b_zero, 21);
  }
  Value* a = add_qconv(g, "node", x, c, channels, 3, c.group, c.type, c.scales.a, c.a_zero, 31);
  Value* out = c.a_second ? add_qadd(g, "add", b, c.scales.b, c.b_zero, a, c.scales.a, c.a_zero, c.scales.c,
                                     c.type, c.c_zero)
                          : add_qadd(g, "add", a, c.scales.a, c.a_zero, b, c.scales.b, c.b_zero, c.scales.c,
                                     c.type, c.c_zero);
  if (c.operand == Operand::kShared)
    out = add_qadd(g, "later", out, c.scales.c, c.c_zero, b, c.scales.b, c.b_zero, 0.09f, c.type, c.c_zero);
  g.add_output(out);
  infer_shapes(g);
  return g;
}

struct FusedRun {
  int64_t max_diff = 0, differing = 0;
  std::string conv_exec_type;
  std::string add_fused_into;  // "" when the add ran as a step of its own
};

// Compiles and runs `graph` (optionally with the fusion switched off) and compares its integer output with
// the reference executor's.
FusedRun run_against_reference(const Graph& graph, const TensorMap& feeds, bool disable_fusion = false) {
  const TensorMap expected = ReferenceExecutor(graph).run(feeds);
  if (disable_fusion) setenv("OCTET_DISABLE_INT8_SUM_FUSION", "1", 1);
  auto model = std::make_shared<Model>(std::make_unique<Graph>(clone_graph(graph)));
  const CompiledModel compiled = Core().compile_model(model, {.num_threads = 2, .profiling = true});
  unsetenv("OCTET_DISABLE_INT8_SUM_FUSION");
  InferRequest request = compiled.create_infer_request();
  for (const PortInfo& port : compiled.inputs()) request.set_input_tensor(port.name, feeds.at(port.name));
  request.infer();
  FusedRun run;
  for (const PortInfo& port : compiled.outputs()) {
    const Tensor got = request.get_output_tensor(port.name).clone();
    const Tensor& want = expected.at(port.name);
    EXPECT_EQ(got.type(), want.type());
    EXPECT_EQ(got.dims(), want.dims());
    if (got.type() != want.type() || got.dims() != want.dims()) continue;
    for (int64_t i = 0; i < want.element_count(); ++i) {
      const int64_t d = std::abs(got.value_as_int64(i) - want.value_as_int64(i));
      run.max_diff = std::max(run.max_diff, d);
      run.differing += d != 0;
    }
  }
  for (const ProfilingInfo& row : request.get_profiling_info()) {
    if (row.node_name == "node" && row.status == ProfilingInfo::Status::kExecuted)
      run.conv_exec_type = row.exec_type;
    if (row.node_name == "add" && row.status == ProfilingInfo::Status::kOptimizedOut)
      run.add_fused_into = row.fused_into;
  }
  return run;
}

struct NamedCase {
  std::string name;
  ResidualCase c;
};

std::ostream& operator<<(std::ostream& os, const NamedCase& c) {
  return os << c.name;
}

class QLinearConvSumTest : public ::testing::TestWithParam<NamedCase> {};

// With these scales no exact sum falls within a few ulps of a rounding tie, so the fused result equals the
// reference's bit for bit (the kernel's error bound is one step, at such near-ties only).
TEST_P(QLinearConvSumTest, FusedAndEqualToReference) {
  TensorMap feeds;
  const Graph g = residual_graph(GetParam().c, feeds);
  const FusedRun run = run_against_reference(g, feeds);
  EXPECT_EQ(run.add_fused_into, "node");
  EXPECT_TRUE(is_int8_exec_type(run.conv_exec_type)) << run.conv_exec_type;
  EXPECT_EQ(run.max_diff, 0) << run.differing << " outputs differ";
}

ResidualCase with(ResidualCase c, auto&& change) {
  change(c);
  return c;
}

INSTANTIATE_TEST_SUITE_P(
    Residual, QLinearConvSumTest,
    ::testing::Values(
        NamedCase{"u8_in_place", {}},
        NamedCase{"u8_zero_points",
                  with({}, [](ResidualCase& c) { c.a_zero = 17, c.b_zero = 131, c.c_zero = 101; })},
        NamedCase{"u8_source_s8_add",
                  with({}, [](ResidualCase& c) { c.type = kI8, c.b_zero = -9, c.c_zero = 27; })},
        NamedCase{"s8_everywhere", with({},
                                        [](ResidualCase& c) {
                                          c.x_type = c.type = kI8;
                                          c.a_zero = -3, c.b_zero = 5, c.c_zero = -1;
                                        })},
        // A ReLU after the add folded into c's range: u8 with zero point 0 saturates the negative sums.
        NamedCase{"relu_folded_into_range",
                  with({}, [](ResidualCase& c) { c.a_zero = 128, c.b_zero = 128, c.c_zero = 0; })},
        NamedCase{"a_is_second_operand",
                  with({}, [](ResidualCase& c) { c.a_second = true, c.b_zero = 60, c.c_zero = 7; })},
        NamedCase{"operand_is_graph_input", with({},
                                                 [](ResidualCase& c) {
                                                   c.operand = Operand::kGraphInput, c.b_zero = 100,
                                                   c.c_zero = 20;
                                                 })},
        NamedCase{"operand_read_later", with({}, [](ResidualCase& c) {
                    c.operand = Operand::kShared, c.b_zero = 90, c.c_zero = 30;
                  })}));

// Scales that are powers of two make every product exact and put about half of the sums exactly on a
// rounding tie (k + 0.5), in the conv's own requantization and in the add's: ties go to even before each zero
// point is added, as the ops do, so the fused result is still equal. c's zero point odd (the chain rounds
// before oneDNN adds it) and even (the chain leaves the rounding to dst's conversion).
TEST(QLinearConvSum, RoundingTiesAreResolvedAsTheOpsDo) {
  for (const auto& [type, c_zero] :
       {std::pair{kU8, 5}, std::pair{kI8, 5}, std::pair{kU8, 4}, std::pair{kI8, -2}}) {
    SCOPED_TRACE(std::string(to_string(type)) + " c_zero " + std::to_string(c_zero));
    ResidualCase c;
    c.type = type;
    // The conv requantizes with 1/32 (every 32nd accumulator is a tie), the add computes a / 2 + b / 4.
    c.scales = {.x = 0.0625f, .w = 0.0625f, .a = 8.0f, .b = 4.0f, .c = 16.0f};
    c.operand = Operand::kGraphInput;  // b from the unfused kernel could differ at its own ties
    c.w_limit = 2;
    c.bias_limit = 20;
    c.a_zero = 3, c.b_zero = zero_of(type, 7), c.c_zero = c_zero;
    TensorMap feeds;
    const Graph g = residual_graph(c, feeds);
    const FusedRun run = run_against_reference(g, feeds);
    EXPECT_EQ(run.add_fused_into, "node");
    EXPECT_EQ(run.max_diff, 0) << run.differing << " outputs differ";
  }
}

// Where the operand dies at the add, the fused conv writes over it (one arena slot, no copy); where a later
// node still reads it, dst is a buffer of its own.
TEST(QLinearConvSum, OperandMemoryIsReusedOnlyWhenItDiesThere) {
  for (const Operand operand : {Operand::kConvOutput, Operand::kShared}) {
    ResidualCase c;
    c.operand = operand;
    TensorMap feeds;
    const Graph g = residual_graph(c, feeds);
    const std::shared_ptr<const cpu::ExecPlan> plan = cpu::compile_for_cpu(g, CompileConfig{});
    const cpu::PlanStep* fused = nullptr;
    for (const cpu::PlanStep& step : plan->steps) {
      if (step.name == "node") fused = &step;
    }
    ASSERT_NE(fused, nullptr);
    ASSERT_EQ(fused->inputs.size(), 2u);
    EXPECT_EQ(fused->in_place_input, 1);
    const size_t operand_offset = plan->buffers.at(fused->inputs[1]).offset;
    const size_t output_offset = plan->buffers.at(fused->outputs[0]).offset;
    if (operand == Operand::kConvOutput) {
      EXPECT_EQ(operand_offset, output_offset);
    } else {
      EXPECT_NE(operand_offset, output_offset);
    }
  }
}

TEST(QLinearConvSum, DeclinedForDepthwiseHeads) {
  // Our depthwise kernel runs the conv (and takes no post-ops): the add stays a step of its own.
  ResidualCase c;
  c.group = 16;
  TensorMap feeds;
  const Graph g = residual_graph(c, feeds);
  const FusedRun run = run_against_reference(g, feeds);
  EXPECT_EQ(run.add_fused_into, "");
  EXPECT_NE(run.conv_exec_type.find("dw"), std::string::npos) << run.conv_exec_type;
  EXPECT_LE(run.max_diff, 0);
}

TEST(QLinearConvSum, DeclinedWhenWeightsCouldSaturate) {
  // |w0| + |w1| up to 254: oneDNN's AVX2 kernel is not exact, the exact fp32 kernel runs the conv alone.
  // With VNNI nothing saturates, the int8 kernel stays and takes the add.
  ResidualCase c;
  c.w_limit = 127;
  TensorMap feeds;
  const Graph g = residual_graph(c, feeds);
  const FusedRun run = run_against_reference(g, feeds);
  if (cpu::onednn_int8_has_vnni()) {
    EXPECT_EQ(run.add_fused_into, "node");
  } else {
    EXPECT_EQ(run.add_fused_into, "");
  }
  EXPECT_LE(run.max_diff, 1);
}

TEST(QLinearConvSum, SwitchedOffByEnvironment) {
  TensorMap feeds;
  const Graph g = residual_graph({}, feeds);
  const FusedRun run = run_against_reference(g, feeds, /*disable_fusion=*/true);
  EXPECT_EQ(run.add_fused_into, "");
  EXPECT_LE(run.max_diff, 1);
}

}  // namespace
}  // namespace octet::test
