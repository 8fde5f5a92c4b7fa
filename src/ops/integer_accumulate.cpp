#include "ops/integer_accumulate.h"

#include "octet/error.h"
#include "ops/op_helpers.h"

namespace octet {

namespace {

// Calls f(A{}, B{}) with the C++ types (uint8_t or int8_t) of two 8-bit element types.
template <typename F>
void dispatch_8bit_pair(const Node& node, ElementType a, ElementType b, F&& f) {
  auto with_b = [&](auto a_value) {
    if (b == ElementType::kU8) {
      f(a_value, uint8_t{});
    } else if (b == ElementType::kI8) {
      f(a_value, int8_t{});
    } else {
      fail(ErrorCode::kInvalidModel, node.label(), ": second operand has type ", to_string(b),
           ", expected u8 or i8");
    }
  };
  if (a == ElementType::kU8) {
    with_b(uint8_t{});
  } else if (a == ElementType::kI8) {
    with_b(int8_t{});
  } else {
    fail(ErrorCode::kInvalidModel, node.label(), ": first operand has type ", to_string(a),
         ", expected u8 or i8");
  }
}

}  // namespace

Shape integer_conv_output_shape(const Node& node, const Shape& x, const Shape& w) {
  if (!x.rank_known()) return Shape::unknown();
  if (!w.rank_known() || !w.is_static()) return Shape::dynamic(x.rank());
  const ConvGeometry g = conv_geometry(node, x.dims(), w.dims());
  Dims out{g.batch, g.out_channels};
  out.insert(out.end(), g.out_spatial.begin(), g.out_spatial.end());
  return Shape(out);
}

Tensor integer_conv(const Node& node, const Tensor& x, const Tensor& w, int32_t x_zero,
                    std::span<const int32_t> w_zero, ConvGeometry* geometry) {
  const ConvGeometry g = conv_geometry(node, x.dims(), w.dims());
  OCTET_CHECK(w_zero.size() == 1 || static_cast<int64_t>(w_zero.size()) == g.out_channels,
              ErrorCode::kInvalidModel, node.label(), ": w_zero_point has ", w_zero.size(),
              " elements, expected 1 or ", g.out_channels, " (one per output channel)");
  Dims out{g.batch, g.out_channels};
  out.insert(out.end(), g.out_spatial.begin(), g.out_spatial.end());
  Tensor y(ElementType::kI32, out);
  dispatch_8bit_pair(node, x.type(), w.type(), [&](auto x_value, auto w_value) {
    using X = decltype(x_value);
    using W = decltype(w_value);
    conv_reference<X, W, int32_t>(g, x.data<X>(), w.data<W>(), y.data<int32_t>(), x_zero, w_zero);
  });
  if (geometry) *geometry = g;
  return y;
}

Tensor integer_matmul(const Node& node, const Tensor& a, const Tensor& b, int32_t a_zero,
                      std::span<const int32_t> b_zero) {
  OCTET_CHECK(a.rank() >= 1 && b.rank() >= 1, ErrorCode::kInvalidModel, node.label(),
              ": matmul operands must have rank >= 1, got ", a.description(), " and ", b.description());
  const Dims out = matmul_output_dims(node, a.dims(), b.dims());
  const int64_t columns = b.rank() == 1 ? 1 : b.dims().back();
  OCTET_CHECK(b_zero.size() == 1 || static_cast<int64_t>(b_zero.size()) == columns, ErrorCode::kInvalidModel,
              node.label(), ": b_zero_point has ", b_zero.size(), " elements, expected 1 or ", columns,
              " (one per column of B)");
  Tensor y(ElementType::kI32, out);
  dispatch_8bit_pair(node, a.type(), b.type(), [&](auto a_value, auto b_value) {
    using A = decltype(a_value);
    using B = decltype(b_value);
    matmul_reference<A, B, int32_t>(a.dims(), a.data<A>(), b.dims(), b.data<B>(), y.data<int32_t>(), a_zero,
                                    b_zero);
  });
  return y;
}

}  // namespace octet
