// The Gather copy kernel (kernels/generic/gather_kernel) against the reference executor: a constant embedding
// table with runtime i64 indices (negative ones included), runtime data with constant i32 indices on an inner
// axis, a negative axis, 2-d indices, a u8 table; and an index out of range at run time, which must fail the
// request with the node's name instead of reading outside the table.
#include <gtest/gtest.h>

#include <vector>

#include "octet/core.h"
#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

TEST(GatherKernelTest, ConstantTableWithRuntimeIndices) {
  KernelTestGraph g;
  g.node("Gather",
         {g.random_constant("table", {10, 6}),
          g.input_fed("ids", Tensor::from_vector<int64_t>({5}, std::vector<int64_t>{3, 0, 9, -1, -10}))});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "simple_FP32");
}

TEST(GatherKernelTest, RuntimeDataWithConstantIndicesOnAnInnerAxis) {
  KernelTestGraph g;
  g.node("Gather",
         {g.input("x", {3, 7, 4}),
          g.constant("ids", Tensor::from_vector<int32_t>({2, 2}, std::vector<int32_t>{6, -1, 0, 2}))},
         {{"axis", int64_t{1}}});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "simple_FP32");
}

TEST(GatherKernelTest, NegativeAxisAndRuntimeIndices) {
  KernelTestGraph g;
  g.node("Gather",
         {g.input("x", {2, 3, 5}),
          g.input_fed("ids", Tensor::from_vector<int32_t>({3}, std::vector<int32_t>{4, -5, 2}))},
         {{"axis", int64_t{-1}}});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "simple_FP32");
}

TEST(GatherKernelTest, U8Table) {
  Tensor table = Tensor::from_vector<uint8_t>(
      {4, 3}, std::vector<uint8_t>{0, 1, 2, 10, 11, 12, 20, 21, 22, 250, 251, 255});
  KernelTestGraph g;
  g.node("Gather",
         {g.constant("table", std::move(table)),
          g.input_fed("ids", Tensor::from_vector<int64_t>({4}, std::vector<int64_t>{3, 3, 0, -2}))});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "simple_I8");
}

TEST(GatherKernelTest, IndexOutOfRangeFailsTheRequestNamingTheNode) {
  auto graph = std::make_unique<Graph>();
  Value* table = graph->add_constant("table", random_tensor({10, 6}, 1));
  Value* ids = graph->add_input("ids", ElementType::kI64, Shape(Dims{2}));
  Node* gather = graph->add_node("Gather", "lookup", {table, ids}, {"y"});
  graph->add_output(gather->output(0));
  infer_shapes(*graph);
  CompiledModel compiled =
      Core().compile_model(std::make_shared<Model>(std::move(graph)), {.num_threads = 1});
  InferRequest request = compiled.create_infer_request();
  for (const int64_t bad : {int64_t{10}, int64_t{-11}, int64_t{1} << 40}) {
    SCOPED_TRACE(bad);
    request.set_input_tensor("ids", Tensor::from_vector<int64_t>({2}, std::vector<int64_t>{1, bad}));
    try {
      request.infer();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(std::string(e.what()).find("lookup"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    }
  }
  // The request still works with valid indices afterwards.
  request.set_input_tensor("ids", Tensor::from_vector<int64_t>({2}, std::vector<int64_t>{9, -10}));
  EXPECT_NO_THROW(request.infer());
}

}  // namespace
}  // namespace octet::test
