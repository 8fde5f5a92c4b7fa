#!/usr/bin/python3
"""Unit tests of scripts/quantize_qdq.py and its helpers (qdq_quantizer.py, qdq_data.py):
    /usr/bin/python3 -m unittest discover -s bench/testing -p 'test_*.py'
Expected numbers are worked out by hand in the comments (onnxruntime's formulas, quant_utils.compute_scale_zp
and quantize_bias_static_impl). The end-to-end test needs node and bench/node_modules/onnxruntime-node and is
skipped without them."""
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

TESTING = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(TESTING))
sys.path.insert(0, os.path.join(REPO, "scripts"))

import qdq_data  # noqa: E402
import qdq_quantizer  # noqa: E402
import quantize_qdq  # noqa: E402

HAVE_ORT = shutil.which("node") and os.path.isdir(
    os.path.join(REPO, "bench", "node_modules", "onnxruntime-node"))


def tiny_model():
    """x[1,2,8,8] -> Conv(bias) -> Relu -> MaxPool -> Conv -> BatchNormalization -> Add(., MaxPool out)
    -> Relu -> Identity -> GlobalAveragePool -> Flatten -> Gemm(transB) -> y[1,10]; 2 input channels so that
    no image recipe fits (random calibration)."""
    rng = np.random.default_rng(7)
    inits = [numpy_helper.from_array(rng.standard_normal(s).astype(np.float32) * 0.3, n) for n, s in
             [("W1", (4, 2, 3, 3)), ("B1", (4,)), ("W2", (4, 4, 1, 1)), ("W3", (10, 4)), ("B3", (10,))]]
    inits += [numpy_helper.from_array(v.astype(np.float32), n) for n, v in
              [("gamma", np.array([1.0, 2.0, 0.5, 1.5])), ("beta", np.array([0.1, -0.1, 0.0, 0.2])),
               ("mean", np.array([0.0, 0.5, -0.5, 0.1])), ("var", np.array([1.0, 4.0, 0.25, 1.0]))]]
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["c1"], "conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], "relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], "pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "W2"], ["c2"], "conv2"),
        helper.make_node("BatchNormalization", ["c2", "gamma", "beta", "mean", "var"], ["b2"], "bn"),
        helper.make_node("Add", ["b2", "p1"], ["a"], "add"),
        helper.make_node("Relu", ["a"], ["r2"], "relu2"),
        helper.make_node("Identity", ["r2"], ["i2"], "identity"),
        helper.make_node("GlobalAveragePool", ["i2"], ["g"], "gap"),
        helper.make_node("Flatten", ["g"], ["f"], "flatten"),
        helper.make_node("Gemm", ["f", "W3", "B3"], ["y"], "fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "tiny",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


class ArithmeticTest(unittest.TestCase):
    def test_activation_params(self):
        # [-1, 3]: scale 4/255, zero point round(1 / (4/255)) = round(63.75) = 64.
        scale, zp = qdq_quantizer.activation_params(-1.0, 3.0)
        self.assertAlmostEqual(float(scale), 4 / 255, places=7)
        self.assertEqual(int(zp), 64)
        # [0.5, 2] widens to [0, 2]: zero point 0; [-2, -1] widens to [-2, 0]: zero point 255.
        self.assertEqual(int(qdq_quantizer.activation_params(0.5, 2.0)[1]), 0)
        self.assertAlmostEqual(float(qdq_quantizer.activation_params(0.5, 2.0)[0]), 2 / 255, places=7)
        self.assertEqual(int(qdq_quantizer.activation_params(-2.0, -1.0)[1]), 255)
        # An empty range: scale 1, zero point 0.
        self.assertEqual(tuple(map(float, qdq_quantizer.activation_params(0.0, 0.0))), (1.0, 0.0))

    def test_weights_symmetric_per_channel(self):
        # Output channel 0 holds 0.5 and -1.27: absmax 1.27, scale 2.54/254 = 0.01, q = 50, -127.
        # Channel 1 is all zero: scale 1, q 0.
        w = np.array([[0.5, -1.27], [0.0, 0.0]], np.float32).reshape(2, 2, 1, 1)
        scale, q = qdq_quantizer.weight_params_per_channel(w, 0)
        np.testing.assert_allclose(scale, [0.01, 1.0], rtol=1e-6)
        self.assertEqual(q.dtype, np.int8)
        self.assertEqual(q.reshape(2, 2).tolist(), [[50, -127], [0, 0]])
        # Axis 1 (ConvTranspose): channels are the columns: [0.5, 0] -> 0.5/127, [-1.27, 0] -> 0.01.
        scale, q = qdq_quantizer.weight_params_per_channel(w, 1)
        np.testing.assert_allclose(scale, [0.5 / 127, 0.01], rtol=1e-6)
        self.assertEqual(q.reshape(2, 2).tolist(), [[127, -127], [0, 0]])

    def test_bias_int32(self):
        # scale = 0.5 * [0.01, 1] = [0.005, 0.5]; 0.0126 / 0.005 = 2.52 -> 3; -1.25 / 0.5 = -2.5 -> -2
        # (half to even).
        scale, q, overflow = qdq_quantizer.bias_quantized(np.array([0.0126, -1.25], np.float32),
                                                          np.float32(0.5), np.array([0.01, 1.0], np.float32))
        np.testing.assert_allclose(scale, [0.005, 0.5], rtol=1e-6)
        self.assertEqual(q.tolist(), [3, -2])
        self.assertFalse(overflow)
        _, q, overflow = qdq_quantizer.bias_quantized(np.array([1e6], np.float32), np.float32(1e-4),
                                                      np.array([1e-6], np.float32))
        self.assertTrue(overflow)
        self.assertEqual(q.tolist(), [2**31 - 1])


class GraphTest(unittest.TestCase):
    def quantized(self):
        model = tiny_model()
        notes = qdq_quantizer.preprocess(model)
        names = qdq_quantizer.tensors_to_calibrate(model)
        ranges = {n: ((0.0 if n.startswith("r") else -1.0), 2.0) for n in names}
        summary = qdq_quantizer.quantize(model, ranges)
        onnx.checker.check_model(model, full_check=True)
        return model, notes, names, summary

    def test_preprocessing_and_calibrated_tensors(self):
        _, notes, names, _ = self.quantized()
        self.assertIn("1 Identity removed, 1 BatchNormalization folded into Conv", notes[0])
        # Inputs and outputs of the quantizable ops in graph order; Flatten is not one, its output is Gemm's
        # input. The folded Conv writes the BN's output b2.
        self.assertEqual(names, ["x", "c1", "r1", "p1", "b2", "a", "r2", "g", "f", "y"])

    def test_onnxruntime_rules(self):
        model, _, _, summary = self.quantized()
        graph = model.graph
        ops = [n.op_type for n in graph.node]
        self.assertNotIn("Relu", ops)  # both folded into their producers' quantization
        self.assertEqual(summary["activations_removed"], 2)
        self.assertEqual(summary["ops_left_fp32"], ["Flatten"])
        by_name = {n.name: n for n in graph.node}
        self.assertEqual(by_name["conv1"].output[0], "r1")  # the Conv now writes the Relu's output
        self.assertEqual(by_name["add"].output[0], "r2")
        self.assertEqual(list(by_name["add"].input),
                         ["b2_DequantizeLinear_Output", "p1_DequantizeLinear_Output"])
        # MaxPool's output shares its input's scale and zero point.
        self.assertEqual(list(by_name["p1_QuantizeLinear"].input), ["p1", "r1_scale", "r1_zero_point"])
        # The graph input keeps its name; the graph output is written by the last DequantizeLinear.
        self.assertEqual(by_name["x_QuantizeLinear"].input[0], "x")
        self.assertEqual(by_name["fc"].output[0], "y_QuantizeLinear_Input")
        self.assertEqual(by_name["y_DequantizeLinear"].output[0], "y")
        self.assertEqual(list(by_name["flatten"].input), ["g_DequantizeLinear_Output"])
        # x: [-1, 2] -> scale 3/255, zero point round(85.0) = 85; r1: [0, 2] -> zero point 0.
        inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        self.assertAlmostEqual(float(inits["x_scale"]), 3 / 255, places=7)
        self.assertEqual((inits["x_zero_point"].dtype, int(inits["x_zero_point"])), (np.uint8, 85))
        self.assertEqual(int(inits["r1_zero_point"]), 0)
        # Weights: s8 per output channel (Gemm with transB: axis 0), zero points 0, float weights gone.
        self.assertEqual(inits["W3_quantized"].dtype, np.int8)
        self.assertEqual(inits["W3_scale"].shape, (10,))
        self.assertEqual(helper.get_attribute_value(by_name["W3_DequantizeLinear"].attribute[0]), 0)
        self.assertNotIn("W1", inits)
        # Bias: int32 with scale x_scale * W1_scale.
        self.assertEqual(inits["B1_quantized"].dtype, np.int32)
        np.testing.assert_allclose(inits["B1_quantized_scale"], inits["x_scale"] * inits["W1_scale"],
                                   rtol=1e-7)
        # BN folded: conv2 has a bias now (b = (0 - mean) * gamma / sqrt(var + eps) + beta).
        self.assertEqual(len(by_name["conv2"].input), 3)
        self.assertEqual(summary["biases_int32"], 3)

    def test_relu_on_a_shared_tensor_stays(self):
        # conv -> c, c feeds the Relu and the graph output: the Relu cannot take over the Conv's output.
        w = numpy_helper.from_array(np.ones((1, 1, 1, 1), np.float32), "W")
        graph = helper.make_graph(
            [helper.make_node("Conv", ["x", "W"], ["c"], "conv"),
             helper.make_node("Relu", ["c"], ["r"], "relu")],
            "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2])],
            [helper.make_tensor_value_info("c", TensorProto.FLOAT, [1, 1, 2, 2]),
             helper.make_tensor_value_info("r", TensorProto.FLOAT, [1, 1, 2, 2])], [w])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        summary = qdq_quantizer.quantize(model, {"x": (-1.0, 1.0), "c": (-1.0, 1.0), "r": (0.0, 1.0)})
        self.assertEqual(summary["activations_removed"], 0)
        self.assertIn("Relu", [n.op_type for n in model.graph.node])
        onnx.checker.check_model(model)


class DataTest(unittest.TestCase):
    def test_calibration_and_check_images_are_disjoint(self):
        calib = qdq_data.split_indices(1000, 150, 0)
        check = qdq_data.split_indices(1000, 100, 5)
        self.assertEqual(len(calib), 150)
        self.assertEqual(calib[:3], [0, 1, 10])  # every 10th from 0, then from 1
        self.assertEqual(check[:3], [5, 15, 25])
        self.assertFalse(set(calib) & set(check))

    def test_recipes(self):
        self.assertEqual(repr(qdq_data.recipe_for("mobilenet_v2_1.0_224.fp32", [1, 3, 224, 224])),
                         "Recipe(224, shorter, tflite)")
        self.assertEqual(repr(qdq_data.recipe_for("mobilenet_v2", [1, 3, 224, 224])),
                         "Recipe(224, shorter, imagenet)")
        self.assertEqual(repr(qdq_data.recipe_for("ssd_mobilenet", [1, 3, 300, 300])),
                         "Recipe(300, squash, imagenet)")
        self.assertIsNone(qdq_data.recipe_for("x", [1, 2, 8, 8]))
        self.assertIsNone(qdq_data.recipe_for("x", [1, 3, 8, 16]))

    def test_load_image_crops_the_centre(self):
        from PIL import Image

        # 300 x 256, red channel = column index: shorter side already 256 -> no resize, crop left (300-224)//2
        # = 38, top 16. So the red value of output column 0 is 38.
        pixels = np.zeros((256, 300, 3), np.uint8)
        pixels[:, :, 0] = np.arange(300, dtype=np.uint8)[None, :] % 256
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "g.png")
            Image.fromarray(pixels).save(path)
            x = qdq_data.load_image(path, qdq_data.Recipe(224, "shorter", "tflite"))
            self.assertEqual(x.shape, (3, 224, 224))
            self.assertAlmostEqual(float(x[0, 0, 0]), (38 - 128) / 128)
            self.assertAlmostEqual(float(x[0, 5, 10]), (48 - 128) / 128)
            self.assertAlmostEqual(float(x[1, 0, 0]), -1.0)
            x = qdq_data.load_image(path, qdq_data.Recipe(224, "shorter", "imagenet"))
            self.assertAlmostEqual(float(x[0, 0, 0]), (38 / 255 - 0.485) / 0.229, places=5)
            self.assertAlmostEqual(float(x[2, 0, 0]), (0 - 0.406) / 0.225, places=5)


