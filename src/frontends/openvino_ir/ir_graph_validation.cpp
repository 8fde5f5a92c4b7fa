#include "frontends/openvino_ir/ir_graph_validation.h"

#include <optional>
#include <queue>
#include <unordered_map>

#include "octet/error.h"

namespace octet::openvino_ir {
namespace {

// Two declared dims agree unless both are static and differ (or the ranks differ).
bool dims_agree(const Dims& a, const Dims& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != kDynamicDim && b[i] != kDynamicDim && a[i] != b[i]) return false;
  return true;
}

std::unordered_map<int64_t, size_t> index_layers(const IrDocument& doc) {
  std::unordered_map<int64_t, size_t> by_id;
  for (size_t i = 0; i < doc.layers.size(); ++i) {
    const auto [it, inserted] = by_id.emplace(doc.layers[i].id, i);
    OCTET_CHECK(inserted, ErrorCode::kInvalidModel, doc.layers[i].label(), ": layer id ", doc.layers[i].id,
                " is also used by ", doc.layers[it->second].label());
  }
  return by_id;
}

std::vector<size_t> topological_order(const IrDocument& doc, const IrConnections& c) {
  const size_t n = doc.layers.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> consumers(n);
  for (size_t l = 0; l < n; ++l) {
    for (const PortSource& s : c.sources[l]) {
      ++pending[l];
      consumers[s.layer].push_back(l);
    }
  }
  // A min-heap on the file position keeps the order stable and readable.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t l = 0; l < n; ++l)
    if (pending[l] == 0) ready.push(l);
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const size_t l = ready.top();
    ready.pop();
    order.push_back(l);
    for (size_t consumer : consumers[l])
      if (--pending[consumer] == 0) ready.push(consumer);
  }
  if (order.size() != n) {
    for (size_t l = 0; l < n; ++l) {
      if (pending[l] != 0)
        fail(ErrorCode::kInvalidModel, doc.layers[l].label(),
             ": the layer is part of a cycle (or depends on one): the edges do not form a DAG");
    }
  }
  return order;
}

}  // namespace

IrConnections validate_ir_graph(const IrDocument& doc) {
  const std::unordered_map<int64_t, size_t> by_id = index_layers(doc);
  const size_t n = doc.layers.size();
  std::vector<std::vector<std::optional<PortSource>>> fed(n);
  IrConnections c;
  c.output_used.resize(n);
  for (size_t l = 0; l < n; ++l) {
    fed[l].resize(doc.layers[l].inputs.size());
    c.output_used[l].assign(doc.layers[l].outputs.size(), false);
  }

  for (const IrEdge& e : doc.edges) {
    const auto from = by_id.find(e.from_layer);
    const auto to = by_id.find(e.to_layer);
    OCTET_CHECK(to != by_id.end(), ErrorCode::kInvalidModel, "an edge from layer id ", e.from_layer,
                " goes to layer id ", e.to_layer, ", which does not exist");
    const IrLayer& consumer = doc.layers[to->second];
    OCTET_CHECK(from != by_id.end(), ErrorCode::kInvalidModel, consumer.label(), ": input port ", e.to_port,
                " is fed by layer id ", e.from_layer, ", which does not exist");
    const IrLayer& producer = doc.layers[from->second];
    const int64_t out = producer.output_index(e.from_port);
    OCTET_CHECK(out >= 0, ErrorCode::kInvalidModel, producer.label(), ": an edge leaves from port ",
                e.from_port, ", which is not an output port of the layer (it feeds ", consumer.label(), ")");
    const int64_t in = consumer.input_index(e.to_port);
    OCTET_CHECK(in >= 0, ErrorCode::kInvalidModel, consumer.label(), ": an edge arrives at port ", e.to_port,
                ", which is not an input port of the layer (it comes from ", producer.label(), ")");
    std::optional<PortSource>& slot = fed[to->second][static_cast<size_t>(in)];
    OCTET_CHECK(!slot.has_value(), ErrorCode::kInvalidModel, consumer.label(), ": input port ", e.to_port,
                " is connected twice (to ", doc.layers[slot ? slot->layer : 0].label(), " and ",
                producer.label(), ")");
    const Dims& produced = producer.outputs[static_cast<size_t>(out)].dims;
    const Dims& consumed = consumer.inputs[static_cast<size_t>(in)].dims;
    OCTET_CHECK(dims_agree(produced, consumed), ErrorCode::kInvalidModel, consumer.label(), ": input port ",
                e.to_port, " declares dims ", to_string(consumed), " but ", producer.label(), " port ",
                e.from_port, " declares ", to_string(produced));
    slot = PortSource{from->second, static_cast<size_t>(out)};
    c.output_used[from->second][static_cast<size_t>(out)] = true;
  }

  c.sources.resize(n);
  for (size_t l = 0; l < n; ++l) {
    for (size_t i = 0; i < fed[l].size(); ++i) {
      OCTET_CHECK(fed[l][i].has_value(), ErrorCode::kInvalidModel, doc.layers[l].label(), ": input port ",
                  doc.layers[l].inputs[i].id, " is not connected to anything");
      c.sources[l].push_back(*fed[l][i]);
    }
  }
  c.order = topological_order(doc, c);
  return c;
}

}  // namespace octet::openvino_ir
