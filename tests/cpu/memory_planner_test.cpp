// The memory planner: buffers alive at the same time never overlap, buffers with disjoint lifetimes share
// memory, and a residual operand that dies at its consumer is reused in place.
#include "cpu/memory_planner.h"

#include <gtest/gtest.h>

namespace octet::cpu {
namespace {

// A chain of steps: step i reads `reads[i]` and writes buffer i; every buffer is f32 of `sizes[i]` elements.
ExecPlan chain_plan(const std::vector<int64_t>& sizes, const std::vector<std::vector<int>>& reads) {
  ExecPlan plan;
  for (size_t i = 0; i < sizes.size(); ++i) {
    PlanBuffer buffer;
    buffer.name = "b" + std::to_string(i);
    buffer.desc = BufferDesc::plain(ElementType::kF32, {sizes[i]});
    plan.buffers.push_back(buffer);
    PlanStep step;
    step.name = "s" + std::to_string(i);
    step.inputs = reads[i];
    step.outputs = {static_cast<int>(i)};
    plan.steps.push_back(step);
  }
  return plan;
}

bool overlap_in_memory(const PlanBuffer& a, const PlanBuffer& b) {
  return a.offset < b.offset + b.desc.byte_size() && b.offset < a.offset + a.desc.byte_size();
}
bool overlap_in_time(const PlanBuffer& a, const PlanBuffer& b) {
  return !(a.last_step < b.first_step || b.last_step < a.first_step);
}

TEST(MemoryPlannerTest, LiveBuffersNeverOverlapAndDeadOnesAreReused) {
  // b0 -> b1 -> b2 -> b3, plus b3 also reads b0 (a long skip connection).
  ExecPlan plan = chain_plan({1000, 2000, 1000, 500}, {{}, {0}, {1}, {2, 0}});
  plan_memory(plan);
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    for (size_t j = i + 1; j < plan.buffers.size(); ++j) {
      if (overlap_in_time(plan.buffers[i], plan.buffers[j])) {
        EXPECT_FALSE(overlap_in_memory(plan.buffers[i], plan.buffers[j])) << i << " and " << j;
      }
    }
  }
  EXPECT_EQ(plan.buffers[0].last_step, 3);
  // b1 (8000 bytes) dies at step 2 so b3 (2000 bytes) can take its place: less than the sum of all sizes.
  EXPECT_LT(plan.arena_bytes, size_t{(1000 + 2000 + 1000 + 500) * 4});
  // At step 2, b0, b1 and b2 are alive: at least 16000 bytes.
  EXPECT_GE(plan.arena_bytes, size_t{(1000 + 2000 + 1000) * 4});
}

TEST(MemoryPlannerTest, ResidualOperandIsReusedInPlace) {
  // b2 = conv(b1) + b0 with b0 dying at step 2: b2 takes b0's memory.
  ExecPlan plan = chain_plan({256, 256, 256}, {{}, {0}, {1, 0}});
  plan.steps[2].in_place_input = 1;
  plan_memory(plan);
  EXPECT_EQ(plan.buffers[2].offset, plan.buffers[0].offset);
  EXPECT_NE(plan.buffers[1].offset, plan.buffers[0].offset);
}

TEST(MemoryPlannerTest, OperandStillNeededLaterIsNotOverwritten) {
  ExecPlan plan = chain_plan({256, 256, 256, 256}, {{}, {0}, {1, 0}, {2, 0}});
  plan.steps[2].in_place_input = 1;
  plan_memory(plan);
  EXPECT_NE(plan.buffers[2].offset, plan.buffers[0].offset);
}

TEST(MemoryPlannerTest, GraphInputsAndOutputsStayOutOfTheArena) {
  ExecPlan plan = chain_plan({100, 100}, {{}, {0}});
  plan.buffers[1].kind = PlanBuffer::Kind::kGraphOutput;
  plan_memory(plan);
  EXPECT_EQ(plan.arena_bytes, 448u);  // only b0: 400 bytes rounded up to 64
}

}  // namespace
}  // namespace octet::cpu
