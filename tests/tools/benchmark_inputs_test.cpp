// Input tensors of `octet benchmark`: random data (ranges by type and layout, fixed seed) and -i files bound
// by name or by position.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "io/tensor_file.h"
#include "octet/error.h"
#include "tools/benchmark/input_data.h"

namespace octet::tools::benchmark {
namespace {

namespace fs = std::filesystem;

PortInfo port(const std::string& name, ElementType type, Dims dims) {
  return {name, type, Shape(std::move(dims))};
}

template <typename T>
std::pair<double, double> range_of(const Tensor& t) {
  const auto values = t.values<T>();
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {static_cast<double>(*lo), static_cast<double>(*hi)};
}

TEST(BenchmarkInputs, RandomRangesFollowTheTypeAndLayout) {
  EXPECT_TRUE(is_image_like({1, 3, 224, 224}));
  EXPECT_TRUE(is_image_like({1, 224, 224, 3}));
  EXPECT_FALSE(is_image_like({1, 1, 28, 28}));
  EXPECT_FALSE(is_image_like({3, 224}));

  const InputData image = random_input(port("x", ElementType::kF32, {1, 3, 16, 16}), 1);
  auto [lo, hi] = range_of<float>(image.tensor);
  EXPECT_GE(lo, 0.0);
  EXPECT_LE(hi, 255.0);
  EXPECT_GT(hi - lo, 200.0);  // 768 uniform samples spread over most of [0, 255]

  const InputData plain = random_input(port("x", ElementType::kF32, {1, 1, 28, 28}), 1);
  std::tie(lo, hi) = range_of<float>(plain.tensor);
  EXPECT_GE(lo, -1.0);
  EXPECT_LE(hi, 1.0);
  EXPECT_LT(lo, -0.9);
  EXPECT_GT(hi, 0.9);

  const InputData ids = random_input(port("ids", ElementType::kI64, {1, 512}), 1);
  std::tie(lo, hi) = range_of<int64_t>(ids.tensor);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 9);

  const InputData pixels = random_input(port("p", ElementType::kU8, {1, 8, 8, 3}), 1);
  std::tie(lo, hi) = range_of<uint8_t>(pixels.tensor);
  EXPECT_GT(hi, 9);  // image-like u8: 0..255

  const InputData mask = random_input(port("m", ElementType::kBool, {64}), 1);
  std::tie(lo, hi) = range_of<uint8_t>(mask.tensor);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 1);
}

TEST(BenchmarkInputs, RandomDataIsDeterministicPerSeed) {
  const PortInfo in = port("x", ElementType::kF32, {2, 5});
  const Tensor a = random_input(in, 7).tensor, b = random_input(in, 7).tensor, c = random_input(in, 8).tensor;
  EXPECT_TRUE(std::equal(a.values<float>().begin(), a.values<float>().end(), b.values<float>().begin()));
  EXPECT_FALSE(std::equal(a.values<float>().begin(), a.values<float>().end(), c.values<float>().begin()));
  EXPECT_THROW(random_input(port("x", ElementType::kF32, {kDynamicDim, 4}), 1),
               Error);  // dims must be static
}

class BenchmarkInputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("octet_benchmark_inputs_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string npy(const std::string& name, const Tensor& t) const {
    const std::string path = (dir_ / name).string();
    write_npy(path, t);
    return path;
  }
  fs::path dir_;
};

TEST_F(BenchmarkInputFiles, BindsByNameThenByPositionAndFillsTheRestRandomly) {
  const std::vector<PortInfo> inputs = {port("a", ElementType::kF32, {2}), port("b", ElementType::kI64, {3}),
                                        port("c", ElementType::kF32, {1})};
  const std::string b = npy("b.npy", Tensor::from_vector<int64_t>({3}, std::vector<int64_t>{7, 8, 9}));
  const std::string a = npy("a.npy", Tensor::from_vector<float>({2}, std::vector<float>{0.5f, -2.0f}));
  const std::vector<InputData> data = make_inputs({"b=" + b, a}, inputs);
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[0].source, a);
  EXPECT_EQ(data[0].tensor.values<float>()[1], -2.0f);
  EXPECT_EQ(data[1].tensor.values<int64_t>()[2], 9);
  EXPECT_NE(data[2].source.find("random"), std::string::npos);

  // benchmark_app's NAME:FILE and comma-separated lists.
  const std::vector<InputData> colon = make_inputs({"b:" + b + "," + a}, inputs);
  EXPECT_EQ(colon[1].source, b);
  EXPECT_EQ(colon[0].source, a);
}

TEST_F(BenchmarkInputFiles, MismatchesNameTheFileAndTheInput) {
  const std::vector<PortInfo> inputs = {port("a", ElementType::kF32, {2})};
  const std::string wrong = npy("wrong.npy", Tensor(ElementType::kF32, {3}));
  try {
    make_inputs({wrong}, inputs);
    ADD_FAILURE() << "wrong dims accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(wrong), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'a'"), std::string::npos) << e.what();
  }
  const std::string good = npy("good.npy", Tensor(ElementType::kF32, {2}));
  EXPECT_THROW(make_inputs({"zz=" + good}, inputs), Error);              // no such input
  EXPECT_THROW(make_inputs({good, good}, inputs), Error);                // more files than inputs
  EXPECT_THROW(make_inputs({"a=" + good, "a=" + good}, inputs), Error);  // twice
  EXPECT_THROW(make_inputs({(dir_ / "missing.npy").string()}, inputs), Error);
}

}  // namespace
}  // namespace octet::tools::benchmark
