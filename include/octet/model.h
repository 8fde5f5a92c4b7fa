// A model read from a file: its graph, inputs and outputs. Shared by every CompiledModel made from it;
// compile_model never changes it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "octet/element_type.h"
#include "octet/shape.h"

namespace octet {

class Graph;

struct PortInfo {
  std::string name;
  ElementType type = ElementType::kUndefined;
  Shape shape;  // may have dynamic dims
};

class Model {
 public:
  explicit Model(std::unique_ptr<Graph> graph);
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  std::vector<PortInfo> inputs() const;
  std::vector<PortInfo> outputs() const;
  // Sets static dims on inputs by name and re-infers every shape (like ov::Model::reshape).
  void reshape(const std::map<std::string, Dims>& input_dims);

  // The graph IR (for Octet's own tools and plugins; not a stable interface).
  const Graph& graph() const { return *graph_; }
  Graph& graph() { return *graph_; }

 private:
  std::unique_ptr<Graph> graph_;
};

}  // namespace octet
