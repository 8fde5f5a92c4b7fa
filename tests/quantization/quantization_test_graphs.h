// Small fp32 networks for the quantization tests, built directly in the graph IR with seeded random weights
// (He-uniform, so activations stay of order 1 through the layers): a ResNet-style net (stem, max pool,
// residual blocks with a projection shortcut, global pool, fully connected) and a MobileNet v2-style net
// (inverted residual blocks with ReLU6, depthwise convolutions, linear bottlenecks).
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "ops/shape_inference.h"
#include "quantization/quantization_plan.h"
#include "quantization/range_estimators.h"
#include "reference/reference_executor.h"
#include "tests/passes/pass_test_support.h"

namespace octet::test {

class NetBuilder {
 public:
  explicit NetBuilder(uint32_t seed = 7) : seed_(seed) {}

  Graph& graph() { return g_; }
  Value* input(const std::string& name, Dims dims) { return g_.add_input(name, ElementType::kF32, dims); }

  // Conv with `k` x `k` kernel, pads keeping the size (at stride 1), bias, `group` groups.
  Value* conv(const std::string& name, Value* x, int64_t in, int64_t out, int64_t k, int64_t stride = 1,
              int64_t group = 1, bool bias = true) {
    const int64_t fan_in = in / group * k * k;
    const float a = std::sqrt(6.0f / static_cast<float>(fan_in));
    Value* w = g_.add_constant(name + ".weight", random_f32({out, in / group, k, k}, seed_++, -a, a));
    std::vector<Value*> inputs{x, w};
    if (bias) inputs.push_back(g_.add_constant(name + ".bias", random_f32({out}, seed_++, -0.1f, 0.1f)));
    const int64_t pad = k / 2;
    return g_
        .add_node("Conv", name, inputs, {name + "_out"},
                  {{"kernel_shape", std::vector<int64_t>{k, k}},
                   {"strides", std::vector<int64_t>{stride, stride}},
                   {"pads", std::vector<int64_t>{pad, pad, pad, pad}},
                   {"group", group}})
        ->output(0);
  }
  Value* relu(const std::string& name, Value* x) {
    return g_.add_node("Relu", name, {x}, {name + "_out"})->output(0);
  }
  Value* relu6(const std::string& name, Value* x) {
    Value* low = g_.add_constant(name + ".min", Tensor::scalar(0.0f));
    Value* high = g_.add_constant(name + ".max", Tensor::scalar(6.0f));
    return g_.add_node("Clip", name, {x, low, high}, {name + "_out"})->output(0);
  }
  Value* add(const std::string& name, Value* a, Value* b) {
    return g_.add_node("Add", name, {a, b}, {name + "_out"})->output(0);
  }
  Value* max_pool(const std::string& name, Value* x) {
    return g_
        .add_node("MaxPool", name, {x}, {name + "_out"},
                  {{"kernel_shape", std::vector<int64_t>{3, 3}},
                   {"strides", std::vector<int64_t>{2, 2}},
                   {"pads", std::vector<int64_t>{1, 1, 1, 1}}})
        ->output(0);
  }
  // GlobalAveragePool -> Flatten -> Gemm (transB) with `classes` outputs.
  Value* classifier(const std::string& name, Value* x, int64_t channels, int64_t classes) {
    Value* pooled = g_.add_node("GlobalAveragePool", name + "_pool", {x}, {name + "_pool_out"})->output(0);
    Value* flat =
        g_.add_node("Flatten", name + "_flatten", {pooled}, {name + "_flat"}, {{"axis", int64_t{1}}})
            ->output(0);
    const float a = std::sqrt(6.0f / static_cast<float>(channels));
    Value* w = g_.add_constant(name + ".weight", random_f32({classes, channels}, seed_++, -a, a));
    Value* b = g_.add_constant(name + ".bias", random_f32({classes}, seed_++, -0.1f, 0.1f));
    return g_.add_node("Gemm", name, {flat, w, b}, {name + "_out"}, {{"transB", int64_t{1}}})->output(0);
  }

