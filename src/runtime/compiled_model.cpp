#include "octet/compiled_model.h"

#include <omp.h>

#include <algorithm>

#include "runtime/compiled_model_impl.h"
#include "runtime/infer_request_impl.h"

namespace octet {
namespace runtime {

CompileConfig resolve_config(CompileConfig config) {
  OCTET_CHECK(config.num_threads >= 0 && config.num_streams >= 0, ErrorCode::kInvalidArgument,
              "threads and streams must be >= 0");
  if (config.num_threads == 0) config.num_threads = std::max(1, omp_get_num_procs());
  if (config.num_streams == 0) {
    // Throughput: one stream per core up to 4 cores, then two threads per stream (as many parallel inferences
    // as keep the cores busy without splitting small layers too thin).
    config.num_streams = config.hint == PerformanceHint::kLatency ? 1
                         : config.num_threads <= 4                ? config.num_threads
                                                                  : config.num_threads / 2;
  }
  config.num_streams = std::min(config.num_streams, config.num_threads);
  return config;
}

int threads_per_stream(const CompileConfig& resolved) {
  return std::max(1, resolved.num_threads / resolved.num_streams);
}

CompiledModelImpl::CompiledModelImpl(std::shared_ptr<const cpu::ExecPlan> plan, CompileConfig config)
    : plan_(std::move(plan)), config_(resolve_config(config)) {
  threads_per_stream_ = runtime::threads_per_stream(config_);
  streams_ = std::make_unique<StreamExecutor>(config_.num_streams, threads_per_stream_);
}

}  // namespace runtime

CompiledModel::CompiledModel(std::shared_ptr<runtime::CompiledModelImpl> impl) : impl_(std::move(impl)) {}

InferRequest CompiledModel::create_infer_request() const {
  OCTET_CHECK(impl_, ErrorCode::kInvalidArgument, "create_infer_request on an empty CompiledModel");
  return InferRequest(std::make_shared<runtime::InferRequestImpl>(impl_));
}

std::vector<PortInfo> CompiledModel::inputs() const {
  return impl_->plan().inputs;
}
std::vector<PortInfo> CompiledModel::outputs() const {
  return impl_->plan().outputs;
}
const CompileConfig& CompiledModel::config() const {
  return impl_->config();
}
int CompiledModel::optimal_number_of_infer_requests() const {
  return impl_->config().num_streams;
}

}  // namespace octet
