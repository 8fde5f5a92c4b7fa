"""The graph side of scripts/quantize_qdq.py: writes the QDQ model onnxruntime's
`quantize_static(model, ..., quant_format=QuantFormat.QDQ, activation_type=QuantType.QUInt8,
weight_type=QuantType.QInt8, per_channel=True, calibrate_method=CalibrationMethod.MinMax)` writes, from the
float model and the calibrated min/max of its tensors. Numpy and the onnx package only.

What is mirrored (onnxruntime/python/tools/quantization: registry.py, qdq_quantizer.py, operators/*.py,
quant_utils.py, calibrate.py; default extra options):
- pre-processing (quant_pre_process, basic ORT optimizations) for the patterns these models have: Constant
  nodes become initializers, Identity nodes go, BatchNormalization after a Conv folds into it;
- which tensors get a QuantizeLinear -> DequantizeLinear pair, node by node in graph order:
  Conv / ConvTranspose / Gemm / MatMul: activation input(s) and output; constant weights symmetric s8 per
  output channel (axis 0; ConvTranspose 1; Gemm 0 with transB else 1; MatMul the last axis), zero point 0,
  range [-127, 127]; constant bias as DequantizeLinear(int32, scale = x_scale * w_scale, zero point 0).
  Relu / Clip: removed when their input is quantized, consumed only by them and not a graph input/output (the
  producer then writes the activation's output and takes its range), otherwise input and output quantized.
  Reshape / Transpose / Squeeze / Unsqueeze / MaxPool / AveragePool / Slice / Resize / Split / Pad / Gather:
  only when the input is already quantized; the output then shares the input's scale and zero point. Every
  other op onnxruntime quantizes by default (Add, Mul, Concat, GlobalAveragePool, Softmax, Sigmoid,
  LeakyRelu, Where, ArgMax, ...): all float inputs and outputs, each with its own calibrated parameters.
  Ops in neither list (Flatten, for one) are left alone: they run in fp32 between a DQ and a Q;
- activation parameters: u8 asymmetric, range widened to include 0, scale = (max - min) / 255, zero point =
  round(-min / scale) (numpy rounding), scale 1 / zero point 0 for an empty range; one Q/DQ pair per tensor
  shared by all consumers; a graph input keeps its name (Q reads it), a graph output keeps its name (the last
  DQ writes it); names as onnxruntime gives them (<t>_QuantizeLinear, <w>_quantized, <w>_scale, ...).
Not mirrored (not in these models): the normalization ops (Instance/Layer/BatchNormalization left after
pre-processing stay fp32), LSTM/Attention, float constant inputs of Add/Mul (stay fp32), weight-scale
adjustment for int32 bias overflow (the bias is clipped to int32 with a warning instead)."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Ops with a dedicated rule; every other op in DEFAULT_OPS quantizes all its float inputs and outputs.
WEIGHTED = {"Conv", "ConvTranspose", "Gemm", "MatMul"}
REMOVABLE_ACTIVATIONS = {"Relu", "Clip"}
SAME_AS_INPUT = {"Reshape", "Transpose", "Squeeze", "Unsqueeze", "MaxPool", "AveragePool", "Slice", "Resize",
                 "Split", "Pad", "Gather", "GatherElements"}
# onnxruntime's default op_types_to_quantize = QLinearOpsRegistry + QDQRegistry keys, less the ones handled
# above and the normalization/sequence ops this script does not mirror.
OTHER_OPS = {"Add", "Mul", "Concat", "GlobalAveragePool", "Softmax", "Sigmoid", "LeakyRelu", "Where",
             "ArgMax"}
DEFAULT_OPS = WEIGHTED | REMOVABLE_ACTIVATIONS | SAME_AS_INPUT | OTHER_OPS
MIN_OPSET = 13  # DequantizeLinear's axis (per-channel weights) needs opset 13


# ------------------------------------------------------------------------------------------- the arithmetic
def activation_params(rmin, rmax):
    """(scale f32, zero point u8) of quant_utils.compute_scale_zp for u8, asymmetric, no reduced range."""
    rmin = np.minimum(np.float32(rmin), np.float32(0))
    rmax = np.maximum(np.float32(rmax), np.float32(0))
    scale = np.float64(np.float32(rmax - rmin)) / 255.0
    if scale < np.finfo(np.float32).tiny:
        return np.float32(1.0), np.uint8(0)
    zero_point = np.round(0.0 - np.float64(rmin) / scale)
    return np.float32(scale), np.uint8(zero_point)


def weight_params_per_channel(w, axis, reduce_range=False):
    """(scale f32 [C], q s8 like w) for symmetric s8 weights over [-127, 127], one scale per slice of axis.
    reduce_range: onnxruntime's 7-bit weights over [-64, 64] (its advice for x86 without VNNI, where
    vpmaddubsw adds two u8 x s8 products into a saturating i16: 255 * (64 + 64) = 32640 always fits)."""
    qmax = 64 if reduce_range else 127
    w = np.asarray(w, dtype=np.float32)
    moved = np.moveaxis(w, axis, 0).reshape(w.shape[axis], -1)
    absmax = np.maximum(np.abs(np.minimum(moved.min(axis=1), 0)), np.abs(np.maximum(moved.max(axis=1), 0)))
    scale = np.float64((absmax - (-absmax)).astype(np.float32)) / (2.0 * qmax)
    tiny = scale < np.finfo(np.float32).tiny
    scale = np.where(tiny, 1.0, scale).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = w.shape[axis]
    q = np.clip(np.round(w / scale.reshape(shape)), -128 if qmax == 127 else -qmax, qmax).astype(np.int8)
    return scale, q


def bias_quantized(bias, input_scale, weight_scale):
    """(scale f32, q int32) of quantize_bias_static_impl: scale = input_scale * weight_scale, q = round(b / s)
    in float64, clipped to int32 (with a warning, as onnxruntime does)."""
    scale = np.float32(input_scale) * np.asarray(weight_scale, dtype=np.float32)
    q = np.round(np.asarray(bias, np.float64) / np.asarray(scale, np.float64).reshape(-1))
    limits = np.iinfo(np.int32)
    overflow = bool(np.any((q < limits.min) | (q > limits.max)))
    return scale.reshape(-1), np.clip(q, limits.min, limits.max).astype(np.int32), overflow


# ------------------------------------------------------------------------------------------- pre-processing
def _initializers(graph):
    return {t.name: t for t in graph.initializer}


def _consumers(graph):
    uses = {}
    for node in graph.node:
        for name in node.input:
            if name:
                uses.setdefault(name, []).append(node)
    return uses


def _rename_input(graph, old, new):
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == old:
                node.input[i] = new


def preprocess(model):
    """Constant -> initializer, Identity removal, Conv + BatchNormalization folding; returns notes."""
    graph = model.graph
    notes = []
    outputs = {o.name for o in graph.output}
    kept = []
    constants = identities = 0
    for node in graph.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            tensor = onnx.TensorProto()
            tensor.CopyFrom(node.attribute[0].t)
            tensor.name = node.output[0]
            graph.initializer.append(tensor)
            constants += 1
            continue
        kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)
    kept = []
    for node in graph.node:
        if node.op_type == "Identity" and node.output[0] not in outputs:
            _rename_input(graph, node.output[0], node.input[0])
            identities += 1
            continue
        kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)
    folded = fold_batchnorm(graph)
    notes.append(f"pre-processing: {constants} Constant -> initializer, {identities} Identity removed, "
                 f"{folded} BatchNormalization folded into Conv")
    return notes


def fold_batchnorm(graph):
    """BatchNormalization(Conv(x)) -> Conv with scaled weights and a bias, where the Conv output feeds only
    the BN and every parameter is constant (onnxruntime's ConvBNFusion)."""
    inits = _initializers(graph)
    producers = {out: node for node in graph.node for out in node.output}
    uses = _consumers(graph)
    outputs = {o.name for o in graph.output}
    removed = []
    for bn in graph.node:
        if bn.op_type != "BatchNormalization" or len(bn.output) != 1:
            continue
        conv = producers.get(bn.input[0])
        params = bn.input[1:5]
        if (conv is None or conv.op_type != "Conv" or len(uses.get(bn.input[0], [])) != 1
                or bn.input[0] in outputs or not all(p in inits for p in params)
                or conv.input[1] not in inits or (len(conv.input) > 2 and conv.input[2] not in inits)):
            continue
        eps = next((a.f for a in bn.attribute if a.name == "epsilon"), 1e-5)
        gamma, beta, mean, var = (numpy_helper.to_array(inits[p]).astype(np.float64) for p in params)
        w = numpy_helper.to_array(inits[conv.input[1]]).astype(np.float64)
        b = numpy_helper.to_array(inits[conv.input[2]]).astype(np.float64) if len(conv.input) > 2 else 0.0
        factor = gamma / np.sqrt(var + eps)
        w_name, b_name = conv.output[0] + "_bn_folded_W", conv.output[0] + "_bn_folded_B"
        graph.initializer.append(numpy_helper.from_array(
            (w * factor.reshape(-1, *[1] * (w.ndim - 1))).astype(np.float32), w_name))
        new_bias = ((b - mean) * factor + beta).astype(np.float32)
        graph.initializer.append(numpy_helper.from_array(new_bias, b_name))
        del conv.input[1:]
        conv.input.extend([w_name, b_name])
        conv.output[0] = bn.output[0]
        removed.append(bn)
    for bn in removed:
        graph.node.remove(bn)
    _drop_unused_initializers(graph)
    return len(removed)


def _drop_unused_initializers(graph):
    used = {name for node in graph.node for name in node.input} | {o.name for o in graph.output}
    keep = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


# ------------------------------------------------------------------------------------------- the plan
def float_tensors(model):
    """Names of every float32 tensor the graph computes or takes as input (not initializers)."""
    inferred = onnx.shape_inference.infer_shapes(model)
    graph = inferred.graph
    inits = _initializers(graph)
    infos = list(graph.value_info) + list(graph.input) + list(graph.output)
    return {v.name for v in infos
            if v.type.tensor_type.elem_type == TensorProto.FLOAT and v.name not in inits}


def tensors_to_calibrate(model, op_types=DEFAULT_OPS):
    """onnxruntime's MinMaxCalibrater.select_tensors_to_calibrate: float, non-constant inputs and outputs of
    every node whose type is quantized, in graph order."""
    floats = float_tensors(model)
    names = []
    for node in model.graph.node:
        if node.op_type in op_types:
            for name in list(node.input) + list(node.output):
                if name in floats and name not in names:
                    names.append(name)
    return names


class Plan:
    """What quantize_static decides node by node: tensors with their own Q/DQ parameters, tensors that share
    another tensor's, per-channel weights, biases, removed activations."""

    def __init__(self, model, ranges):
        self.graph = model.graph
        self.ranges = ranges
        self.floats = float_tensors(model)
        self.inits = _initializers(self.graph)
        self.graph_inputs = {i.name for i in self.graph.input}
        self.graph_outputs = {o.name for o in self.graph.output}
        self.activations = {}  # tensor -> tensor whose parameters it uses (itself for its own)
        self.weights = {}  # initializer -> channel axis
        self.biases = []  # (bias, input tensor, weight, beta)
        self.removed = []
        self.untouched = set()  # op types of nodes no rule quantized (they run in fp32 between DQ and Q)

    def quantized(self, name):
        return name in self.activations

    def activation(self, name):
        if name and name in self.floats and name not in self.inits and name not in self.activations:
            if name not in self.ranges:
                raise ValueError(f"tensor '{name}' has no calibrated range")
            self.activations[name] = name

    def same_as(self, output, source):
        if output in self.floats and output not in self.activations:
            self.activations[output] = self.activations[source]

    def weight_or_activation(self, name, axis):
        if name in self.inits and self.inits[name].data_type == TensorProto.FLOAT:
            self.weights.setdefault(name, axis)
        else:
            self.activation(name)

    def visit(self, node):
        op = node.op_type
        if op in WEIGHTED:
            self.activation(node.input[0])
            if op == "Conv":
                axis = 0
            elif op == "ConvTranspose":
                axis = 1
            elif op == "Gemm":
                axis = 0 if any(a.name == "transB" and a.i for a in node.attribute) else 1
            else:
                axis = -1
            if self.inits.get(node.input[1]) is not None and axis == -1:
                axis = len(self.inits[node.input[1]].dims) - 1
            self.weight_or_activation(node.input[1], axis)
            if op != "MatMul" and len(node.input) > 2 and node.input[2] in self.inits \
                    and node.input[1] in self.weights:
                beta = next((a.f for a in node.attribute if a.name == "beta"), 1.0)
                self.biases.append((node.input[2], node.input[0], node.input[1], beta, node))
            self.activation(node.output[0])
        elif op in REMOVABLE_ACTIVATIONS:
            source = node.input[0]
            if not self.quantized(source):
                self.untouched.add(op)
                return
            uses = [n for n in self.graph.node if source in n.input]
            if (node.output[0] in self.ranges and len(uses) == 1 and source not in self.graph_outputs
                    and source not in self.graph_inputs):
                for producer in self.graph.node:
                    for i, out in enumerate(producer.output):
                        if out == source:
                            producer.output[i] = node.output[0]
                del self.activations[source]
                self.removed.append(node)
            else:
                self.activation(source)
            self.activation(node.output[0])
        elif op in SAME_AS_INPUT and self.quantized(node.input[0]):
            for out in node.output:
                self.same_as(out, node.input[0])
        elif op in OTHER_OPS:
            for name in list(node.input) + list(node.output):
                self.activation(name)
        else:
            self.untouched.add(op)


# ------------------------------------------------------------------------------------------- the rewrite
def _scalar(name, value, dtype):
    return numpy_helper.from_array(np.array(value, dtype=dtype), name)


def quantize(model, ranges, reduce_range=False):
    """Rewrites the (pre-processed) float model in place into QDQ form; returns a summary dict."""
    graph = model.graph
    plan = Plan(model, ranges)
    for node in list(graph.node):
        plan.visit(node)
    for node in plan.removed:
        graph.node.remove(node)

    new_nodes, warnings = [], []
    params = {}
    for name, source in plan.activations.items():
        if source == name:
            scale, zp = activation_params(*ranges[name])
            params[name] = (scale, zp)
            graph.initializer.extend([_scalar(name + "_scale", scale, np.float32),
                                      _scalar(name + "_zero_point", zp, np.uint8)])
    for name, source in plan.activations.items():
        scale_name, zp_name = source + "_scale", source + "_zero_point"
        q_in, dq_out = name, name + "_DequantizeLinear_Output"
        if name in plan.graph_outputs:
            q_in, dq_out = name + "_QuantizeLinear_Input", name
            for node in graph.node:
                for i, out in enumerate(node.output):
                    if out == name:
                        node.output[i] = q_in
        else:
            _rename_input(graph, name, dq_out)
        q_out = name + "_QuantizeLinear_Output"
        new_nodes.append(helper.make_node("QuantizeLinear", [q_in, scale_name, zp_name], [q_out],
                                          name + "_QuantizeLinear"))
        new_nodes.append(helper.make_node("DequantizeLinear", [q_out, scale_name, zp_name], [dq_out],
                                          name + "_DequantizeLinear"))

    weight_scales = {}
    for name, axis in plan.weights.items():
        w = numpy_helper.to_array(plan.inits[name])
        scale, q = weight_params_per_channel(w, axis, reduce_range)
        weight_scales[name] = scale
        graph.initializer.extend([numpy_helper.from_array(q, name + "_quantized"),
                                  numpy_helper.from_array(scale, name + "_scale"),
                                  numpy_helper.from_array(np.zeros(scale.shape, np.int8),
                                                          name + "_zero_point")])
        _rename_input(graph, name, name + "_DequantizeLinear_Output")
        new_nodes.append(helper.make_node("DequantizeLinear", [name + "_quantized", name + "_scale",
                                                               name + "_zero_point"],
                                          [name + "_DequantizeLinear_Output"], name + "_DequantizeLinear",
                                          axis=axis))

    biases = 0
    for bias, x, weight, beta, node in plan.biases:
        if x not in plan.activations or bias + "_quantized" in {t.name for t in graph.initializer}:
            continue  # input left fp32, or a bias shared by two nodes: keep it fp32
        b = numpy_helper.to_array(plan.inits[bias]).astype(np.float32) * np.float32(beta)
        x_scale = params[plan.activations[x]][0]
        scale, q, overflow = bias_quantized(b, x_scale, weight_scales[weight])
        if overflow:
            warnings.append(f"bias '{bias}' exceeds int32 at scale x_scale * w_scale; clipped")
        graph.initializer.extend([numpy_helper.from_array(q.reshape(b.shape), bias + "_quantized"),
                                  numpy_helper.from_array(scale, bias + "_quantized_scale"),
                                  numpy_helper.from_array(np.zeros(scale.shape, np.int32),
                                                          bias + "_quantized_zero_point")])
        _rename_input(graph, bias, bias + "_DequantizeLinear_Output")
        new_nodes.append(helper.make_node("DequantizeLinear", [bias + "_quantized", bias + "_quantized_scale",
                                                               bias + "_quantized_zero_point"],
                                          [bias + "_DequantizeLinear_Output"], bias + "_DequantizeLinear",
                                          axis=0))
        for a in node.attribute:
            if a.name == "beta":
                a.f = 1.0
        biases += 1

    graph.node.extend(new_nodes)
    _drop_unused_initializers(graph)
    _topological_sort(graph)
    return {"activation_qdq_pairs": len(plan.activations),
            "own_parameters": sum(1 for k, v in plan.activations.items() if k == v),
            "weights_per_channel": len(plan.weights), "biases_int32": biases,
            "activations_removed": len(plan.removed), "ops_left_fp32": sorted(plan.untouched),
            "warnings": warnings}


def _topological_sort(graph):
    """Kahn's order, keeping the original order among nodes that are ready together."""
    available = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    pending, ordered = list(graph.node), []
    while pending:
        waiting = []
        for node in pending:
            if all(i in available for i in node.input):
                ordered.append(node)
                available.update(node.output)
            else:
                waiting.append(node)
        if len(waiting) == len(pending):
            raise ValueError("graph has a cycle or an undefined input after quantization")
        pending = waiting
    copies = [onnx.NodeProto() for _ in ordered]
    for copy, node in zip(copies, ordered):
        copy.CopyFrom(node)
    del graph.node[:]
    graph.node.extend(copies)
