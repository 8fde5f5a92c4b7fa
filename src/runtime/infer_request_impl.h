// An infer request: its own memory (arena for activations, input and output tensors, oneDNN scratchpad),
// every kernel of the plan bound to that memory once, and its counters. infer() walks the bound kernels.
#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "octet/profiling.h"
#include "octet/tensor.h"
#include "runtime/compiled_model_impl.h"

namespace octet::runtime {

class InferRequestImpl {
 public:
  explicit InferRequestImpl(std::shared_ptr<const CompiledModelImpl> model);
  ~InferRequestImpl();  // waits for an asynchronous run still in flight

  size_t input_index(const std::string& name) const;
  size_t output_index(const std::string& name) const;
  Tensor input_tensor(size_t index) const;
  Tensor output_tensor(size_t index) const;
  void set_input(size_t index, const Tensor& tensor);

  void infer();
  void start_async();
  void wait();

  std::vector<ProfilingInfo> profiling_info() const;
  std::vector<ProfilingEvent> profiling_events() const;

 private:
  void run_steps();

  struct StepCounters {
    double last_real_us = 0, last_cpu_us = 0, total_real_us = 0, total_cpu_us = 0;
    int64_t start_us = 0;
    int thread_id = 0;
  };

  std::shared_ptr<const CompiledModelImpl> model_;
  const cpu::ExecPlan& plan_;
  std::shared_ptr<std::byte[]> arena_;
  std::shared_ptr<std::byte[]> scratchpad_;
  std::vector<Tensor> inputs_;
  std::vector<Tensor> outputs_;
  dnnl::stream stream_;
  std::vector<std::unique_ptr<cpu::BoundKernel>> bound_;
  std::vector<StepCounters> counters_;
  int64_t executions_ = 0;

  // Asynchronous state: at most one run in flight.
  std::mutex mutex_;
  std::condition_variable done_;
  bool busy_ = false;
  std::exception_ptr error_;
};

}  // namespace octet::runtime
