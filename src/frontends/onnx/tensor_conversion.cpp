#include "frontends/onnx/tensor_conversion.h"

#include <bit>
#include <cstring>
#include <limits>

#include "frontends/onnx/external_data.h"
#include "frontends/onnx/onnx_element_type.h"
#include "octet/error.h"

namespace octet::onnx_frontend {
namespace {

// ONNX raw_data is little-endian; copying it byte for byte is only right on a little-endian host.
static_assert(std::endian::native == std::endian::little, "the ONNX frontend assumes a little-endian host");

// Anything larger is a corrupt header rather than a tensor anyone could load (same bound as Tensor's).
constexpr uint64_t kMaxTensorBytes = uint64_t{1} << 40;

Dims checked_dims(const onnx::TensorProto& proto, ElementType type, const std::string& what) {
  Dims dims;
  dims.reserve(static_cast<size_t>(proto.dims_size()));
  uint64_t count = 1;
  for (int64_t d : proto.dims()) {
    OCTET_CHECK(d >= 0, ErrorCode::kInvalidModel, what, " has a negative dimension in dims ",
                to_string(Dims(proto.dims().begin(), proto.dims().end())));
    dims.push_back(d);
    if (d == 0) count = 0;
    // Overflow-safe: once count * d would exceed the byte limit the dims are absurd.
    OCTET_CHECK(count == 0 || static_cast<uint64_t>(d) <= kMaxTensorBytes / size_of(type) / count,
                ErrorCode::kInvalidModel, what, " has absurd dims ", to_string(dims), "...");
    count *= static_cast<uint64_t>(d);
  }
  return dims;
}

void check_count(size_t have, int64_t want, const char* field, const std::string& what) {
  OCTET_CHECK(static_cast<int64_t>(have) == want, ErrorCode::kInvalidModel, what, " has ", have,
              " values in ", field, ", but its dims need ", want);
}

template <typename Out, typename In>
void copy_checked(const In& values, Tensor& tensor, const char* field, const std::string& what) {
  check_count(static_cast<size_t>(values.size()), tensor.element_count(), field, what);
  Out* out = reinterpret_cast<Out*>(tensor.raw_data());
  int64_t i = 0;
  for (const auto v : values) {
    if constexpr (std::is_integral_v<Out>) {
      OCTET_CHECK(v >= std::numeric_limits<Out>::min() && v <= std::numeric_limits<Out>::max(),
                  ErrorCode::kInvalidModel, what, ": value ", v, " at index ", i, " of ", field,
                  " is out of range for its element type");
    }
    out[i++] = static_cast<Out>(v);
  }
}

// The typed repeated fields: float_data, int32_data (which also carries 8-bit ints, bools and float16 bits)
// and int64_data.
void fill_from_typed_fields(const onnx::TensorProto& proto, Tensor& tensor, const std::string& what) {
  switch (tensor.type()) {
    case ElementType::kF32:
      copy_checked<float>(proto.float_data(), tensor, "float_data", what);
      break;
    case ElementType::kF16:
      copy_checked<uint16_t>(proto.int32_data(), tensor, "int32_data", what);
      break;
    case ElementType::kI8:
      copy_checked<int8_t>(proto.int32_data(), tensor, "int32_data", what);
      break;
    case ElementType::kU8:
      copy_checked<uint8_t>(proto.int32_data(), tensor, "int32_data", what);
      break;
    case ElementType::kI32:
      copy_checked<int32_t>(proto.int32_data(), tensor, "int32_data", what);
      break;
    case ElementType::kI64:
      copy_checked<int64_t>(proto.int64_data(), tensor, "int64_data", what);
      break;
    case ElementType::kBool: {
      check_count(static_cast<size_t>(proto.int32_data_size()), tensor.element_count(), "int32_data", what);
      uint8_t* out = tensor.data<uint8_t>();
      for (int i = 0; i < proto.int32_data_size(); ++i) out[i] = proto.int32_data(i) != 0 ? 1 : 0;
      break;
    }
    case ElementType::kUndefined:
      OCTET_ASSERT(false);
  }
}

void fill_from_bytes(const std::string& bytes, Tensor& tensor, const char* source, const std::string& what) {
  OCTET_CHECK(bytes.size() == tensor.byte_size(), ErrorCode::kInvalidModel, what, " has ", bytes.size(),
              " bytes of ", source, ", but its type and dims ", tensor.description(), " need ",
              tensor.byte_size());
  if (!bytes.empty()) std::memcpy(tensor.raw_data(), bytes.data(), bytes.size());
  if (tensor.type() == ElementType::kBool) {
    // Kernels may rely on bools being exactly 0 or 1.
    for (uint8_t& b : tensor.values<uint8_t>()) b = b != 0 ? 1 : 0;
  }
}

}  // namespace

Tensor tensor_from_proto(const onnx::TensorProto& proto, const std::string& base_dir,
                         const std::string& what) {
  const std::optional<ElementType> type = element_type_from_onnx(proto.data_type());
  if (proto.data_type() == onnx::TensorProto::UNDEFINED)
    fail(ErrorCode::kInvalidModel, what, " has no data type");
  OCTET_CHECK(type.has_value(), ErrorCode::kUnsupported, what, " has element type ",
              onnx_data_type_name(proto.data_type()),
              ", which Octet does not support (supported: FLOAT, FLOAT16, INT8, UINT8, INT32, INT64, BOOL)");
  OCTET_CHECK(!proto.has_segment(), ErrorCode::kUnsupported, what, " is a segmented tensor");

  const Dims dims = checked_dims(proto, *type, what);
  int64_t count = 1;
  for (int64_t d : dims) count *= d;  // checked_dims bounded the product
  const size_t byte_size = static_cast<size_t>(count) * size_of(*type);

  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    const std::string bytes = read_external_data(proto, base_dir, byte_size, what);
    Tensor tensor(*type, dims);
    fill_from_bytes(bytes, tensor, "external data", what);
    return tensor;
  }
  if (proto.has_raw_data()) {
    // Check before allocating, so that absurd dims with little data cannot ask for a huge buffer.
    OCTET_CHECK(proto.raw_data().size() == byte_size, ErrorCode::kInvalidModel, what, " has ",
                proto.raw_data().size(), " bytes of raw_data, but its type and dims need ", byte_size);
    Tensor tensor(*type, dims);
    fill_from_bytes(proto.raw_data(), tensor, "raw_data", what);
    return tensor;
  }
  const size_t typed_count =
      static_cast<size_t>(proto.float_data_size() + proto.int32_data_size() + proto.int64_data_size());
  OCTET_CHECK(typed_count == static_cast<size_t>(count), ErrorCode::kInvalidModel, what, " has ", typed_count,
              " values, but its dims ", to_string(dims), " need ", count);
  Tensor tensor(*type, dims);
  fill_from_typed_fields(proto, tensor, what);
  return tensor;
}

void tensor_to_proto(const Tensor& tensor, const std::string& name, onnx::TensorProto& proto) {
  OCTET_CHECK(!tensor.empty(), ErrorCode::kInvalidArgument, "cannot write an empty tensor");
  proto.Clear();
  proto.set_name(name);
  proto.set_data_type(onnx_data_type(tensor.type()));
  for (int64_t d : tensor.dims()) proto.add_dims(d);
  proto.set_raw_data(static_cast<const char*>(tensor.raw_data()), tensor.byte_size());
}

}  // namespace octet::onnx_frontend
