#include "octet/core.h"

#include "cpu/cpu_compiler.h"
#include "frontends/model_reader.h"
#include "graph/graph.h"
#include "runtime/compiled_model_impl.h"
#include "runtime/scoped_omp_threads.h"

namespace octet {

std::shared_ptr<Model> Core::read_model(const std::string& path,
                                        const std::map<std::string, Dims>& input_dims) const {
  LoadOptions options;
  options.input_shapes = input_dims;
  return std::make_shared<Model>(std::make_unique<Graph>(octet::read_model(path, options)));
}

CompiledModel Core::compile_model(const std::shared_ptr<const Model>& model,
                                  const CompileConfig& config) const {
  OCTET_CHECK(model, ErrorCode::kInvalidArgument, "compile_model: no model");
  // oneDNN plans each primitive for the team size in effect when it is created: the stream's (see
  // runtime/scoped_omp_threads.h).
  const CompileConfig resolved = runtime::resolve_config(config);
  std::shared_ptr<const cpu::ExecPlan> plan;
  {
    const runtime::ScopedOmpThreads threads(runtime::threads_per_stream(resolved));
    plan = cpu::compile_for_cpu(model->graph(), resolved);
  }
  return CompiledModel(std::make_shared<runtime::CompiledModelImpl>(std::move(plan), resolved));
}

CompiledModel Core::compile_model(const std::string& path, const CompileConfig& config) const {
  return compile_model(read_model(path), config);
}

}  // namespace octet
