// Fast bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and Bias
// Correction", section 4.2; NNCF's FastBiasCorrection): quantizing the weights W to W_q shifts the mean of
// output channel o by  sum over the inputs it reads of (W_q - W)[o, i] * E[x_i],  where E[x_i] is the mean
// of the fp32 input channel i (constant over a convolution's window, so the kernel taps of one input channel
// share it). Subtracting that shift from the bias gives the quantized layer the fp32 layer's output mean.
// Zero padding makes the true mean near the border slightly different; the correction ignores it, as NNCF's
// fast variant does.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace octet::quantization {

// Corrects every Conv / Gemm / MatMul whose weights are a FakeQuantize of a constant (quantization/
// insert_fake_quantize.h). input_channel_means holds the per-channel means (axis 1) of each layer's fp32
// input, looked up by the node's name, then by the name of its input tensor (or of the tensor its input
// FakeQuantize reads); layers without an entry are left alone. Conv and Gemm get a bias input when they have
// none; a MatMul gets its bias Add changed, or a new Add. Gemm with transA and MatMul with an input of rank
// other than 2 (where axis 1 is not the reduced axis) are skipped. Returns the number of layers corrected.
// Throws kInvalidArgument when a mean vector does not have one value per input channel.
int correct_biases(Graph& quantized, const std::map<std::string, std::vector<double>>& input_channel_means);

// Undoes correct_biases for one layer (accuracy control reverting it to fp32): the layer reads the bias it
// reads in `fp32` (the model before quantization) again, and an Add the correction inserted is removed. A
// layer the correction left alone is not changed.
void restore_fp32_bias(Graph& quantized, const Graph& fp32, const std::string& layer);

}  // namespace octet::quantization
