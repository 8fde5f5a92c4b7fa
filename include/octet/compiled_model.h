// A model compiled for the CPU: optimized graph, kernels (oneDNN primitives created once), memory plan and
// streams. Immutable and shared by its infer requests; create as many requests as there are parallel jobs.
#pragma once

#include <memory>
#include <vector>

#include "octet/compile_config.h"
#include "octet/infer_request.h"
#include "octet/model.h"

namespace octet {

namespace runtime {
class CompiledModelImpl;
}

class CompiledModel {
 public:
  CompiledModel() = default;
  explicit CompiledModel(std::shared_ptr<runtime::CompiledModelImpl> impl);

  InferRequest create_infer_request() const;
  std::vector<PortInfo> inputs() const;  // static shapes, as compiled
  std::vector<PortInfo> outputs() const;
  // The configuration with every automatic value resolved (threads, streams).
  const CompileConfig& config() const;
  // Requests needed to keep every stream busy (OpenVINO's OPTIMAL_NUMBER_OF_INFER_REQUESTS).
  int optimal_number_of_infer_requests() const;

 private:
  std::shared_ptr<runtime::CompiledModelImpl> impl_;
};

}  // namespace octet
