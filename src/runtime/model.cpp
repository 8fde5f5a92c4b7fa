#include "octet/model.h"

#include "graph/graph.h"
#include "ops/shape_inference.h"

namespace octet {
namespace {

std::vector<PortInfo> ports(const std::vector<Value*>& values) {
  std::vector<PortInfo> result;
  for (const Value* value : values) result.push_back({value->name(), value->type(), value->shape()});
  return result;
}

}  // namespace

Model::Model(std::unique_ptr<Graph> graph) : graph_(std::move(graph)) {}
Model::~Model() = default;

std::vector<PortInfo> Model::inputs() const {
  return ports(graph_->inputs());
}
std::vector<PortInfo> Model::outputs() const {
  return ports(graph_->outputs());
}

void Model::reshape(const std::map<std::string, Dims>& input_dims) {
  for (const auto& [name, dims] : input_dims) {
    Value* input = graph_->find_value(name);
    OCTET_CHECK(input && input->is_graph_input(), ErrorCode::kInvalidArgument,
                "reshape: the model has no input '", name, "'");
    OCTET_CHECK(!input->shape().rank_known() || input->shape().rank() == dims.size(),
                ErrorCode::kInvalidArgument, "reshape: input '", name, "' has rank ", input->shape().rank(),
                ", got dims ", to_string(dims));
    input->set_shape(Shape(dims));
  }
  infer_shapes(*graph_);
}

}  // namespace octet
