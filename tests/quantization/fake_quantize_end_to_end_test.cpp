// The plan and FakeQuantize insertion end to end, on a ResNet-style and a MobileNet v2-style net
// (quantization_test_graphs.h) with ranges from an fp32 run:
//  (a) the FakeQuantize graph on the reference executor stays close to fp32 (cosine > 0.99 on an input
//      that was not used for the ranges);
//  (b) compiled for the CPU at the model's precision, every Conv / Gemm multiply-accumulate runs in an int8
//      kernel (exec type "_I8"), i.e. the placement leaves no quantized layer in fp32;
//  (c) the int8 result equals the simulated one (reference executor on the FakeQuantize graph) within one
//      quantization step of the output (a FakeQuantize the test puts on the logits).
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <memory>

#include "frontends/onnx/onnx_writer.h"
#include "graph/graph_clone.h"
#include "octet/core.h"
#include "quantization/bias_correction.h"
#include "quantization/cross_layer_equalization.h"
#include "quantization/insert_fake_quantize.h"
#include "tests/quantization/quantization_test_graphs.h"

namespace octet::quantization {
namespace {

struct Int8Run {
  Tensor output;
  int64_t total_macs = 0, int8_macs = 0;
  int conversions = 0;  // executed QuantizeLinear / DequantizeLinear steps
  std::string fp32_layers;
};

Int8Run run_compiled(const Graph& graph, const TensorMap& inputs) {
  auto model = std::make_shared<Model>(std::make_unique<Graph>(clone_graph(graph)));
  const CompiledModel compiled = Core().compile_model(
      model, {.num_threads = 1, .precision = InferencePrecision::kModel, .profiling = true});
  InferRequest request = compiled.create_infer_request();
  for (const PortInfo& port : compiled.inputs()) request.set_input_tensor(port.name, inputs.at(port.name));
  request.infer();
  Int8Run run;
  run.output = request.get_output_tensor(0).clone();
  for (const ProfilingInfo& row : request.get_profiling_info()) {
    if (row.status != ProfilingInfo::Status::kExecuted) continue;
    const bool int8 = row.exec_type.size() > 3 && row.exec_type.ends_with("_I8");
    run.total_macs += row.multiply_accumulates;
    if (int8) run.int8_macs += row.multiply_accumulates;
    if (!int8 && row.multiply_accumulates > 0)
      run.fp32_layers += row.node_name + " (" + row.exec_type + ": " + row.fp32_reason + ") ";
    run.conversions += row.node_type == "QuantizeLinear" || row.node_type == "DequantizeLinear";
  }
  return run;
}

double cosine(const Tensor& a, const Tensor& b) {
  double ab = 0, aa = 0, bb = 0;
  for (int64_t i = 0; i < a.element_count(); ++i) {
    const double x = a.data<float>()[i], y = b.data<float>()[i];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / std::sqrt(aa * bb);
}

struct Quantized {
  Graph graph;
  float output_step = 0;
};

// The model with the plan's FakeQuantizes (ranges from `calibration`) and one on the logits.
Quantized quantize(const Graph& fp32, const TensorMap& calibration) {
  const QuantizationPlan plan = plan_quantization(fp32, {});
  const auto ranges = test::ranges_from_run(fp32, plan, calibration);
  Quantized q{clone_graph(fp32), 0};
  insert_fake_quantize(q.graph, plan, ranges, {.saturation_safe = cpu_needs_saturation_safe_weights()});
  // The logits' range from the same run, widened by a quarter for inputs that reach further.
  const Tensor logits = ReferenceExecutor(fp32).run(calibration).at("logits");
  float bound = 0;
  for (float v : logits.values<float>()) bound = std::max(bound, std::abs(v));
  bound *= 1.25f;
  q.output_step = 2 * bound / 255;
  Value* low = q.graph.add_constant("logits/low", Tensor::scalar(-128 * q.output_step));
  Value* high = q.graph.add_constant("logits/high", Tensor::scalar(127 * q.output_step));
  Node* fq =
      q.graph.add_node("FakeQuantize", "logits/fq", {q.graph.find_value("logits"), low, high, low, high},
                       {"logits_q"}, {{"levels", int64_t{256}}});
  q.graph.set_outputs({fq->output(0)});
  infer_shapes(q.graph);
  return q;
}

void expect_int8_end_to_end(const Graph& fp32, const std::string& model) {
  const TensorMap calibration = test::random_inputs(fp32, 100);
  const TensorMap inputs = test::random_inputs(fp32, 200);
  const Quantized q = quantize(fp32, calibration);

  const Tensor reference = ReferenceExecutor(fp32).run(inputs).at("logits");
  const Tensor simulated = ReferenceExecutor(q.graph).run(inputs).at("logits_q");
  EXPECT_GT(cosine(reference, simulated), 0.99) << model;  // (a)

  // The FakeQuantize form has an exact ONNX QDQ form (what `octet quantize --out x.onnx` writes).
  EXPECT_NO_THROW(write_onnx_to_bytes(q.graph)) << model;

  const Int8Run run = run_compiled(q.graph, inputs);
  ASSERT_GT(run.total_macs, 0);
  EXPECT_EQ(run.int8_macs, run.total_macs) << model << ": fp32 layers: " << run.fp32_layers;  // (b)
  ASSERT_EQ(run.output.dims(), simulated.dims());
  float worst = 0;
  for (int64_t i = 0; i < simulated.element_count(); ++i)
    worst = std::max(worst, std::abs(run.output.data<float>()[i] - simulated.data<float>()[i]));
  EXPECT_LE(worst, q.output_step * 1.001f) << model << ": int8 vs simulated, step " << q.output_step;  // (c)
  std::cout << "[ INFO ] " << model << ": int8 MACs " << run.int8_macs << " / " << run.total_macs
            << ", quantize/dequantize steps " << run.conversions << ", cosine to fp32 "
            << cosine(reference, simulated) << ", int8 vs simulated max diff " << worst / q.output_step
            << " steps\n";
}

TEST(FakeQuantizeEndToEndTest, ResNetRunsInInt8) {
  expect_int8_end_to_end(test::mini_resnet(), "resnet");
}

TEST(FakeQuantizeEndToEndTest, MobileNetV2RunsInInt8) {
  expect_int8_end_to_end(test::mini_mobilenet_v2(), "mobilenet_v2");
}

// The corrections keep the placement: after CLE (fp32) and bias correction (quantized), still all int8.
TEST(FakeQuantizeEndToEndTest, CorrectedMobileNetV2RunsInInt8) {
  Graph fp32 = test::mini_mobilenet_v2();
  EXPECT_GT(equalize_cross_layer(fp32), 0);
  infer_shapes(fp32);
  const TensorMap calibration = test::random_inputs(fp32, 100);
  Quantized q = quantize(fp32, calibration);
  // Per-channel means of every conv input, from the fp32 run.
  const TensorMap all = ReferenceExecutor(fp32).run_all(calibration);
  std::map<std::string, std::vector<double>> means;
  for (const Node* node : fp32.nodes()) {
    if (node->op_type() != "Conv") continue;
    const Tensor& x = all.at(node->input(0)->name());
    const int64_t channels = x.dims()[1], spatial = x.element_count() / channels;
    std::vector<double>& m = means[node->name()];
    for (int64_t c = 0; c < channels; ++c) {
      double sum = 0;
      for (int64_t i = 0; i < spatial; ++i) sum += x.data<float>()[c * spatial + i];
      m.push_back(sum / static_cast<double>(spatial));
    }
  }
  EXPECT_GT(correct_biases(q.graph, means), 0);
  infer_shapes(q.graph);
  const Int8Run run = run_compiled(q.graph, calibration);
  EXPECT_EQ(run.int8_macs, run.total_macs) << run.fp32_layers;
}

}  // namespace
}  // namespace octet::quantization
