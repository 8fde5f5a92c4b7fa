// dataset::Dataset: list files (labels, annotations, malformed lines with their line numbers), image folders,
// [N,...] .npy files read row by row, the seeded subset, and loading images against the shared test sets'
// stored input tensors.
#include "dataset/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "io/tensor_file.h"
#include "tests/io/test_paths.h"

namespace octet::dataset {
namespace {

namespace fs = std::filesystem;
using octet::testing::scratch_path;
using octet::testing::shared_file;

// A fresh folder with empty files `names` in it (existence is all open() checks).
fs::path folder_with(const std::string& name, const std::vector<std::string>& files) {
  const fs::path dir = scratch_path(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const std::string& f : files) {
    fs::create_directories((dir / f).parent_path());
    std::ofstream(dir / f) << "x";
  }
  return dir;
}

fs::path write_list(const fs::path& dir, const std::string& text) {
  const fs::path list = dir / "list.txt";
  std::ofstream(list) << text;
  return list;
}

// The message of the octet::Error that opening `list` throws ("" if none).
std::string open_error(const fs::path& list, ErrorCode* code = nullptr) {
  try {
    Dataset::open(list.string(), {});
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return "";
}

TEST(DatasetTest, ListFileLabelsAnnotationsAndComments) {
  const fs::path dir = folder_with("list_ok", {"a.jpg", "sub/b b.png", "c.npy", "masks/c.png"});
  const fs::path list = write_list(dir,
                                   "# header comment\n"
                                   "a.jpg\t3\n"
                                   "\n"
                                   "sub/b b.png\t12\r\n"
                                   "c.npy 0 masks/c.png\n");
  const Dataset data = Dataset::open(list.string(), {});
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data.sample(0).path, (dir / "a.jpg").string());
  EXPECT_EQ(data.sample(0).label, 3);
  EXPECT_EQ(data.sample(1).path, (dir / "sub/b b.png").string());  // tab-separated: spaces stay in the name
  EXPECT_EQ(data.sample(1).label, 12);
  EXPECT_EQ(data.sample(2).label, 0);
  EXPECT_EQ(data.sample(2).annotation, (dir / "masks/c.png").string());
  EXPECT_THROW(data.sample(3), Error);
}

TEST(DatasetTest, MalformedListLinesNameFileAndLine) {
  const fs::path dir = folder_with("list_bad", {"a.jpg", "b.jpg"});
  const std::string ok = "a.jpg\t1\n";
  struct Case {
    std::string line;
    std::string message_part;
    ErrorCode code;
  };
  const std::vector<Case> cases = {
      {"b.jpg\t1\t2", "two labels", ErrorCode::kInvalidArgument},
      {"b.jpg\t-1", "must be >= 0", ErrorCode::kInvalidArgument},
      {"b.jpg\t3.5", "'3.5' is not a valid label", ErrorCode::kInvalidArgument},
      {"b.jpg\t1\tx\ty", "4 columns", ErrorCode::kInvalidArgument},
      {"b.jpg\t\t1", "empty column", ErrorCode::kInvalidArgument},
      {"missing.jpg\t1", "missing.jpg does not exist", ErrorCode::kIo},
      {"b.jpg\t1\tnomask.png", "nomask.png does not exist", ErrorCode::kIo},
      {"b.jpg", "line 1 has a label but line 2 has none", ErrorCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    const fs::path list = write_list(dir, ok + c.line + "\n");
    ErrorCode code = ErrorCode::kInternal;
    const std::string message = open_error(list, &code);
    EXPECT_NE(message.find(c.message_part), std::string::npos) << message;
    if (c.message_part.find("line 1 has") == std::string::npos) {
      EXPECT_NE(message.find(list.string() + ":2: "), std::string::npos) << message;
    }
    EXPECT_EQ(code, c.code);
  }
  EXPECT_NE(open_error(write_list(dir, "# only a comment\n")).find("has no samples"), std::string::npos);
  ErrorCode code = ErrorCode::kInternal;
  EXPECT_NE(open_error(dir / "no_such_list.txt", &code).find("does not exist"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kIo);
}

TEST(DatasetTest, FolderIsSortedAndSkipsOtherFiles) {
  const fs::path dir = folder_with("folder", {"b.JPEG", "a.png", "notes.txt", "c.npy", "sub/d.jpg"});
  const Dataset data = Dataset::open(dir.string(), {});
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(fs::path(data.sample(0).path).filename(), "a.png");
  EXPECT_EQ(fs::path(data.sample(1).path).filename(), "b.JPEG");
  EXPECT_EQ(fs::path(data.sample(2).path).filename(), "c.npy");
  EXPECT_FALSE(data.sample(0).label.has_value());
  const fs::path empty = folder_with("empty_folder", {"readme.txt"});
  EXPECT_NE(open_error(empty).find("holds no .jpg"), std::string::npos);
}

TEST(DatasetTest, NpyFileIsSplitAlongAxisZeroAndFitsTheInput) {
  std::vector<float> values(5 * 2 * 3);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  const std::string path = scratch_path("rows.npy");
  write_npy(path, Tensor::from_vector<float>({5, 2, 3}, values));
  const Dataset data = Dataset::open(path, {});
  ASSERT_EQ(data.size(), 5u);
  Graph graph;
  const Value& dynamic = *graph.add_input("x", ElementType::kF32, Shape({kDynamicDim, 2, 3}));
  const Tensor row3 = data.load(3, dynamic);
  ASSERT_EQ(row3.dims(), (Dims{1, 2, 3}));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(row3.values<float>()[i], 18 + i);  // row 3 starts at 3 * 6
  // A static input of another shape with the same element count takes the row reshaped.
  const Value& flat = *graph.add_input("y", ElementType::kF32, Shape({1, 6}));
  EXPECT_EQ(data.load(4, flat).values<float>()[5], 29.f);
  const Value& wrong = *graph.add_input("z", ElementType::kF32, Shape({1, 3, 2, 2}));
  try {
    data.load(0, wrong);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("rows.npy row 0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[1,3,2,2]"), std::string::npos) << e.what();
  }
}

TEST(DatasetTest, NpyFilesInAFolderAreOneSampleEachAndConvertedToF32) {
  const fs::path dir = folder_with("npy_folder", {});
  const std::vector<uint8_t> bytes = {1, 2, 3, 250};
  write_npy((dir / "s0.npy").string(), Tensor::from_vector<uint8_t>({4}, bytes));
  const Dataset data = Dataset::open(dir.string(), {});
  ASSERT_EQ(data.size(), 1u);
  Graph graph;
  const Tensor t = data.load(0, *graph.add_input("x", ElementType::kF32, Shape({1, 4})));
  ASSERT_EQ(t.type(), ElementType::kF32);
  EXPECT_EQ(t.dims(), (Dims{1, 4}));  // the missing batch dim is added
  EXPECT_EQ(t.values<float>()[3], 250.f);
}

// Several model inputs: NAME=SOURCE pairs, the same rows from each source, integer .npy data kept as integers
// for an integer input (embedding indices), and errors that name both sides.
TEST(DatasetTest, NamedSourcesFeedEachInputWithTheSameRows) {
  const fs::path dir = folder_with("named_sources", {});
  std::vector<int64_t> users(6 * 2), items(6 * 2);
  for (size_t i = 0; i < users.size(); ++i) {
    users[i] = (int64_t{1} << 40) + static_cast<int64_t>(i);  // beyond f32's exact integers
    items[i] = 100 + static_cast<int64_t>(i);
  }
  write_npy((dir / "users.npy").string(), Tensor::from_vector<int64_t>({6, 2}, users));
  write_npy((dir / "items.npy").string(), Tensor::from_vector<int64_t>({6, 2}, items));
  write_npy((dir / "short.npy").string(), Tensor::from_vector<int64_t>({5, 2}, std::vector<int64_t>(10, 0)));
  const std::string source = "user=" + (dir / "users.npy").string() + ",item=" + (dir / "items.npy").string();
  Graph graph;
  Value* user = graph.add_input("user", ElementType::kI64, Shape({2}));
  Value* item = graph.add_input("item", ElementType::kI64, Shape({2}));
  DatasetOptions options;
  options.subset = 3;
  options.seed = 7;
  const Dataset data = Dataset::open(source, options);
  ASSERT_EQ(data.size(), 3u);
  for (size_t i = 0; i < data.size(); ++i) {
    const std::map<std::string, Tensor> feeds = data.load_inputs(i, {user, item});
    ASSERT_EQ(feeds.size(), 2u);
    const Tensor& u = feeds.at("user");
    const Tensor& v = feeds.at("item");
    ASSERT_EQ(u.type(), ElementType::kI64);
    ASSERT_EQ(u.dims(), (Dims{2}));
    const int64_t row = (u.values<int64_t>()[0] - (int64_t{1} << 40)) / 2;
    EXPECT_EQ(u.values<int64_t>()[1], (int64_t{1} << 40) + 2 * row + 1);  // exact: no trip through f32
    EXPECT_EQ(v.values<int64_t>()[0], 100 + 2 * row);                     // the same row of the other source
  }
  const auto message = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  Value* other = graph.add_input("other", ElementType::kF32, Shape({2}));
  EXPECT_NE(message([&] {
              data.load_inputs(0, {user, other});
            }).find("names input 'item'"),
            std::string::npos);
  EXPECT_NE(message([&] {
              data.load_inputs(0, {user, item, other});
            }).find("no source for model input 'other'"),
            std::string::npos);
  EXPECT_NE(message([&] {
              Dataset::open("user=" + (dir / "users.npy").string() + ",item=" + (dir / "short.npy").string(),
                            {});
            }).find("holds 5 samples"),
            std::string::npos);
  EXPECT_NE(message([&] {
              Dataset::open(source + ",user=" + (dir / "items.npy").string(), {});
            }).find("input 'user' is given twice"),
            std::string::npos);
  const Dataset single = Dataset::open((dir / "users.npy").string(), {});
  EXPECT_NE(message([&] {
              single.load_inputs(0, {user, item});
            }).find("the model has 2 inputs (user, item)"),
            std::string::npos);
}

TEST(DatasetTest, SeededSubsetIsAFixedPermutation) {
  // Expected permutations from a Python re-implementation of std::mt19937_64 and the same rejection-sampled
  // Fisher-Yates (tests/evaluation/data/resnet20_cifar10_oracle.py, permutation()).
  EXPECT_EQ(seeded_permutation(10, 7), (std::vector<size_t>{0, 7, 4, 9, 3, 1, 2, 8, 6, 5}));
  EXPECT_EQ(seeded_permutation(5, 123456789), (std::vector<size_t>{2, 4, 3, 1, 0}));

  std::vector<Sample> samples(10);
  for (int i = 0; i < 10; ++i) samples[i].label = i;
  DatasetOptions options;
  options.subset = 4;
  const Dataset first = Dataset::from_samples(samples, options);
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(first.sample(3).label, 3);  // seed 0: file order
  options.seed = 7;
  const Dataset shuffled = Dataset::from_samples(samples, options);
  ASSERT_EQ(shuffled.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(shuffled.sample(i).label, std::vector<int>({0, 7, 4, 9})[i]);
  options.subset = 50;  // more than there are: all of them
  EXPECT_EQ(Dataset::from_samples(samples, options).size(), 10u);
}

TEST(DatasetTest, ImageMatchesTheSharedTestSetInput) {
  const std::string list = shared_file("data/cifar10/labels.txt");
  const std::string expected_file =
      shared_file("models/cifar10/resnet20_cifar10.testdata/test_data_set_0/input_0.pb");
  if (list.empty() || expected_file.empty()) GTEST_SKIP() << "shared CIFAR-10 data missing";
  // resnet20's preprocessing (shared/README.md 1.2) on 0..255 values: mean 255 * (0.485, 0.456, 0.406),
  // std 255 * (0.229, 0.224, 0.225).
  DatasetOptions options;
  options.preprocess.mean = {123.675f, 116.28f, 103.53f};
  options.preprocess.std = {58.395f, 57.12f, 57.375f};
  options.subset = 1;
  const Dataset data = Dataset::open(list, options);  // first line: airplane/0000.jpg, set 0's image
  Graph graph;
  const Value& input = *graph.add_input("input", ElementType::kF32, Shape({kDynamicDim, 3, 32, 32}));
  const Tensor actual = data.load(0, input);
  const Tensor expected = read_tensor_file(expected_file).tensor;
  ASSERT_EQ(actual.dims(), expected.dims());
  for (int64_t i = 0; i < actual.element_count(); ++i)
    ASSERT_NEAR(actual.values<float>()[i], expected.values<float>()[i], 1e-5) << i;
}

TEST(DatasetTest, ImagesAreResizedToTheInputUnlessAResizeIsSet) {
  const std::string image = shared_file("data/images/cat.png");
  if (image.empty()) GTEST_SKIP() << "shared images missing";
  Graph graph;
  const Value& input = *graph.add_input("x", ElementType::kF32, Shape({1, 3, 40, 30}));
  DatasetOptions options;
  EXPECT_EQ(Dataset::open(image, options).load(0, input).dims(), (Dims{1, 3, 40, 30}));
  options.resize_set = true;
  options.preprocess.resize_mode = ResizeMode::kExact;
  options.preprocess.resize_width = 20;
  options.preprocess.resize_height = 20;
  try {
    Dataset::open(image, options).load(0, input);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cat.png: the sample is f32[1,3,20,20]"), std::string::npos)
        << e.what();
  }
}

TEST(DatasetTest, ParseResize) {
  PreprocessOptions options;
  parse_resize("256", options);
  EXPECT_EQ(options.resize_mode, ResizeMode::kShorterSide);
  EXPECT_EQ(options.resize_shorter, 256);
  parse_resize("96x64", options);
  EXPECT_EQ(options.resize_mode, ResizeMode::kExact);
  EXPECT_EQ(options.resize_width, 96);
  EXPECT_EQ(options.resize_height, 64);
  for (const char* bad : {"", "0", "-3", "12a", "x5", "5x", "3x0"})
    EXPECT_THROW(parse_resize(bad, options), Error) << bad;
}

}  // namespace
}  // namespace octet::dataset
