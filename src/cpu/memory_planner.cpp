#include "cpu/memory_planner.h"

#include <algorithm>
#include <numeric>

#include "octet/error.h"

namespace octet::cpu {
namespace {

constexpr size_t kAlignment = 64;

size_t align_up(size_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

void compute_lifetimes(ExecPlan& plan) {
  for (PlanBuffer& buffer : plan.buffers) buffer.first_step = buffer.last_step = -1;
  for (int s = 0; s < static_cast<int>(plan.steps.size()); ++s) {
    for (int id : plan.steps[s].outputs) {
      PlanBuffer& buffer = plan.buffers.at(id);
      if (buffer.first_step < 0) buffer.first_step = s;
      buffer.last_step = std::max(buffer.last_step, s);
    }
    for (int id : plan.steps[s].inputs)
      plan.buffers.at(id).last_step = std::max(plan.buffers.at(id).last_step, s);
  }
}

}  // namespace

void plan_memory(ExecPlan& plan) {
  compute_lifetimes(plan);
  // In place: an output that may reuse a runtime input which dies at this step takes over that input's
  // memory. Both become one "slot" (union of the lifetimes), represented by the first buffer's id (chains of
  // residual blocks share one slot).
  std::vector<int> slot_of(plan.buffers.size());
  std::iota(slot_of.begin(), slot_of.end(), 0);
  for (int s = 0; s < static_cast<int>(plan.steps.size()); ++s) {
    const PlanStep& step = plan.steps[s];
    if (step.in_place_input < 0) continue;
    const int in = step.inputs.at(step.in_place_input);
    const int out = step.outputs.at(0);
    const PlanBuffer& a = plan.buffers[in];
    const PlanBuffer& b = plan.buffers[out];
    const bool only_reader_here = std::count(step.inputs.begin(), step.inputs.end(), in) == 1;
    if (a.kind == PlanBuffer::Kind::kArena && b.kind == PlanBuffer::Kind::kArena && a.last_step == s &&
        only_reader_here && a.desc.byte_size() == b.desc.byte_size()) {
      slot_of[out] = slot_of[in];
    }
  }
  struct Slot {
    int id;
    size_t bytes;
    int first, last;
  };
  std::vector<Slot> slots;
  std::vector<int> slot_index(plan.buffers.size(), -1);
  for (int id = 0; id < static_cast<int>(plan.buffers.size()); ++id) {
    const PlanBuffer& buffer = plan.buffers[id];
    if (buffer.kind != PlanBuffer::Kind::kArena || buffer.first_step < 0) continue;
    const int root = slot_of[id];
    if (slot_index[root] < 0) {
      slot_index[root] = static_cast<int>(slots.size());
      slots.push_back({root, 0, buffer.first_step, buffer.last_step});
    }
    Slot& slot = slots[slot_index[root]];
    slot.bytes = std::max(slot.bytes, align_up(buffer.desc.byte_size()));
    slot.first = std::min(slot.first, buffer.first_step);
    slot.last = std::max(slot.last, buffer.last_step);
    slot_index[id] = slot_index[root];
  }
  std::vector<size_t> order(slots.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return slots[x].bytes > slots[y].bytes; });
  std::vector<size_t> offsets(slots.size(), 0);
  std::vector<size_t> placed;
  size_t arena = 0;
  for (size_t index : order) {
    const Slot& slot = slots[index];
    // Memory ranges taken by placed slots whose lifetime overlaps this one, by offset.
    std::vector<std::pair<size_t, size_t>> taken;
    for (size_t other : placed) {
      const Slot& o = slots[other];
      if (o.last < slot.first || slot.last < o.first) continue;
      taken.emplace_back(offsets[other], offsets[other] + o.bytes);
    }
    std::sort(taken.begin(), taken.end());
    size_t offset = 0;
    for (const auto& [begin, end] : taken) {
      if (offset + slot.bytes <= begin) break;
      offset = std::max(offset, end);
    }
    offsets[index] = offset;
    placed.push_back(index);
    arena = std::max(arena, offset + slot.bytes);
  }
  for (int id = 0; id < static_cast<int>(plan.buffers.size()); ++id) {
    if (slot_index[id] >= 0) plan.buffers[id].offset = offsets[slot_index[id]];
  }
  plan.arena_bytes = arena;
}

}  // namespace octet::cpu
