// What a CompiledModel holds: the CPU plan, the resolved configuration and the streams.
#pragma once

#include <memory>

#include "cpu/exec_plan.h"
#include "octet/compile_config.h"
#include "runtime/stream_executor.h"

namespace octet::runtime {

class CompiledModelImpl : public std::enable_shared_from_this<CompiledModelImpl> {
 public:
  CompiledModelImpl(std::shared_ptr<const cpu::ExecPlan> plan, CompileConfig config);

  const cpu::ExecPlan& plan() const { return *plan_; }
  const CompileConfig& config() const { return config_; }
  int threads_per_stream() const { return threads_per_stream_; }
  StreamExecutor& streams() const { return *streams_; }

 private:
  std::shared_ptr<const cpu::ExecPlan> plan_;
  CompileConfig config_;  // threads and streams resolved
  int threads_per_stream_ = 1;
  std::unique_ptr<StreamExecutor> streams_;
};

// Fills in automatic values: threads = the machine's cores, streams from the hint.
CompileConfig resolve_config(CompileConfig config);

// The OpenMP team size of each stream of a resolved configuration.
int threads_per_stream(const CompileConfig& resolved);

}  // namespace octet::runtime
