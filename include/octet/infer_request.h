// One inference context of a CompiledModel: its own input/output tensors and activation memory, so several
// requests run at the same time from different threads. A request itself is not thread-safe: one call at a
// time (start_async then wait, or infer).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "octet/profiling.h"
#include "octet/tensor.h"

namespace octet {

namespace runtime {
class InferRequestImpl;
}

class InferRequest {
 public:
  InferRequest() = default;
  explicit InferRequest(std::shared_ptr<runtime::InferRequestImpl> impl);

  // The request's own input tensor: write into it for zero-copy input.
  Tensor get_input_tensor(size_t index = 0) const;
  Tensor get_input_tensor(const std::string& name) const;
  // Copies `tensor` into the request's input (type and dims must match the compiled model's input).
  void set_input_tensor(size_t index, const Tensor& tensor);
  void set_input_tensor(const std::string& name, const Tensor& tensor);
  void set_input_tensor(const Tensor& tensor) { set_input_tensor(0, tensor); }
  // The request's output tensor; it holds the result of the last inference until the next one starts.
  Tensor get_output_tensor(size_t index = 0) const;
  Tensor get_output_tensor(const std::string& name) const;

  void infer();        // runs on the calling thread
  void start_async();  // runs on one of the compiled model's streams
  void wait();         // rethrows an error of the asynchronous run

  // Empty unless the model was compiled with profiling on.
  std::vector<ProfilingInfo> get_profiling_info() const;
  // The kernel executions of the last inference, for timelines (empty without profiling).
  std::vector<ProfilingEvent> get_profiling_events() const;

 private:
  std::shared_ptr<runtime::InferRequestImpl> impl_;
};

}  // namespace octet
