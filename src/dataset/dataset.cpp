// Dataset::open: finding the samples of a list file, a folder or a .npy file, and the seeded subset.
#include "dataset/dataset.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <random>

#include "io/file_extension.h"
#include "io/tensor_file.h"

namespace octet::dataset {
namespace {

namespace fs = std::filesystem;

bool is_image_file(const fs::path& path) {
  const std::string ext = lowercase_extension(path);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

bool is_npy_file(const fs::path& path) {
  return lowercase_extension(path) == ".npy";
}

Sample path_sample(const std::string& path, std::optional<int64_t> npy_row = std::nullopt) {
  Sample sample;
  sample.path = path;
  sample.npy_row = npy_row;
  return sample;
}

std::vector<std::string> split_columns(const std::string& line) {
  std::vector<std::string> columns;
  if (line.find('\t') != std::string::npos) {
    size_t start = 0;
    while (true) {
      const size_t tab = line.find('\t', start);
      columns.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    // Trailing spaces around tab-separated columns are a common editing accident, not part of a name.
    for (std::string& c : columns) {
      while (!c.empty() && c.back() == ' ') c.pop_back();
      while (!c.empty() && c.front() == ' ') c.erase(c.begin());
    }
    return columns;
  }
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
    if (pos == line.size()) break;
    const size_t start = pos;
    while (pos < line.size() && !std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
    columns.push_back(line.substr(start, pos - start));
  }
  return columns;
}

// "3.5", "-2", "1e3": meant as a label, but not a valid one (as opposed to a file name).
bool looks_numeric(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789+-.eE") == std::string::npos;
}

std::string resolve(const fs::path& base_dir, const std::string& path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : base_dir / p).lexically_normal().string();
}

std::vector<Sample> read_list_file(const std::string& list_path) {
  std::ifstream in(list_path);
  OCTET_CHECK(in.good(), ErrorCode::kIo, "cannot read the list file ", list_path);
  const fs::path base_dir = fs::path(list_path).parent_path();
  std::vector<Sample> samples;
  std::optional<size_t> first_labeled_line;
  std::optional<size_t> first_unlabeled_line;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string where = str_cat(list_path, ":", number, ": ");
    const std::vector<std::string> columns = split_columns(line);
    OCTET_CHECK(columns.size() <= 3, ErrorCode::kInvalidArgument, where,
                "expected `path [label] [annotation]`, got ", columns.size(), " columns: '", line, "'");
    for (const std::string& c : columns)
      OCTET_CHECK(!c.empty(), ErrorCode::kInvalidArgument, where, "empty column in '", line, "'");
    Sample sample;
    sample.path = resolve(base_dir, columns[0]);
    for (size_t i = 1; i < columns.size(); ++i) {
      const std::string& c = columns[i];
      int label = 0;
      const auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), label);
      if (ec == std::errc() && end == c.data() + c.size()) {
        OCTET_CHECK(!sample.label && label >= 0, ErrorCode::kInvalidArgument, where,
                    sample.label ? "two labels" : "the label must be >= 0", ": '", line, "'");
        sample.label = label;
        continue;
      }
      OCTET_CHECK(!looks_numeric(c), ErrorCode::kInvalidArgument, where, "'", c,
                  "' is not a valid label (a non-negative integer)");
      OCTET_CHECK(sample.annotation.empty(), ErrorCode::kInvalidArgument, where, "two annotation columns: '",
                  line, "'");
      sample.annotation = resolve(base_dir, c);
      OCTET_CHECK(fs::is_regular_file(sample.annotation), ErrorCode::kIo, where, "annotation file ",
                  sample.annotation, " does not exist");
    }
    OCTET_CHECK(fs::is_regular_file(sample.path), ErrorCode::kIo, where, "sample file ", sample.path,
                " does not exist");
    (sample.label ? first_labeled_line : first_unlabeled_line).emplace(number);
    OCTET_CHECK(!first_labeled_line || !first_unlabeled_line, ErrorCode::kInvalidArgument, list_path,
                ": line ", *first_labeled_line, " has a label but line ", *first_unlabeled_line,
                " has none (label all samples or none)");
    samples.push_back(std::move(sample));
  }
  OCTET_CHECK(!in.bad(), ErrorCode::kIo, "error reading the list file ", list_path);
  return samples;
}

std::vector<Sample> read_folder(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    if (it->is_regular_file(ec) && (is_image_file(p) || is_npy_file(p))) files.push_back(p);
  }
  OCTET_CHECK(!ec, ErrorCode::kIo, "cannot list the folder ", dir, ": ", ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Sample> samples;
  for (const fs::path& p : files) samples.push_back(path_sample(p.lexically_normal().string()));
  return samples;
}

}  // namespace

