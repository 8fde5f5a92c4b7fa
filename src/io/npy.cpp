// NumPy .npy files (format versions 1.0, 2.0 and 3.0): a magic string, a version, a header length, a Python
// dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), } padded with spaces, then the raw
// C-order data. The file is untrusted: the header is parsed strictly and the data size must match the shape.
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>

#include "io/binary_file.h"
#include "io/tensor_file.h"

namespace octet {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kMaxHeaderSize = 1 << 20;  // numpy itself refuses headers past 10 kB; 1 MB is plenty
constexpr int64_t kMaxDim = int64_t{1} << 40;

// The dtype strings we read; the byte-order character of one-byte types is irrelevant ('|', '<', '>', '=').
std::optional<ElementType> parse_descr(std::string_view descr) {
  if (descr.size() != 3) return std::nullopt;
  const char order = descr[0];
  const std::string_view kind = descr.substr(1);
  const bool little = order == '<' || order == '=';  // '=' is native, and Octet only runs on x86
  const bool any_order = little || order == '|' || order == '>';
  if (kind == "f4" && little) return ElementType::kF32;
  if (kind == "f2" && little) return ElementType::kF16;
  if (kind == "i4" && little) return ElementType::kI32;
  if (kind == "i8" && little) return ElementType::kI64;
  if (kind == "i1" && any_order) return ElementType::kI8;
  if (kind == "u1" && any_order) return ElementType::kU8;
  if (kind == "b1" && any_order) return ElementType::kBool;
  return std::nullopt;
}

const char* descr_of(ElementType type) {
  switch (type) {
    case ElementType::kF32:
      return "<f4";
    case ElementType::kF16:
      return "<f2";
    case ElementType::kI8:
      return "|i1";
    case ElementType::kU8:
      return "|u1";
    case ElementType::kI32:
      return "<i4";
    case ElementType::kI64:
      return "<i8";
    case ElementType::kBool:
      return "|b1";
    case ElementType::kUndefined:
      break;
  }
  fail(ErrorCode::kInternal, "no .npy dtype for an empty tensor");
}

// The header's value for one key: a quoted string, True/False, or a tuple of integers.
struct HeaderValue {
  enum class Kind { kString, kBool, kTuple } kind = Kind::kString;
  std::string text;
  bool flag = false;
  Dims tuple;
};

// A strict parser of the header dict; only the literal forms numpy writes are accepted.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  std::map<std::string, HeaderValue> parse_dict() {
    std::map<std::string, HeaderValue> dict;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      OCTET_CHECK(dict.emplace(key, parse_value()).second, ErrorCode::kInvalidArgument, path_,
                  ": .npy header has key '", key, "' twice");
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      OCTET_CHECK(peek() == '}', ErrorCode::kInvalidArgument, path_,
                  ": malformed .npy header (expected ',' or '}' at", " offset ", pos_, "): ", text_);
    }
    ++pos_;
    skip_space();
    OCTET_CHECK(pos_ == text_.size(), ErrorCode::kInvalidArgument, path_,
                ": trailing bytes after the .npy header dict");
    return dict;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t')) ++pos_;
  }
  [[noreturn]] void error(std::string_view what) const {
    fail(ErrorCode::kInvalidArgument, path_, ": malformed .npy header (", what, " at offset ", pos_,
         "): ", text_);
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) error(str_cat("expected '", c, "'"));
    ++pos_;
  }

  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') error("expected a quoted string");
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) error("unterminated string");
    std::string s(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return s;
  }

  int64_t parse_int() {
    skip_space();
    int64_t value = 0;
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + (text_[pos_] - '0');
      if (value > kMaxDim) error("dimension too large");
      ++pos_;
    }
    if (pos_ == start) error("expected a non-negative integer");
    // Python 2 era files may write long integers as 3L.
    if (peek() == 'L') ++pos_;
    return value;
  }

  HeaderValue parse_value() {
    skip_space();
    HeaderValue v;
    if (peek() == '\'' || peek() == '"') {
      v.kind = HeaderValue::Kind::kString;
      v.text = parse_string();
    } else if (text_.substr(pos_, 4) == "True" || text_.substr(pos_, 5) == "False") {
      v.kind = HeaderValue::Kind::kBool;
      v.flag = text_[pos_] == 'T';
      pos_ += v.flag ? 4 : 5;
    } else if (peek() == '(') {
      v.kind = HeaderValue::Kind::kTuple;
      ++pos_;
      while (true) {
        skip_space();
        if (peek() == ')') break;
        v.tuple.push_back(parse_int());
        skip_space();
        if (peek() == ',') {
          ++pos_;
        } else if (peek() != ')') {
          error("expected ',' or ')' in the shape");
        }
      }
      ++pos_;
    } else {
      error("expected a string, True/False or a tuple");
    }
    return v;
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
};

