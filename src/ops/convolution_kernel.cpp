#include "ops/convolution_kernel.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "octet/error.h"
#include "ops/op_helpers.h"

namespace octet {

Dims spatial_attribute(const Node& node, std::string_view name, size_t rank, int64_t fallback) {
  if (!node.has_attribute(name)) return Dims(rank, fallback);
  const Dims& value = node.attribute<std::vector<int64_t>>(name);
  OCTET_CHECK(value.size() == rank, ErrorCode::kInvalidModel, node.label(), ": attribute '", name, "' has ",
              value.size(), " values, expected ", rank);
  return value;
}

namespace {

// Spatial dims of a ConvGeometry extended to exactly three axes by prepending size-1 axes (kernel 1, stride
// 1, no pads), so that one triple loop serves 1-d, 2-d and 3-d convolutions.
struct Spatial3 {
  std::array<int64_t, 3> in{1, 1, 1}, kernel{1, 1, 1}, out{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1},
      pad{0, 0, 0};
};

Spatial3 to_spatial3(const ConvGeometry& g) {
  const size_t rank = g.in_spatial.size();
  OCTET_ASSERT(rank >= 1 && rank <= 3);
  Spatial3 s;
  const size_t offset = 3 - rank;
  for (size_t i = 0; i < rank; ++i) {
    s.in[offset + i] = g.in_spatial[i];
    s.kernel[offset + i] = g.kernel[i];
    s.out[offset + i] = g.out_spatial[i];
    s.stride[offset + i] = g.strides[i];
    s.dilation[offset + i] = g.dilations[i];
    s.pad[offset + i] = g.pads_begin[i];
  }
  return s;
}

// For kernel tap k along one axis: the outputs [first, last) whose input coordinate o * stride + offset
// (offset = k * dilation - pad) lies inside [0, in). Outputs outside read padding, which contributes nothing.
struct TapOutputs {
  int64_t first, last, offset;
};

TapOutputs tap_outputs(int64_t k, int64_t stride, int64_t pad, int64_t dilation, int64_t in, int64_t out) {
  const int64_t offset = k * dilation - pad;
  const int64_t first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const int64_t last = in - 1 - offset < 0 ? 0 : (in - 1 - offset) / stride + 1;
  return {std::min(first, out), std::max(std::min(first, out), std::min(last, out)), offset};
}

// The checks Conv and ConvTranspose make first: X of rank 3..5 (`kind` names the op family in the message),
// weights of the same rank with static non-zero dims.
void check_conv_operands(const Node& node, const Dims& x, const Dims& w, const char* kind) {
  OCTET_CHECK(x.size() >= 3 && x.size() <= 5, ErrorCode::kUnsupported, node.label(), ": input X has rank ",
              x.size(), ", only 1-d, 2-d and 3-d ", kind, " (rank 3..5) are supported");
  OCTET_CHECK(w.size() == x.size(), ErrorCode::kInvalidModel, node.label(), ": weights of dims ",
              to_string(w), " do not match the rank of input X ", to_string(x));
  for (int64_t d : w)
    OCTET_CHECK(d >= 1, ErrorCode::kUnsupported, node.label(),
                ": weights must have static non-zero dims, got ", to_string(w));
}

// Fills g's spatial dims of X and the kernel (checked against a kernel_shape attribute), strides and
// dilations, shared by Conv and ConvTranspose.
void read_window(const Node& node, const Dims& x, const Dims& w, ConvGeometry& g) {
  const size_t rank = x.size() - 2;
  g.in_spatial.assign(x.begin() + 2, x.end());
  g.kernel.assign(w.begin() + 2, w.end());
  if (node.has_attribute("kernel_shape")) {
    const Dims kernel_shape = spatial_attribute(node, "kernel_shape", rank, 1);
    OCTET_CHECK(kernel_shape == g.kernel, ErrorCode::kInvalidModel, node.label(), ": kernel_shape ",
                to_string(kernel_shape), " does not match the weights ", to_string(w));
  }
  g.strides = spatial_attribute(node, "strides", rank, 1);
  g.dilations = spatial_attribute(node, "dilations", rank, 1);
}

// The explicit `pads` attribute [b1..br, e1..er] (zeros when absent), checked for its length and sign.
Dims explicit_pads(const Node& node, size_t rank) {
  const Dims pads =
      node.has_attribute("pads") ? node.attribute<std::vector<int64_t>>("pads") : Dims(2 * rank, 0);
  OCTET_CHECK(pads.size() == 2 * rank, ErrorCode::kInvalidModel, node.label(), ": attribute 'pads' has ",
              pads.size(), " values, expected ", 2 * rank);
  for (int64_t pad : pads)
    OCTET_CHECK(pad >= 0, ErrorCode::kInvalidModel, node.label(), ": pads ", to_string(pads),
                " must not be negative");
  return pads;
}

}  // namespace

ConvGeometry conv_geometry(const Node& node, const Dims& x, const Dims& w) {
  check_conv_operands(node, x, w, "convolutions");
  ConvGeometry g;
  g.batch = x[0];
  g.in_channels = x[1];
  g.out_channels = w[0];
  g.group = node.attribute_or<int64_t>("group", 1);
  OCTET_CHECK(g.group >= 1 && g.out_channels % g.group == 0, ErrorCode::kInvalidModel, node.label(),
              ": group ", g.group, " does not divide the ", g.out_channels, " output channels");
  OCTET_CHECK(g.in_channels == kDynamicDim || w[1] * g.group == g.in_channels, ErrorCode::kInvalidModel,
              node.label(), ": input X has ", g.in_channels, " channels but weights ", to_string(w),
              " with group ", g.group, " expect ", w[1] * g.group);
  read_window(node, x, w, g);
  ConvPadding padding = conv_padding(node, g.in_spatial, g.kernel, g.strides, g.dilations);
  g.pads_begin = std::move(padding.begin);
  g.pads_end = std::move(padding.end);
  g.out_spatial = std::move(padding.out);
  return g;
}

ConvPadding conv_padding(const Node& node, const Dims& in, const Dims& kernel, const Dims& strides,
                         const Dims& dilations, bool ceil_mode) {
  const size_t rank = in.size();
  for (size_t i = 0; i < rank; ++i) {
    OCTET_CHECK(strides[i] >= 1 && dilations[i] >= 1 && kernel[i] >= 1, ErrorCode::kInvalidModel,
                node.label(), ": strides ", to_string(strides), ", dilations ", to_string(dilations),
                " and kernel ", to_string(kernel), " must be positive");
  }
  const std::string auto_pad = node.attribute_or<std::string>("auto_pad", "NOTSET");
  ConvPadding p{Dims(rank, 0), Dims(rank, 0), Dims(rank, kDynamicDim)};
  if (auto_pad == "NOTSET") {
    const Dims pads = explicit_pads(node, rank);
    p.begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(rank));
    p.end.assign(pads.begin() + static_cast<std::ptrdiff_t>(rank), pads.end());
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    // Output = ceil(in / stride); the total padding that needs is split evenly, the odd one at the end
    // (UPPER) or at the beginning (LOWER).
    for (size_t i = 0; i < rank; ++i) {
      if (in[i] == kDynamicDim) {
        p.begin[i] = p.end[i] = kDynamicDim;
        continue;
      }
      const int64_t out = (in[i] + strides[i] - 1) / strides[i];
      const int64_t total =
          std::max<int64_t>(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i]);
      p.begin[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      p.end[i] = total - p.begin[i];
      p.out[i] = out;
    }
    return p;
  } else if (auto_pad != "VALID") {
    fail(ErrorCode::kInvalidModel, node.label(), ": unknown auto_pad '", auto_pad, "'");
  }
  for (size_t i = 0; i < rank; ++i) {
    if (in[i] == kDynamicDim) continue;
    const int64_t padded = in[i] + p.begin[i] + p.end[i];
    const int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    OCTET_CHECK(padded >= extent, ErrorCode::kInvalidModel, node.label(), ": kernel extent ", extent,
                " along spatial axis ", i, " is larger than the padded input ", padded);
    p.out[i] = (padded - extent + (ceil_mode ? strides[i] - 1 : 0)) / strides[i] + 1;
    // ONNX: with ceil_mode, a last window that would start in the end padding is dropped.
    if (ceil_mode && (p.out[i] - 1) * strides[i] >= in[i] + p.begin[i]) --p.out[i];
  }
  return p;
}