std::vector<size_t> seeded_permutation(size_t count, uint64_t seed) {
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  for (size_t i = count; i > 1; --i) {
    // Rejection sampling keeps every index equally likely; std::uniform_int_distribution is not portable.
    const uint64_t bound = i;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t r = rng();
    while (r >= limit) r = rng();
    std::swap(order[i - 1], order[r % bound]);
  }
  return order;
}

Dataset Dataset::from_samples(std::vector<Sample> samples, const DatasetOptions& options,
                              const std::string& source) {
  OCTET_CHECK(!samples.empty(), ErrorCode::kInvalidArgument, "the dataset ",
              source.empty() ? "" : source + " ", "has no samples");
  Dataset dataset;
  dataset.source_ = source;
  dataset.options_ = options;
  if (options.seed != 0) {
    std::vector<Sample> shuffled;
    shuffled.reserve(samples.size());
    for (size_t i : seeded_permutation(samples.size(), options.seed))
      shuffled.push_back(std::move(samples[i]));
    samples = std::move(shuffled);
  }
  if (options.subset > 0 && options.subset < samples.size()) samples.resize(options.subset);
  dataset.samples_ = std::move(samples);
  return dataset;
}

namespace {

// `NAME=SOURCE[,NAME=SOURCE...]` split into pairs, or nothing when `source` is one plain source (an existing
// path is always taken as it is, whatever characters it holds).
std::vector<std::pair<std::string, std::string>> named_sources(const std::string& source) {
  std::error_code ec;
  if (fs::exists(source, ec)) return {};
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= source.size()) {
    const size_t comma = std::min(source.find(',', start), source.size());
    const std::string part = source.substr(start, comma - start);
    const size_t equals = part.find('=');
    if (equals == std::string::npos || equals == 0 || part.find('/') < equals) return {};
    pairs.emplace_back(part.substr(0, equals), part.substr(equals + 1));
    start = comma + 1;
  }
  return pairs;
}

}  // namespace

Dataset Dataset::open(const std::string& source, const DatasetOptions& options) {
  if (const auto pairs = named_sources(source); !pairs.empty()) {
    Dataset dataset;
    dataset.source_ = source;
    dataset.options_ = options;
    size_t first_count = 0;
    for (const auto& [name, path] : pairs) {
      for (const auto& [other, unused] : dataset.per_input_)
        OCTET_CHECK(other != name, ErrorCode::kInvalidArgument, "dataset ", source, ": input '", name,
                    "' is given twice");
      // All sources must hold the same number of samples, so that --subset / --seed pick the same rows: each
      // is opened whole, counted, then subset with the same options.
      DatasetOptions all = options;
      all.subset = 0;
      all.seed = 0;
      const Dataset whole = open(path, all);
      if (dataset.per_input_.empty()) first_count = whole.size();
      OCTET_CHECK(whole.size() == first_count, ErrorCode::kInvalidArgument, "dataset ", source, ": '", path,
                  "' holds ", whole.size(), " samples, '", pairs[0].second, "' ", first_count);
      Dataset part = from_samples(whole.samples_, options, path);
      part.npy_rows_ = whole.npy_rows_;
      dataset.per_input_.emplace_back(name, std::move(part));
    }
    dataset.samples_ = dataset.per_input_[0].second.samples_;
    return dataset;
  }
  std::error_code ec;
  const fs::file_status status = fs::status(source, ec);
  OCTET_CHECK(fs::exists(status), ErrorCode::kIo, "dataset ", source, " does not exist");
  std::vector<Sample> samples;
  NpyRows npy;
  if (fs::is_directory(status)) {
    samples = read_folder(source);
    OCTET_CHECK(!samples.empty(), ErrorCode::kInvalidArgument, "the folder ", source,
                " holds no .jpg/.jpeg/.png/.npy files (for labeled data pass a list file)");
  } else if (is_npy_file(source)) {
    // Read once here for its header (the data ends the file, so its offset follows from the size); load()
    // then reads one row at a time.
    const Tensor all = read_npy(source);
    OCTET_CHECK(all.rank() >= 1, ErrorCode::kInvalidArgument, source,
                ": a .npy dataset needs a leading sample axis, the array is a scalar");
    for (int64_t row = 0; row < all.dims()[0]; ++row) samples.push_back(path_sample(source, row));
    npy.type = all.type();
    npy.row_dims = all.dims();
    npy.row_dims[0] = 1;
    npy.data_offset = fs::file_size(source) - all.byte_size();
  } else if (is_image_file(source)) {
    samples.push_back(path_sample(source));
  } else {
    samples = read_list_file(source);
  }
  Dataset dataset = from_samples(std::move(samples), options, source);
  dataset.npy_rows_ = npy;
  return dataset;
}

const Sample& Dataset::sample(size_t index) const {
  OCTET_CHECK(index < samples_.size(), ErrorCode::kInvalidArgument, "sample ", index, " is out of range (",
              samples_.size(), " samples)");
  return samples_[index];
}

}  // namespace octet::dataset
