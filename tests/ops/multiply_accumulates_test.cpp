// MAC counts of the arithmetic-heavy ops, against hand arithmetic on small shapes.
#include "ops/multiply_accumulates.h"

#include <gtest/gtest.h>

#include "ops/shape_inference.h"

namespace octet {
namespace {

Tensor zeros(Dims dims) {
  return Tensor(ElementType::kF32, std::move(dims));
}

TEST(MultiplyAccumulatesTest, GroupedStridedConvolution) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 8, 10, 10});
  Value* w = g.add_constant("w", zeros({16, 4, 3, 3}));  // group 2: 4 input channels per output channel
  Attributes attributes;
  attributes["group"] = int64_t{2};
  attributes["strides"] = std::vector<int64_t>{2, 2};
  attributes["pads"] = std::vector<int64_t>{1, 1, 1, 1};
  Node* conv = g.add_node("Conv", "conv", {x, w}, {"y"}, attributes);
  infer_shapes(g);
  // Output 1x16x5x5 = 400 elements, each 4 * 3 * 3 = 36 products.
  EXPECT_EQ(multiply_accumulates(*conv), 400 * 36);
}

TEST(MultiplyAccumulatesTest, GemmTransposedAndMatMulBatched) {
  Graph g;
  Value* a = g.add_input("a", ElementType::kF32, Shape{64, 3});  // transA: A is K x M = 64 x 3
  Value* b = g.add_constant("b", zeros({64, 10}));
  Attributes attributes;
  attributes["transA"] = int64_t{1};
  Node* gemm = g.add_node("Gemm", "gemm", {a, b}, {"y"}, attributes);
  Value* p = g.add_input("p", ElementType::kF32, Shape{2, 5, 7});
  Value* q = g.add_input("q", ElementType::kF32, Shape{2, 7, 4});
  Node* matmul = g.add_node("MatMul", "matmul", {p, q}, {"pq"});
  Node* relu = g.add_node("Relu", "relu", {p}, {"r"});
  infer_shapes(g);
  EXPECT_EQ(multiply_accumulates(*gemm), 3 * 10 * 64);
  EXPECT_EQ(multiply_accumulates(*matmul), 2 * 5 * 4 * 7);
  EXPECT_EQ(multiply_accumulates(*relu), 0);
}

TEST(MultiplyAccumulatesTest, TransposedConvolution) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 5, 5});
  Value* w = g.add_constant("w", zeros({4, 6, 2, 2}));  // C=4 -> M=6, 2x2 kernel
  Attributes attributes;
  attributes["strides"] = std::vector<int64_t>{2, 2};
  Node* deconv = g.add_node("ConvTranspose", "deconv", {x, w}, {"y"}, attributes);
  infer_shapes(g);
  // Every one of the 100 input elements scatters into 6 * 2 * 2 outputs.
  EXPECT_EQ(multiply_accumulates(*deconv), 100 * 24);
}

}  // namespace
}  // namespace octet
