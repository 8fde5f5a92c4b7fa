// Puts a QuantizationPlan into the graph as OpenVINO FakeQuantize nodes (the form `octet quantize` writes and
// the low-precision passes turn into int8): activations with levels 256 over the calibrated range, weights
// symmetric per output channel (quantization/weight_quantization.h).
#pragma once

#include <map>
#include <string>

#include "graph/graph.h"
#include "quantization/quantization_plan.h"
#include "quantization/range_estimators.h"
#include "quantization/weight_quantization.h"

namespace octet::quantization {

// Adds FakeQuantize nodes: one per activation target (its consumers in the plan read the FakeQuantize
// output; no consumers listed = every reader) with the given range, and one per weight (per output channel,
// symmetric, from the weight values). A range whose zero point is not an integer is moved onto the nearest
// grid that has one; an empty range (a tensor of zeros) becomes [0, 1]. Names: "<tensor>/fq" and
// "<node>/weights/fq". Throws kInvalidArgument when a plan name is not in the graph or a range is missing.
void insert_fake_quantize(Graph& graph, const QuantizationPlan& plan,
                          const std::map<std::string, QuantizationRange>& activation_ranges,
                          const WeightOptions& weights);

// Removes the FakeQuantize nodes of one layer (its activation inputs and weights): accuracy control's revert.
// A FakeQuantize other nodes still read stays for them; where the plan put it above precision-preserving
// ops, those that only lead to this layer read fp32 from then on, and the layer gets an fp32 copy of those
// also read by others (a MaxPool feeding two branches). The FakeQuantize on the
// layer's output (its consumers' input) stays. Throws kInvalidArgument for an unknown node.
void revert_layer_to_fp32(Graph& graph, const std::string& node);

// Whether the node exists and one of its inputs is a FakeQuantize output (directly or through the
// precision-preserving ops above which the plan put it): whether reverting it would change anything.
bool reads_fake_quantize(const Graph& graph, const std::string& node);

}  // namespace octet::quantization
