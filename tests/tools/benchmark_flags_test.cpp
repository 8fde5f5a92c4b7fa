// Flags of `octet benchmark`: the one-dash rewrite, CLI11 parsing with benchmark_app's spellings, the checks
// that name the flag, -shape / -b and the compile configuration they give.
#include "tools/benchmark/benchmark_flags.h"

#include <gtest/gtest.h>

#include "octet/error.h"

namespace octet::tools::benchmark {
namespace {

using Args = std::vector<std::string>;

// Parses `octet benchmark ARGS...` as main() does (rewrite, then CLI11) and returns the flags.
BenchmarkFlags parse(const Args& benchmark_args) {
  CLI::App app;
  BenchmarkFlags flags;
  add_benchmark_flags(*app.add_subcommand("benchmark"), flags);
  Args args = {"octet", "benchmark"};
  args.insert(args.end(), benchmark_args.begin(), benchmark_args.end());
  args = rewrite_single_dash_flags(args);
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return flags;
}

std::string parse_error(const Args& args) {
  try {
    parse(args);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

std::string validation_error(const Args& args) {
  try {
    validate_benchmark_flags(parse(args));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(BenchmarkFlags, RewritesOnlyKnownOneDashNamesAfterTheSubcommand) {
  EXPECT_EQ(rewrite_single_dash_flags({"octet", "benchmark", "-m", "a.onnx", "-niter", "5", "-pc", "-nireq=2",
                                       "-t", "3", "--json", "x", "-shape", "[1,2]", "-unknown", "-1"}),
            Args({"octet", "benchmark", "-m", "a.onnx", "--niter", "5", "--pc", "--nireq=2", "-t", "3",
                  "--json", "x", "--shape", "[1,2]", "-unknown", "-1"}));
  // Other subcommands keep their arguments, even ones that look like benchmark flags.
  EXPECT_EQ(rewrite_single_dash_flags({"octet", "run", "-pc", "benchmark"}),
            Args({"octet", "run", "-pc", "benchmark"}));
  EXPECT_EQ(rewrite_single_dash_flags({"octet"}), Args({"octet"}));
  // After "--" everything is positional.
  EXPECT_EQ(rewrite_single_dash_flags({"octet", "benchmark", "--", "-pc"}),
            Args({"octet", "benchmark", "--", "-pc"}));
}

TEST(BenchmarkFlags, ParsesBenchmarkAppSpellings) {
  const BenchmarkFlags f = parse({"-m",
                                  "model.onnx",
                                  "-d",
                                  "CPU",
                                  "-niter",
                                  "20",
                                  "-t",
                                  "2.5",
                                  "-nthreads",
                                  "2",
                                  "-nstreams",
                                  "2",
                                  "-nireq",
                                  "4",
                                  "-hint",
                                  "throughput",
                                  "-api",
                                  "async",
                                  "-b",
                                  "8",
                                  "-shape",
                                  "x[1,3,8,8]",
                                  "-i",
                                  "a.npy,b.npy",
                                  "-i",
                                  "c.npy",
                                  "-pc",
                                  "-pcsort",
                                  "sort",
                                  "-report_type",
                                  "average_counters",
                                  "-report_folder",
                                  "out",
                                  "-latency_percentile",
                                  "90",
                                  "-infer_precision",
                                  "f32",
                                  "--json",
                                  "r.json",
                                  "--trace",
                                  "t.json"});
  EXPECT_EQ(f.model, "model.onnx");
  EXPECT_EQ(f.niter, 20);
  EXPECT_DOUBLE_EQ(f.time_s, 2.5);
  EXPECT_EQ(f.nthreads, 2);
  EXPECT_EQ(f.nstreams, 2);
  EXPECT_EQ(f.nireq, 4);
  EXPECT_EQ(f.hint, "throughput");
  EXPECT_EQ(f.api, "async");
  EXPECT_EQ(f.batch, 8);
  EXPECT_EQ(f.shape, "x[1,3,8,8]");
  EXPECT_EQ(f.inputs, Args({"a.npy,b.npy", "c.npy"}));
  EXPECT_TRUE(f.pc);
  EXPECT_EQ(f.pcsort, "sort");
  EXPECT_EQ(f.report_type, "average_counters");
  EXPECT_EQ(f.report_folder, "out");
  EXPECT_EQ(f.latency_percentile, 90);
  EXPECT_EQ(f.infer_precision, "f32");
  EXPECT_EQ(f.json_path, "r.json");
  EXPECT_EQ(f.trace_path, "t.json");
  EXPECT_NO_THROW(validate_benchmark_flags(f));

  const CompileConfig config = compile_config_from(f);
  EXPECT_EQ(config.num_threads, 2);
  EXPECT_EQ(config.num_streams, 2);
  EXPECT_EQ(config.hint, PerformanceHint::kThroughput);
  EXPECT_EQ(config.precision, InferencePrecision::kF32);
  EXPECT_TRUE(config.profiling);
  EXPECT_DOUBLE_EQ(measurement_seconds(f), 2.5);
}

TEST(BenchmarkFlags, DefaultsFollowBenchmarkApp) {
  const BenchmarkFlags f = parse({"-m", "m.onnx"});
  EXPECT_EQ(f.api, "async");
  EXPECT_EQ(f.latency_percentile, 50);
  EXPECT_DOUBLE_EQ(measurement_seconds(f), 60.0);  // no -t, no -niter
  EXPECT_FALSE(profiling_requested(f));
  EXPECT_EQ(compile_config_from(f).hint, PerformanceHint::kThroughput);  // async without -hint
  EXPECT_EQ(compile_config_from(f).precision, InferencePrecision::kModel);
  const BenchmarkFlags sync = parse({"-m", "m.onnx", "-api", "sync", "-niter", "3"});
  EXPECT_DOUBLE_EQ(measurement_seconds(sync), 0.0);  // -niter alone bounds the run
  EXPECT_EQ(compile_config_from(sync).hint, PerformanceHint::kLatency);
  EXPECT_TRUE(profiling_requested(parse({"-m", "m.onnx", "-report_type", "detailed_counters"})));
  EXPECT_FALSE(profiling_requested(parse({"-m", "m.onnx", "-report_type", "no_counters"})));
}

TEST(BenchmarkFlags, BadValuesNameTheFlag) {
  EXPECT_NE(parse_error({"-m", "m.onnx", "-api", "sometimes"}).find("--api"), std::string::npos);
  EXPECT_NE(parse_error({"-m", "m.onnx", "-latency_percentile", "0"}).find("--latency_percentile"),
            std::string::npos);
  EXPECT_NE(parse_error({"-m", "m.onnx", "-niter", "-3"}).find("--niter"), std::string::npos);
  EXPECT_NE(parse_error({"-m", "m.onnx", "-hint", "fast"}).find("--hint"), std::string::npos);
  EXPECT_NE(parse_error({"-m", "m.onnx", "-report_type", "all"}).find("--report_type"), std::string::npos);
  EXPECT_NE(parse_error({"-m", "m.onnx", "-pcsort", "up"}).find("--pcsort"), std::string::npos);
  EXPECT_NE(parse_error({"-m", "m.onnx", "-infer_precision", "bf16"}).find("--infer_precision"),
            std::string::npos);
  EXPECT_NE(parse_error({"-niter", "3"}).find("--model"), std::string::npos);  // -m is required
  EXPECT_NE(validation_error({"-m", "m.onnx", "-d", "GPU"}).find("-d GPU"), std::string::npos);
  EXPECT_NE(validation_error({"-m", "m.onnx", "-report_folder", "x"}).find("-report_folder"),
            std::string::npos);
  EXPECT_NE(validation_error({"-m", "m.onnx", "-api", "sync", "-nireq", "2"}).find("-nireq"),
            std::string::npos);
  EXPECT_NE(validation_error({"-m", "m.onnx", "-shape", "x[1,0]"}).find("-shape"), std::string::npos);
  EXPECT_EQ(validation_error({"-m", "m.onnx", "-d", "cpu"}), "");
}

TEST(BenchmarkFlags, ParsesShapes) {
  using Shapes = std::vector<std::pair<std::string, Dims>>;
  EXPECT_EQ(parse_shape_flag("[1,3,224,224]"), Shapes({{"", {1, 3, 224, 224}}}));
  EXPECT_EQ(parse_shape_flag("data[1,3,8,8],info[1,4]"), Shapes({{"data", {1, 3, 8, 8}}, {"info", {1, 4}}}));
  EXPECT_EQ(parse_shape_flag("scalar[]"), Shapes({{"scalar", {}}}));
  for (const char* bad : {"", "data", "data[1,3", "data[1,x]", "data[1,?]", "a[1]b[2]", "a[1],", "a[1],a[2]",
                          "[1],b[2]", "a[-1]"}) {
    EXPECT_THROW(parse_shape_flag(bad), Error) << bad;
  }
}

TEST(BenchmarkFlags, ShapeThenBatchGiveTheInputDims) {
  const std::vector<PortInfo> inputs = {{"image", ElementType::kF32, Shape({kDynamicDim, 1, 28, 28})},
                                        {"scale", ElementType::kF32, Shape({1, 4})}};
  BenchmarkFlags f;
  EXPECT_TRUE(input_dims_from_flags(f, inputs).empty());
  f.batch = 4;
  EXPECT_EQ(input_dims_from_flags(f, inputs),
            (std::map<std::string, Dims>{{"image", {4, 1, 28, 28}}, {"scale", {4, 4}}}));
  f.shape = "image[2,1,32,32]";
  EXPECT_EQ(input_dims_from_flags(f, inputs)["image"], Dims({4, 1, 32, 32}));  // -b overrides dim 0
  f.batch = 0;
  f.shape = "[1,2,3]";
  EXPECT_EQ(input_dims_from_flags(f, inputs),
            (std::map<std::string, Dims>{{"image", {1, 2, 3}}, {"scale", {1, 2, 3}}}));
  f.shape = "label[1]";
  try {
    input_dims_from_flags(f, inputs);
    ADD_FAILURE() << "unknown input accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'label'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'image', 'scale'"), std::string::npos) << e.what();
  }
  // -b needs every other dim of an input it touches to be known.
  f.shape.clear();
  f.batch = 2;
  const std::vector<PortInfo> dynamic = {{"x", ElementType::kF32, Shape({kDynamicDim, kDynamicDim})}};
  EXPECT_THROW(input_dims_from_flags(f, dynamic), Error);
}

}  // namespace
}  // namespace octet::tools::benchmark
