#include "runtime/infer_request_impl.h"

#include <time.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "octet/infer_request.h"
#include "runtime/scoped_omp_threads.h"

namespace octet::runtime {
namespace {

std::shared_ptr<std::byte[]> allocate(size_t bytes) {
  constexpr size_t kAlignment = 64;
  const size_t rounded = std::max(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  void* memory = std::aligned_alloc(kAlignment, rounded);
  OCTET_CHECK(memory, ErrorCode::kInvalidArgument, "cannot allocate ", bytes, " bytes for an infer request");
  return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(memory), [](std::byte* p) { std::free(p); });
}

double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU time of the whole process: with one stream this is the time every thread of the node's OpenMP team
// spent; with several streams running at once it also counts the others' work.
double process_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

int thread_number() {
  return static_cast<int>(std::hash<std::thread::id>()(std::this_thread::get_id()) % 100000);
}

}  // namespace

InferRequestImpl::InferRequestImpl(std::shared_ptr<const CompiledModelImpl> model)
    : model_(std::move(model)), plan_(model_->plan()), stream_(plan_.engine) {
  arena_ = allocate(plan_.arena_bytes);
  scratchpad_ = allocate(plan_.scratchpad_bytes);
  std::vector<void*> memory(plan_.buffers.size(), nullptr);
  for (size_t i = 0; i < plan_.buffers.size(); ++i) {
    if (plan_.buffers[i].kind == cpu::PlanBuffer::Kind::kArena)
      memory[i] = arena_.get() + plan_.buffers[i].offset;
  }
  for (int id : plan_.input_buffers) {
    const cpu::PlanBuffer& buffer = plan_.buffers[id];
    inputs_.emplace_back(buffer.desc.type, buffer.desc.dims);
    memory[id] = inputs_.back().raw_data();
  }
  for (int id : plan_.output_buffers) {
    const cpu::PlanBuffer& buffer = plan_.buffers[id];
    outputs_.emplace_back(buffer.desc.type, buffer.desc.dims);
    memory[id] = outputs_.back().raw_data();
  }
  cpu::BindContext context{plan_.engine, stream_, scratchpad_.get()};
  for (const cpu::PlanStep& step : plan_.steps) {
    std::vector<void*> in, out;
    for (int id : step.inputs) in.push_back(memory.at(id));
    for (int id : step.outputs) out.push_back(memory.at(id));
    bound_.push_back(step.kernel->bind(in, out, context));
  }
  counters_.resize(plan_.steps.size());
}

size_t InferRequestImpl::input_index(const std::string& name) const {
  for (size_t i = 0; i < plan_.inputs.size(); ++i) {
    if (plan_.inputs[i].name == name) return i;
  }
  fail(ErrorCode::kInvalidArgument, "the model has no input '", name, "'");
}

size_t InferRequestImpl::output_index(const std::string& name) const {
  for (size_t i = 0; i < plan_.outputs.size(); ++i) {
    if (plan_.outputs[i].name == name) return i;
  }
  fail(ErrorCode::kInvalidArgument, "the model has no output '", name, "'");
}

Tensor InferRequestImpl::input_tensor(size_t index) const {
  OCTET_CHECK(index < inputs_.size(), ErrorCode::kInvalidArgument, "input index ", index,
              " out of range (model has ", inputs_.size(), ")");
  return inputs_[index];
}

Tensor InferRequestImpl::output_tensor(size_t index) const {
  OCTET_CHECK(index < outputs_.size(), ErrorCode::kInvalidArgument, "output index ", index,
              " out of range (model has ", outputs_.size(), ")");
  return outputs_[index];
}

void InferRequestImpl::set_input(size_t index, const Tensor& tensor) {
  const Tensor target = input_tensor(index);
  OCTET_CHECK(tensor.type() == target.type() && tensor.dims() == target.dims(), ErrorCode::kInvalidArgument,
              "input '", plan_.inputs[index].name, "' was compiled as ", target.description(), ", got ",
              tensor.description());
  if (tensor.raw_data() != target.raw_data())
    std::memcpy(inputs_[index].raw_data(), tensor.raw_data(), tensor.byte_size());
}

void InferRequestImpl::run_steps() {
  const bool profiling = model_->config().profiling;
  if (!profiling) {
    for (auto& kernel : bound_) kernel->execute();
  } else {
    const int thread = thread_number();
    for (size_t i = 0; i < bound_.size(); ++i) {
      const double start = now_us(), cpu_start = process_cpu_us();
      bound_[i]->execute();
      StepCounters& c = counters_[i];
      c.last_real_us = now_us() - start;
      c.last_cpu_us = process_cpu_us() - cpu_start;
      c.total_real_us += c.last_real_us;
      c.total_cpu_us += c.last_cpu_us;
      c.start_us = static_cast<int64_t>(start);
      c.thread_id = thread;
    }
  }
  stream_.wait();
  ++executions_;
}

InferRequestImpl::~InferRequestImpl() {
  // A request dropped while it runs on a stream: let the job finish before its memory goes.
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return !busy_; });
}