ConvGeometry conv_transpose_geometry(const Node& node, const Dims& x, const Dims& w) {
  check_conv_operands(node, x, w, "transposed convolutions");
  const size_t rank = x.size() - 2;
  ConvGeometry g;
  g.batch = x[0];
  g.in_channels = x[1];
  g.group = node.attribute_or<int64_t>("group", 1);
  OCTET_CHECK(g.group >= 1 && w[0] % g.group == 0, ErrorCode::kInvalidModel, node.label(), ": group ",
              g.group, " does not divide the ", w[0], " input channels of the weights");
  OCTET_CHECK(g.in_channels == kDynamicDim || g.in_channels == w[0], ErrorCode::kInvalidModel, node.label(),
              ": input X has ", g.in_channels, " channels but weights ", to_string(w), " expect ", w[0]);
  g.out_channels = w[1] * g.group;
  read_window(node, x, w, g);
  const Dims output_padding = spatial_attribute(node, "output_padding", rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    OCTET_CHECK(g.strides[i] >= 1 && g.dilations[i] >= 1, ErrorCode::kInvalidModel, node.label(),
                ": strides and dilations must be positive");
    OCTET_CHECK(output_padding[i] >= 0, ErrorCode::kInvalidModel, node.label(), ": output_padding ",
                to_string(output_padding), " must not be negative");
  }
  // output_shape may list the spatial dims only or (older exporters) all dims including N and C.
  Dims output_shape;
  if (node.has_attribute("output_shape")) {
    output_shape = node.attribute<std::vector<int64_t>>("output_shape");
    if (output_shape.size() == rank + 2) output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
    OCTET_CHECK(output_shape.size() == rank, ErrorCode::kInvalidModel, node.label(), ": output_shape ",
                to_string(output_shape), " does not have ", rank, " spatial dims");
  }
  const std::string auto_pad = node.attribute_or<std::string>("auto_pad", "NOTSET");
  OCTET_CHECK(
      auto_pad == "NOTSET" || auto_pad == "VALID" || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER",
      ErrorCode::kInvalidModel, node.label(), ": unknown auto_pad '", auto_pad, "'");
  const bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
  g.pads_begin.assign(rank, 0);
  g.pads_end.assign(rank, 0);
  g.out_spatial.assign(rank, kDynamicDim);
  if (auto_pad == "NOTSET" && output_shape.empty()) {
    const Dims pads = explicit_pads(node, rank);
    g.pads_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(rank));
    g.pads_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(rank), pads.end());
  }
  for (size_t i = 0; i < rank; ++i) {
    if (g.in_spatial[i] == kDynamicDim) {
      if (!output_shape.empty()) g.out_spatial[i] = output_shape[i];
      if (!output_shape.empty() || same) g.pads_begin[i] = g.pads_end[i] = kDynamicDim;
      continue;
    }
    // The full extent a transposed convolution produces before any padding is cropped.
    const int64_t full =
        g.strides[i] * (g.in_spatial[i] - 1) + output_padding[i] + (g.kernel[i] - 1) * g.dilations[i] + 1;
    if (!output_shape.empty() || same) {
      const int64_t target = output_shape.empty() ? g.in_spatial[i] * g.strides[i] : output_shape[i];
      OCTET_CHECK(target >= 1, ErrorCode::kInvalidModel, node.label(), ": output size ", target,
                  " along spatial axis ", i, " must be positive");
      // A negative total (output_shape larger than the full result) extends the output with zeros; floor
      // division keeps ONNX's split for it (the ONNX test test_convtranspose_output_shape relies on it).
      const int64_t total = full - target;
      const int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      g.pads_begin[i] = auto_pad == "SAME_UPPER" ? half : total - half;
      g.pads_end[i] = total - g.pads_begin[i];
    }
    g.out_spatial[i] = full - g.pads_begin[i] - g.pads_end[i];
    OCTET_CHECK(g.out_spatial[i] >= 1, ErrorCode::kInvalidModel, node.label(), ": pads [", g.pads_begin[i],
                ", ", g.pads_end[i], "] along spatial axis ", i, " leave no output");
  }
  return g;
}