class NamingTest(unittest.TestCase):
    def test_qdq_paths(self):
        self.assertEqual(quantize_qdq.qdq_path("/m", "mobilenet_v1_0.5_160.fp32"),
                         "/m/mobilenet_v1_0.5_160.qdq.onnx")
        self.assertEqual(quantize_qdq.qdq_path("/m", "resnet50"), "/m/resnet50.qdq.onnx")
        jobs = quantize_qdq.standard_jobs("/m", "/s")
        self.assertEqual([j[0] for j in jobs][:4], ["resnet50", "mobilenet_v2", "ssd_mobilenet", "unet"])
        self.assertIn(("mobilenet_v2_1.0_224.fp32", "/s/mobilenet_v2_1.0_224.fp32.onnx",
                       "/m/mobilenet_v2_1.0_224.qdq.onnx"), jobs)

    def test_twin_is_stale_when_the_float_model_is_newer(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "m.onnx"), os.path.join(tmp, "m.qdq.onnx")
            open(src, "w").close()
            self.assertFalse(quantize_qdq.up_to_date(dst, src))
            open(dst, "w").close()
            os.utime(src, (1000, 1000))
            os.utime(dst, (2000, 2000))
            self.assertTrue(quantize_qdq.up_to_date(dst, src))
            os.utime(src, (3000, 3000))
            self.assertFalse(quantize_qdq.up_to_date(dst, src))

    def test_compare_metrics(self):
        ref = np.array([[[0.1, 0.9, 0.0]], [[0.5, 0.2, 0.3]]], np.float32)  # [N=2, 1, K=3]
        test = np.array([[[0.1, 0.8, 0.1]], [[0.2, 0.5, 0.3]]], np.float32)  # second sample flips
        result = quantize_qdq.compare({"y": ref}, {"y": test}, None)
        self.assertEqual(result["top1_agreement_pct"], 50.0)
        self.assertEqual(result["top1_agreement_ties_pct"], 50.0)
        self.assertEqual(result["distinct_top1_classes"], 2)
        # SQNR: signal 0.01+0.81+0.25+0.04+0.09 = 1.2, noise 0.01+0.01+0.09+0.09 = 0.2
        # -> 10 log10(6) = 7.78 dB.
        self.assertAlmostEqual(result["sqnr_db"]["y"], 7.78, places=2)
        # The QDQ output ties classes 1 and 2 where fp32 says 2: argmax picks 1 (strict: disagree), the tie
        # counts as kept; labels 1 and 2 (1000+ classes only) are not scored here.
        ref = np.array([[[0.1, 0.3, 0.6]]], np.float32)
        tied = np.array([[[0.1, 0.45, 0.45]]], np.float32)
        result = quantize_qdq.compare({"y": ref}, {"y": tied}, None)
        self.assertEqual((result["top1_agreement_pct"], result["top1_agreement_ties_pct"]), (0.0, 100.0))


@unittest.skipUnless(HAVE_ORT, "needs node and bench/node_modules/onnxruntime-node")
class EndToEndTest(unittest.TestCase):
    def test_quantize_file_on_onnxruntime(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "tiny.onnx"), os.path.join(tmp, "tiny.qdq.onnx")
            onnx.save(tiny_model(), src)
            notes = quantize_qdq.quantize_file(src, dst, calib=16, check=16, nthreads=1)
            self.assertIn("random standard-normal", notes["calibration"])
            self.assertTrue(os.path.isfile(dst[:-5] + ".json"))
            # The QDQ file run with Q/DQ in fp32 (optimizations off) against the float model: 40.5 dB when
            # this was written; bias scales 10% off gave 29 dB, weight scales 5% off 22 dB, activation scales
            # halved 8 dB (tried by patching qdq_quantizer), so 35 dB separates right from wrong.
            self.assertGreater(notes["check"]["simulated"]["sqnr_db"]["y"], 35.0)
            # onnxruntime's own int8 kernels run the file too (their accuracy is theirs: no bound here).
            self.assertIn("top1_agreement_pct", notes["check"]["ort_int8"])
            self.assertEqual(len(notes["check_summary"]), 2)


if __name__ == "__main__":
    unittest.main()