void InferRequestImpl::infer() {
  {
    std::lock_guard lock(mutex_);
    OCTET_CHECK(!busy_, ErrorCode::kInvalidArgument, "infer() while an asynchronous inference is running");
  }
  const ScopedOmpThreads threads(model_->threads_per_stream());  // the stream's team size, for this call only
  run_steps();
}

void InferRequestImpl::start_async() {
  {
    std::lock_guard lock(mutex_);
    OCTET_CHECK(!busy_, ErrorCode::kInvalidArgument,
                "start_async() while an inference is running; wait() first");
    busy_ = true;
    error_ = nullptr;
  }
  model_->streams().submit([this] {
    std::exception_ptr error;
    try {
      run_steps();
    } catch (...) {
      error = std::current_exception();
    }
    // Notify while holding the lock: once wait() can see busy_ == false the request may be destroyed, so
    // this job must not touch done_ after releasing mutex_ (notifying after the unlock was a use-after-free
    // when the owner destroyed the request right after wait()).
    std::lock_guard lock(mutex_);
    busy_ = false;
    error_ = error;
    done_.notify_all();
  });
}

void InferRequestImpl::wait() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return !busy_; });
  if (error_) {
    std::exception_ptr error = error_;
    error_ = nullptr;
    std::rethrow_exception(error);
  }
}

std::vector<ProfilingInfo> InferRequestImpl::profiling_info() const {
  std::vector<ProfilingInfo> rows;
  if (!model_->config().profiling) return rows;
  const double runs = executions_ > 0 ? static_cast<double>(executions_) : 1.0;
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    const cpu::PlanStep& step = plan_.steps[i];
    const StepCounters& c = counters_[i];
    ProfilingInfo row;
    row.node_name = step.name;
    row.node_type = step.type;
    row.exec_type = step.kernel->exec_type();
    row.status = executions_ > 0 ? ProfilingInfo::Status::kExecuted : ProfilingInfo::Status::kNotRun;
    row.real_time_us = c.last_real_us;
    row.cpu_time_us = c.last_cpu_us;
    row.average_real_time_us = c.total_real_us / runs;
    row.average_cpu_time_us = c.total_cpu_us / runs;
    row.executions = executions_;
    row.multiply_accumulates = step.multiply_accumulates;
    row.fp32_reason = step.fp32_reason;
    rows.push_back(row);
    for (size_t a = 0; a < step.absorbed_names.size(); ++a) {
      ProfilingInfo fused;
      fused.node_name = step.absorbed_names[a];
      fused.node_type = step.absorbed_types[a];
      fused.exec_type = "undef";
      fused.status = ProfilingInfo::Status::kOptimizedOut;
      fused.fused_into = step.name;
      rows.push_back(fused);
    }
  }
  for (const cpu::OptimizedOutNode& node : plan_.optimized_out) {
    ProfilingInfo removed;
    removed.node_name = node.name;
    removed.node_type = node.type;
    removed.exec_type = "undef";
    removed.status = ProfilingInfo::Status::kOptimizedOut;
    removed.fused_into = node.into;
    rows.push_back(removed);
  }
  return rows;
}

std::vector<ProfilingEvent> InferRequestImpl::profiling_events() const {
  std::vector<ProfilingEvent> events;
  if (!model_->config().profiling || executions_ == 0) return events;
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    const cpu::PlanStep& step = plan_.steps[i];
    events.push_back({step.name, step.type, step.kernel->exec_type(), counters_[i].start_us,
                      counters_[i].last_real_us, counters_[i].thread_id});
  }
  return events;
}

}  // namespace octet::runtime

namespace octet {

InferRequest::InferRequest(std::shared_ptr<runtime::InferRequestImpl> impl) : impl_(std::move(impl)) {}

namespace {
runtime::InferRequestImpl& checked(const std::shared_ptr<runtime::InferRequestImpl>& impl) {
  OCTET_CHECK(impl, ErrorCode::kInvalidArgument,
              "empty InferRequest (use CompiledModel::create_infer_request)");
  return *impl;
}
}  // namespace

Tensor InferRequest::get_input_tensor(size_t index) const {
  return checked(impl_).input_tensor(index);
}
Tensor InferRequest::get_input_tensor(const std::string& name) const {
  return checked(impl_).input_tensor(checked(impl_).input_index(name));
}
void InferRequest::set_input_tensor(size_t index, const Tensor& tensor) {
  checked(impl_).set_input(index, tensor);
}
void InferRequest::set_input_tensor(const std::string& name, const Tensor& tensor) {
  checked(impl_).set_input(checked(impl_).input_index(name), tensor);
}
Tensor InferRequest::get_output_tensor(size_t index) const {
  return checked(impl_).output_tensor(index);
}
Tensor InferRequest::get_output_tensor(const std::string& name) const {
  return checked(impl_).output_tensor(checked(impl_).output_index(name));
}
void InferRequest::infer() {
  checked(impl_).infer();
}
void InferRequest::start_async() {
  checked(impl_).start_async();
}
void InferRequest::wait() {
  checked(impl_).wait();
}
std::vector<ProfilingInfo> InferRequest::get_profiling_info() const {
  return checked(impl_).profiling_info();
}
std::vector<ProfilingEvent> InferRequest::get_profiling_events() const {
  return checked(impl_).profiling_events();
}

}  // namespace octet