void conv_transpose_reference(const ConvGeometry& g, const float* x, const float* w, float* y) {
  const Spatial3 s = to_spatial3(g);
  const int64_t in_per_group = g.in_channels / g.group;
  const int64_t out_per_group = g.out_channels / g.group;
  const int64_t in_plane = s.in[0] * s.in[1] * s.in[2];
  const int64_t out_plane = s.out[0] * s.out[1] * s.out[2];
  const int64_t kernel_size = s.kernel[0] * s.kernel[1] * s.kernel[2];
  std::fill(y, y + g.batch * g.out_channels * out_plane, 0.0f);
  // Scatter form: every input element adds its products into the outputs its taps reach; taps landing in the
  // cropped padding are skipped.
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t c = 0; c < g.in_channels; ++c) {
      const int64_t group = c / in_per_group;
      const float* x_c = x + (n * g.in_channels + c) * in_plane;
      for (int64_t m = 0; m < out_per_group; ++m) {
        const float* w_cm = w + (c * out_per_group + m) * kernel_size;
        float* y_m = y + (n * g.out_channels + group * out_per_group + m) * out_plane;
        for (int64_t id = 0; id < s.in[0]; ++id) {
          for (int64_t ih = 0; ih < s.in[1]; ++ih) {
            for (int64_t iw = 0; iw < s.in[2]; ++iw) {
              const float v = x_c[(id * s.in[1] + ih) * s.in[2] + iw];
              for (int64_t kd = 0; kd < s.kernel[0]; ++kd) {
                const int64_t od = id * s.stride[0] - s.pad[0] + kd * s.dilation[0];
                if (od < 0 || od >= s.out[0]) continue;
                for (int64_t kh = 0; kh < s.kernel[1]; ++kh) {
                  const int64_t oh = ih * s.stride[1] - s.pad[1] + kh * s.dilation[1];
                  if (oh < 0 || oh >= s.out[1]) continue;
                  for (int64_t kw = 0; kw < s.kernel[2]; ++kw) {
                    const int64_t ow = iw * s.stride[2] - s.pad[2] + kw * s.dilation[2];
                    if (ow < 0 || ow >= s.out[2]) continue;
                    y_m[(od * s.out[1] + oh) * s.out[2] + ow] +=
                        v * w_cm[(kd * s.kernel[1] + kh) * s.kernel[2] + kw];
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

template <typename X, typename W, typename Acc>
void conv_reference(const ConvGeometry& g, const X* x, const W* w, Acc* y, Acc x_zero,
                    std::span<const Acc> w_zero) {
  const Spatial3 s = to_spatial3(g);
  const int64_t in_per_group = g.in_channels / g.group;
  const int64_t out_per_group = g.out_channels / g.group;
  const int64_t in_plane = s.in[0] * s.in[1] * s.in[2];
  const int64_t out_plane = s.out[0] * s.out[1] * s.out[2];
  const int64_t kernel_size = s.kernel[0] * s.kernel[1] * s.kernel[2];

  // Per kernel tap of each axis, the outputs it reaches inside the input: computed once, so the loops below
  // need no bounds checks.
  std::array<std::vector<TapOutputs>, 3> taps;
  for (size_t a = 0; a < 3; ++a)
    for (int64_t k = 0; k < s.kernel[a]; ++k)
      taps[a].push_back(tap_outputs(k, s.stride[a], s.pad[a], s.dilation[a], s.in[a], s.out[a]));

  // Loop order: each weight tap is applied to a whole output row at once (the innermost loop walks the output
  // row and the input with the stride), which keeps the reference usable on full networks even unoptimized.
  // Every output still sums its terms in (c, kd, kh, kw) order.
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t m = 0; m < g.out_channels; ++m) {
      const int64_t group = m / out_per_group;
      const Acc wz = w_zero.empty() ? Acc{0} : w_zero[w_zero.size() == 1 ? 0 : static_cast<size_t>(m)];
      const X* x_group = x + (n * g.in_channels + group * in_per_group) * in_plane;
      const W* w_m = w + m * in_per_group * kernel_size;
      Acc* y_m = y + (n * g.out_channels + m) * out_plane;
      std::fill(y_m, y_m + out_plane, Acc{0});
      for (int64_t c = 0; c < in_per_group; ++c) {
        const X* x_c = x_group + c * in_plane;
        const W* w_c = w_m + c * kernel_size;
        for (int64_t kd = 0; kd < s.kernel[0]; ++kd) {
          const TapOutputs td = taps[0][static_cast<size_t>(kd)];
          for (int64_t kh = 0; kh < s.kernel[1]; ++kh) {
            const TapOutputs th = taps[1][static_cast<size_t>(kh)];
            for (int64_t kw = 0; kw < s.kernel[2]; ++kw) {
              const TapOutputs tw = taps[2][static_cast<size_t>(kw)];
              const Acc weight = static_cast<Acc>(w_c[(kd * s.kernel[1] + kh) * s.kernel[2] + kw]) - wz;
              for (int64_t od = td.first; od < td.last; ++od) {
                const int64_t id = od * s.stride[0] + td.offset;
                for (int64_t oh = th.first; oh < th.last; ++oh) {
                  const int64_t ih = oh * s.stride[1] + th.offset;
                  const X* x_row = x_c + (id * s.in[1] + ih) * s.in[2];
                  Acc* y_row = y_m + (od * s.out[1] + oh) * s.out[2];
                  const int64_t stride = s.stride[2];
                  if (stride == 1) {  // the common case, kept contiguous so compilers vectorize it
                    for (int64_t ow = tw.first; ow < tw.last; ++ow)
                      y_row[ow] += (static_cast<Acc>(x_row[ow + tw.offset]) - x_zero) * weight;
                  } else {
                    for (int64_t ow = tw.first, iw = tw.first * stride + tw.offset; ow < tw.last;
                         ++ow, iw += stride)
                      y_row[ow] += (static_cast<Acc>(x_row[iw]) - x_zero) * weight;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

Shape matmul_output_shape(const Node& node, const Shape& a, const Shape& b) {
  if (!a.rank_known() || !b.rank_known()) return Shape::unknown();
  OCTET_CHECK(a.rank() >= 1 && b.rank() >= 1, ErrorCode::kInvalidModel, node.label(),
              ": MatMul operands must have rank >= 1, got ", a.to_string(), " and ", b.to_string());
  // 1-d operands are promoted to matrices ([K] -> [1,K] for A, [K,1] for B) and the added axis is dropped.
  const Dims a2 = a.rank() == 1 ? Dims{1, a[0]} : a.dims();
  const Dims b2 = b.rank() == 1 ? Dims{b[0], 1} : b.dims();
  const int64_t ka = a2[a2.size() - 1], kb = b2[b2.size() - 2];
  OCTET_CHECK(ka == kb || ka == kDynamicDim || kb == kDynamicDim, ErrorCode::kInvalidModel, node.label(),
              ": inner dimensions of ", a.to_string(), " and ", b.to_string(), " do not match");
  const Shape batch =
      broadcast_shapes(node, Shape(Dims(a2.begin(), a2.end() - 2)), Shape(Dims(b2.begin(), b2.end() - 2)));
  Dims out = batch.dims();
  if (a.rank() != 1) out.push_back(a2[a2.size() - 2]);
  if (b.rank() != 1) out.push_back(b2[b2.size() - 1]);
  return Shape(out);
}

Dims matmul_output_dims(const Node& node, const Dims& a, const Dims& b) {
  return matmul_output_shape(node, Shape(a), Shape(b)).dims();
}

template <typename A, typename B, typename Acc>
void matmul_reference(const Dims& a_dims, const A* a, const Dims& b_dims, const B* b, Acc* y, Acc a_zero,
                      std::span<const Acc> b_zero) {
  OCTET_ASSERT(!a_dims.empty() && !b_dims.empty());
  const Dims a2 = a_dims.size() == 1 ? Dims{1, a_dims[0]} : a_dims;
  const Dims b2 = b_dims.size() == 1 ? Dims{b_dims[0], 1} : b_dims;
  const int64_t rows = a2[a2.size() - 2], inner = a2[a2.size() - 1], cols = b2[b2.size() - 1];
  OCTET_ASSERT(b2[b2.size() - 2] == inner);
  const Dims a_batch(a2.begin(), a2.end() - 2), b_batch(b2.begin(), b2.end() - 2);
  Dims batch(std::max(a_batch.size(), b_batch.size()), 1);
  for (size_t i = 0; i < batch.size(); ++i) {
    const size_t from_end = batch.size() - i;
    const int64_t da = from_end <= a_batch.size() ? a_batch[a_batch.size() - from_end] : 1;
    const int64_t db = from_end <= b_batch.size() ? b_batch[b_batch.size() - from_end] : 1;
    OCTET_ASSERT(da == db || da == 1 || db == 1);
    batch[i] = std::max(da, db);
  }
  const std::vector<int64_t> a_map = broadcast_index_map(batch, a_batch);
  const std::vector<int64_t> b_map = broadcast_index_map(batch, b_batch);
  for (size_t bi = 0; bi < a_map.size(); ++bi) {
    const A* a_mat = a + a_map[bi] * rows * inner;
    const B* b_mat = b + b_map[bi] * inner * cols;
    Acc* y_mat = y + static_cast<int64_t>(bi) * rows * cols;
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < cols; ++j) {
        const Acc bz = b_zero.empty() ? Acc{0} : b_zero[b_zero.size() == 1 ? 0 : static_cast<size_t>(j)];
        Acc acc{0};
        for (int64_t k = 0; k < inner; ++k)
          acc += (static_cast<Acc>(a_mat[i * inner + k]) - a_zero) *
                 (static_cast<Acc>(b_mat[k * cols + j]) - bz);
        y_mat[i * cols + j] = acc;
      }
    }
  }
}

#define OCTET_INSTANTIATE_CONV_MATMUL(X, W, Acc)                                                     \
  template void conv_reference<X, W, Acc>(const ConvGeometry&, const X*, const W*, Acc*, Acc,        \
                                          std::span<const Acc>);                                     \
  template void matmul_reference<X, W, Acc>(const Dims&, const X*, const Dims&, const W*, Acc*, Acc, \
                                            std::span<const Acc>);

OCTET_INSTANTIATE_CONV_MATMUL(float, float, float)
OCTET_INSTANTIATE_CONV_MATMUL(uint8_t, int8_t, int32_t)
OCTET_INSTANTIATE_CONV_MATMUL(uint8_t, uint8_t, int32_t)
OCTET_INSTANTIATE_CONV_MATMUL(int8_t, int8_t, int32_t)
OCTET_INSTANTIATE_CONV_MATMUL(int8_t, uint8_t, int32_t)
#undef OCTET_INSTANTIATE_CONV_MATMUL

}  // namespace octet
