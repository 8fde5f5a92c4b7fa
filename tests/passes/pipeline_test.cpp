#include "passes/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/passes/pass_graph_builders.h"
#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

// x -> Conv -> BN -> Identity -> Relu -> Conv -> Add(bias) -> BN -> Flatten -> MatMul -> Add -> y, with a
// foldable constant Add of two constants feeding the first conv's bias.
Graph small_network() {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 4, 4});
  Value* w1 = g.add_constant("conv1.w", test::random_f32({4, 3, 3, 3}, 1));
  Value* b_parts[2] = {g.add_constant("b.a", test::random_f32({4}, 2)),
                       g.add_constant("b.b", test::random_f32({4}, 3))};
  Value* b1 = g.add_node("Add", "bias_sum", {b_parts[0], b_parts[1]}, {"conv1.b"})->output(0);
  Value* v = g.add_node("Conv", "conv1", {x, w1, b1}, {"c1"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}})
                 ->output(0);
  v = test::add_batchnorm(g, "bn1", v, 4, 4);
  v = g.add_node("Identity", "identity", {v}, {"id"})->output(0);
  v = g.add_node("Relu", "relu", {v}, {"r"})->output(0);
  v = test::add_conv(g, "conv2", v, 4, 4, 2, false, 5);
  v = g.add_node("Add", "conv2_bias", {v, g.add_constant("b2", test::random_f32({4, 1, 1}, 6))}, {"c2b"})
          ->output(0);
  v = test::add_batchnorm(g, "bn2", v, 4, 7);
  v = g.add_node("Flatten", "flatten", {v}, {"flat"}, {{"axis", int64_t{1}}})->output(0);
  v = g.add_node("MatMul", "fc", {v, g.add_constant("fc.w", test::random_f32({64, 5}, 8))}, {"fc_out"})
          ->output(0);
  g.add_output(
      g.add_node("Add", "fc_bias", {v, g.add_constant("fc.b", test::random_f32({5}, 9))}, {"y"})->output(0));
  return g;
}

TEST(CpuGraphPipelineTest, FoldsASmallNetworkDownToItsKernels) {
  auto [original, g] = test::build_twice(small_network);
  PassContext context;
  context.dump_folder.clear();
  run_cpu_graph_passes(g, context);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Conv", "Relu", "Conv", "Flatten", "Gemm"}));
  const auto& absorbed = context.absorbed();
  EXPECT_EQ(absorbed.at("bn1"), "conv1");
  EXPECT_EQ(absorbed.at("bias_sum"), "");  // constant-folded
  EXPECT_EQ(absorbed.at("identity"), "");
  // conv2 -> Add -> BN: the BN became Mul 'bn2' + Add 'bn2_shift', then all three folded into conv2.
  EXPECT_EQ(absorbed.at("conv2_bias"), "conv2");
  EXPECT_EQ(absorbed.at("bn2"), "conv2");
  EXPECT_EQ(absorbed.at("bn2_shift"), "conv2");
  EXPECT_EQ(absorbed.at("fc_bias"), "fc");
  EXPECT_EQ(g.outputs()[0]->name(), "y");
  ASSERT_EQ(context.pass_counts.size(), cpu_graph_pass_names().size());
  EXPECT_EQ(context.pass_counts[0], (std::pair<std::string, size_t>{"fold_constants", 1}));
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// Switching off the BN fold leaves the work to fold_standalone_batchnorm + fold_scale_shift_into_conv;
// switching off every fold keeps the BatchNormalization nodes.
TEST(CpuGraphPipelineTest, PassesSwitchOffByName) {
  {
    auto [original, g] = test::build_twice(small_network);
    PassContext context;
    context.dump_folder.clear();
    context.disabled = {"fold_batchnorm_into_conv"};
    run_cpu_graph_passes(g, context);
    EXPECT_EQ(op_types(g), (std::vector<std::string>{"Conv", "Relu", "Conv", "Flatten", "Gemm"}));
    EXPECT_EQ(context.absorbed().at("bn1"), "conv1");
    test::expect_same_outputs(original, g, test::random_inputs(original));
  }
  {
    auto [original, g] = test::build_twice(small_network);
    PassContext context;
    context.dump_folder.clear();
    context.disabled = {"fold_batchnorm_into_conv", "fold_standalone_batchnorm", "remove_identity_ops"};
    run_cpu_graph_passes(g, context);
    EXPECT_EQ(test::count_op(g, "BatchNormalization"), 2u);
    EXPECT_EQ(test::count_op(g, "Identity"), 1u);
    test::expect_same_outputs(original, g, test::random_inputs(original));
  }
}

TEST(CpuGraphPipelineTest, UnknownPassNameListsTheValidOnes) {
  Graph g = small_network();
  infer_shapes(g);
  PassContext context;
  context.disabled = {"fold_batchnorms"};
  try {
    run_cpu_graph_passes(g, context);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    const std::string what = e.what();
    EXPECT_NE(what.find("'fold_batchnorms'"), std::string::npos) << what;
    for (const std::string& name : cpu_graph_pass_names())
      EXPECT_NE(what.find(name), std::string::npos) << what;
  }
  EXPECT_EQ(test::count_op(g, "BatchNormalization"), 2u);  // nothing ran
}

TEST(CpuGraphPipelineTest, DumpsTheGraphAfterEveryPass) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(::testing::TempDir()) / "octet_pipeline_dump";
  fs::remove_all(folder);
  Graph g = small_network();
  infer_shapes(g);
  PassContext context;
  context.dump_folder = folder.string();
  context.disabled = {"remove_unused"};
  run_cpu_graph_passes(g, context);
  EXPECT_TRUE(fs::exists(folder / "00_input.txt"));
  EXPECT_TRUE(fs::exists(folder / "01_fold_constants.txt"));
  EXPECT_TRUE(fs::exists(folder / "07_fold_scale_shift_into_conv.txt"));
  EXPECT_FALSE(fs::exists(folder / "08_remove_unused.txt"));
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++files;
  EXPECT_EQ(files, cpu_graph_pass_names().size());  // input + every pass but the disabled one
  fs::remove_all(folder);
}

}  // namespace
}  // namespace octet