 private:
  Graph g_;
  uint32_t seed_;
};

// ResNet-style: stem conv s2 + ReLU, max pool, a basic block (identity shortcut), a basic block with stride
// 2 and a 1x1 projection shortcut, global pool, fully connected. Input [1, 3, 32, 32], output "logits".
inline Graph mini_resnet() {
  NetBuilder b(11);
  Value* x = b.input("image", {1, 3, 32, 32});
  Value* v = b.relu("stem_relu", b.conv("stem", x, 3, 16, 3, 2));
  v = b.max_pool("pool", v);
  Value* y = b.relu("b1_relu1", b.conv("b1_conv1", v, 16, 16, 3));
  y = b.conv("b1_conv2", y, 16, 16, 3);
  v = b.relu("b1_relu", b.add("b1_add", y, v));
  y = b.relu("b2_relu1", b.conv("b2_conv1", v, 16, 32, 3, 2));
  y = b.conv("b2_conv2", y, 32, 32, 3);
  Value* shortcut = b.conv("b2_down", v, 16, 32, 1, 2);
  v = b.relu("b2_relu", b.add("b2_add", y, shortcut));
  Value* logits = b.classifier("fc", v, 32, 10);
  b.graph().rename_value(logits, "logits");
  b.graph().add_output(logits);
  infer_shapes(b.graph());
  return std::move(b.graph());
}

// MobileNet v2-style: stem conv s2 + ReLU6, an expansion-1 block (depthwise, projection), an expansion-6
// block with a residual Add, an expansion-6 block with stride 2, a 1x1 conv + ReLU6, global pool, fully
// connected. Input [1, 3, 32, 32], output "logits".
inline Graph mini_mobilenet_v2() {
  NetBuilder b(23);
  Value* x = b.input("image", {1, 3, 32, 32});
  Value* v = b.relu6("stem_relu", b.conv("stem", x, 3, 16, 3, 2));
  v = b.relu6("ir1_dw_relu", b.conv("ir1_dw", v, 16, 16, 3, 1, 16));
  v = b.conv("ir1_project", v, 16, 8, 1);
  Value* y = b.relu6("ir2_expand_relu", b.conv("ir2_expand", v, 8, 48, 1));
  y = b.relu6("ir2_dw_relu", b.conv("ir2_dw", y, 48, 48, 3, 1, 48));
  y = b.conv("ir2_project", y, 48, 8, 1);
  v = b.add("ir2_add", y, v);
  y = b.relu6("ir3_expand_relu", b.conv("ir3_expand", v, 8, 48, 1));
  y = b.relu6("ir3_dw_relu", b.conv("ir3_dw", y, 48, 48, 3, 2, 48));
  v = b.conv("ir3_project", y, 48, 16, 1);
  v = b.relu6("head_relu", b.conv("head", v, 16, 64, 1));
  Value* logits = b.classifier("fc", v, 64, 10);
  b.graph().rename_value(logits, "logits");
  b.graph().add_output(logits);
  infer_shapes(b.graph());
  return std::move(b.graph());
}

// Ranges of the plan's tensors from one fp32 run on `inputs` (min / max widened to 0, zero point moved onto
// an integer, as the range estimators promise), low = 0 for the tensors the plan marks non-negative.
inline std::map<std::string, quantization::QuantizationRange> ranges_from_run(
    const Graph& graph, const quantization::QuantizationPlan& plan, const TensorMap& inputs) {
  const TensorMap all = ReferenceExecutor(graph).run_all(inputs);
  std::map<std::string, quantization::QuantizationRange> ranges;
  for (const quantization::ActivationTarget& target : plan.activations) {
    const Tensor& t = all.at(target.tensor);
    float low = 0.0f, high = 0.0f;
    for (float v : t.values<float>()) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
    if (target.non_negative_hint) low = 0.0f;
    const float scale = (high - low) / 255.0f;
    const float zero_point = std::round(-low / scale);
    ranges[target.tensor] = {-zero_point * scale, (255.0f - zero_point) * scale, 256};
  }
  return ranges;
}

}  // namespace octet::test