uint32_t read_le(const std::string& bytes, size_t offset, size_t size) {
  uint32_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i])) << (8 * i);
  return value;
}

}  // namespace

Tensor read_npy(const std::string& path) {
  return read_npy_from_bytes(read_binary_file(path), path);
}

Tensor read_npy_from_bytes(const std::string& bytes, const std::string& path) {
  OCTET_CHECK(bytes.size() >= kMagicSize + 2 && std::memcmp(bytes.data(), kMagic, kMagicSize) == 0,
              ErrorCode::kInvalidArgument, path, ": not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<uint8_t>(bytes[6]);
  const int minor = static_cast<uint8_t>(bytes[7]);
  OCTET_CHECK((major == 1 || major == 2 || major == 3) && minor == 0, ErrorCode::kUnsupported, path,
              ": .npy format version ", major, ".", minor, " is not supported (1.0, 2.0, 3.0 are)");
  const size_t length_size = major == 1 ? 2 : 4;
  const size_t header_start = 8 + length_size;
  OCTET_CHECK(bytes.size() >= header_start, ErrorCode::kInvalidArgument, path,
              ": .npy file truncated in its header");
  const size_t header_size = read_le(bytes, 8, length_size);
  OCTET_CHECK(header_size <= kMaxHeaderSize && header_start + header_size <= bytes.size(),
              ErrorCode::kInvalidArgument, path, ": .npy header length ", header_size,
              " exceeds the file size ", bytes.size());
  const std::string_view header(bytes.data() + header_start, header_size);

  const auto dict = HeaderParser(header, path).parse_dict();
  auto field = [&](const char* key, HeaderValue::Kind kind) -> const HeaderValue& {
    auto it = dict.find(key);
    OCTET_CHECK(it != dict.end() && it->second.kind == kind, ErrorCode::kInvalidArgument, path,
                ": .npy header lacks a valid '", key, "': ", header);
    return it->second;
  };
  const std::string& descr = field("descr", HeaderValue::Kind::kString).text;
  const bool fortran_order = field("fortran_order", HeaderValue::Kind::kBool).flag;
  const Dims& dims = field("shape", HeaderValue::Kind::kTuple).tuple;
  const std::optional<ElementType> type = parse_descr(descr);
  OCTET_CHECK(type.has_value(), ErrorCode::kUnsupported, path, ": .npy dtype '", descr,
              "' is not supported (<f4 <f2 |i1 |u1 <i4 <i8 |b1 are)");
  OCTET_CHECK(!fortran_order, ErrorCode::kUnsupported, path, ": Fortran-order .npy arrays are not supported");

  // Checked before multiplying, so that the product never overflows; 2^40 elements is far past any real
  // tensor.
  int64_t count = 1;
  for (int64_t d : dims) {
    OCTET_CHECK(d == 0 || count <= kMaxDim / d, ErrorCode::kInvalidArgument, path, ": .npy shape ",
                to_string(dims), " is absurdly large");
    count *= d;
  }
  const size_t data_size = bytes.size() - header_start - header_size;
  OCTET_CHECK(count <= kMaxDim && static_cast<uint64_t>(count) * size_of(*type) == data_size,
              ErrorCode::kInvalidArgument, path, ": .npy shape ", to_string(dims), " of ", descr, " needs ",
              static_cast<uint64_t>(count) * size_of(*type), " data bytes, the file has ", data_size);
  Tensor tensor(*type, dims);
  std::memcpy(tensor.raw_data(), bytes.data() + header_start + header_size, data_size);
  if (*type == ElementType::kBool) {
    for (uint8_t& b : tensor.values<uint8_t>()) b = b != 0;
  }
  return tensor;
}

void write_npy(const std::string& path, const Tensor& tensor) {
  OCTET_CHECK(!tensor.empty(), ErrorCode::kInvalidArgument, "cannot write an empty tensor to ", path);
  // Python tuple syntax: (), (3,), (1, 3).
  std::string shape = "(";
  for (size_t i = 0; i < tensor.rank(); ++i) shape += str_cat(i > 0 ? ", " : "", tensor.dims()[i]);
  shape += tensor.rank() == 1 ? ",)" : ")";
  std::string header =
      str_cat("{'descr': '", descr_of(tensor.type()), "', 'fortran_order': False, 'shape': ", shape, ", }");
  // Pad with spaces and a final newline so the data starts at a multiple of 64 bytes, as numpy does.
  const size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  OCTET_ASSERT(header.size() <= 0xFFFF);

  std::string out(kMagic, kMagicSize);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(static_cast<const char*>(tensor.raw_data()), tensor.byte_size());
  write_binary_file(path, out);
}

}  // namespace octet
