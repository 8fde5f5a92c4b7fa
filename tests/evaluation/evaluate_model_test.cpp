// evaluate_model's loop on a one-Relu model that passes each .npy sample through, so that the samples are the
// outputs: mAP from box files, mean IoU from masks, and top-1 with and without labels (predictions for
// top1_agreement).
#include "evaluation/evaluate_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/tensor_file.h"
#include "ops/shape_inference.h"
#include "tests/io/test_paths.h"

namespace octet::evaluation {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<Model> relu_model(const Dims& dims) {
  auto graph = std::make_unique<Graph>();
  Value* x = graph->add_input("x", ElementType::kF32, Shape(dims));
  Node* relu = graph->add_node("Relu", "relu", {x}, {"y"});
  graph->add_output(relu->output(0));
  infer_shapes(*graph);
  return std::make_shared<Model>(std::move(graph));
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = octet::testing::scratch_path(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(EvaluateModelTest, MeanAveragePrecisionFromBoxFiles) {
  // Image 0: one detection of class 1 on its box (TP). Image 1: a class-1 detection off target (FP) and its
  // box missed. Class 1: recall .5 then .5, precision 1 then .5 -> 11-point AP = 6/11 (recall >= 0..0.5).
  const fs::path dir = fresh_dir("eval_map");
  const std::vector<float> image0 = {0, 1, .9f, 0, 0, .5f, .5f, -1, 0, 0, 0, 0, 0, 0};
  const std::vector<float> image1 = {0, 1, .8f, .6f, .6f, .9f, .9f, 0, 2, .1f, 0, 0, .1f, .1f};
  write_npy((dir / "0.npy").string(), Tensor::from_vector<float>({1, 1, 2, 7}, image0));
  write_npy((dir / "1.npy").string(), Tensor::from_vector<float>({1, 1, 2, 7}, image1));
  std::ofstream(dir / "0.txt") << "1 0 0 0.5 0.5\n";
  std::ofstream(dir / "1.txt") << "size 10 10\n1 0 0 4 4\n";
  std::ofstream(dir / "list.txt") << "0.npy\t0.txt\n1.npy\t1.txt\n";
  const dataset::Dataset data = dataset::Dataset::open((dir / "list.txt").string(), {});
  EvaluationOptions options;
  options.metric = Metric::kMap;
  options.compile.num_threads = 1;
  const EvaluationResult r = evaluate_model(relu_model({1, 1, 2, 7}), data, options, "relu");
  EXPECT_EQ(r.count, 2u);
  EXPECT_NEAR(r.value("map"), 6.0 / 11, 1e-9);
}

TEST(EvaluateModelTest, MeanIouFromMasksAtTheMaskResolution) {
  // Scores [1,2,1,2]: pixel 0 -> class 1, pixel 1 -> class 0; resized (nearest) to the 2x2 mask's size the
  // prediction is [[1,0],[1,0]]. Mask [[1,1],[0,255]] (the last pixel ignored):
  //   class 0: TP 0, truth 1 pixel, predicted 1 other pixel -> IoU 0
  //   class 1: TP 1, truth 2, predicted 2 -> 1 / (2 + 2 - 1) = 1/3
  // mean IoU 1/6; pixel accuracy 1/3.
  const fs::path dir = fresh_dir("eval_miou");
  const std::vector<float> scores = {0.f, 3.f, 2.f, 1.f};  // channel 0: (0, 3), channel 1: (2, 1)
  write_npy((dir / "s.npy").string(), Tensor::from_vector<float>({1, 2, 1, 2}, scores));
  const std::vector<uint8_t> mask = {1, 1, 0, 255};
  write_npy((dir / "m.npy").string(), Tensor::from_vector<uint8_t>({2, 2}, mask));
  std::ofstream(dir / "list.txt") << "s.npy\tm.npy\n";
  const dataset::Dataset data = dataset::Dataset::open((dir / "list.txt").string(), {});
  EvaluationOptions options;
  options.metric = Metric::kMiou;
  options.compile.num_threads = 1;
  const EvaluationResult r = evaluate_model(relu_model({1, 2, 1, 2}), data, options);
  EXPECT_DOUBLE_EQ(r.value("miou"), 1.0 / 6);
  EXPECT_DOUBLE_EQ(r.value("pixel_accuracy"), 1.0 / 3);
}

TEST(EvaluateModelTest, Top1WithAndWithoutLabels) {
  const fs::path dir = fresh_dir("eval_top1");
  const std::vector<float> rows = {0, 2, 1, 5, 0, 0, 1, 1, 3};  // argmax 1, 0, 2
  write_npy((dir / "rows.npy").string(), Tensor::from_vector<float>({3, 3}, rows));
  EvaluationOptions options;
  options.top_k = 2;
  options.compile.num_threads = 1;
  std::vector<std::pair<size_t, size_t>> progress;
  options.progress = [&](size_t done, size_t total) { progress.emplace_back(done, total); };
  // Unlabeled (an .npy source): predictions only, which accuracy control compares between two models.
  const dataset::Dataset unlabeled = dataset::Dataset::open((dir / "rows.npy").string(), {});
  const EvaluationResult u = evaluate_model(relu_model({kDynamicDim, 3}), unlabeled, options);
  EXPECT_TRUE(u.values.empty());
  EXPECT_EQ(u.predictions, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(progress.back(), std::make_pair(size_t{3}, size_t{3}));
  EXPECT_THROW(u.value("top1"), Error);

  // The same rows as one file each, labels 1, 2, 2: top-1 hits samples 0 and 2; sample 1's class 2 ranks
  // third in (5, 0, 0) (ties to the lower index), a top-2 miss too. top1 = top2 = 2/3.
  std::vector<dataset::Sample> samples(3);
  for (int i = 0; i < 3; ++i) {
    samples[i].path = (dir / (std::to_string(i) + ".npy")).string();
    write_npy(samples[i].path,
              Tensor::from_vector<float>({1, 3}, std::span<const float>(rows.data() + 3 * i, 3)));
    samples[i].label = std::vector<int>{1, 2, 2}[i];
  }
  const EvaluationResult l =
      evaluate_model(relu_model({1, 3}), dataset::Dataset::from_samples(samples, {}), options);
  EXPECT_DOUBLE_EQ(l.value("top1"), 2.0 / 3);
  EXPECT_DOUBLE_EQ(l.value("top2"), 2.0 / 3);
}

}  // namespace
}  // namespace octet::evaluation
