#include "ops/op_registry.h"

#include "octet/error.h"
#include "ops/op_families.h"

namespace octet {

const OpRegistry& OpRegistry::instance() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    register_op_families(r);
    return r;
  }();
  return registry;
}

void OpRegistry::add(OpDefinition definition) {
  OCTET_ASSERT(!definitions_.contains(definition.type));
  OCTET_ASSERT(definition.infer && definition.evaluate);
  std::string type = definition.type;
  definitions_.emplace(std::move(type), std::move(definition));
}

const OpDefinition* OpRegistry::find(std::string_view type) const {
  auto it = definitions_.find(type);
  return it == definitions_.end() ? nullptr : &it->second;
}

const OpDefinition& OpRegistry::get(const Node& node) const {
  const OpDefinition* definition = find(node.op_type());
  OCTET_CHECK(definition, ErrorCode::kUnsupported, node.label(), ": unsupported op type '", node.op_type(),
              "'");
  return *definition;
}

std::vector<std::string> OpRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [type, _] : definitions_) out.push_back(type);
  return out;
}

}  // namespace octet
