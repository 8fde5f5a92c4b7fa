#!/usr/bin/python3
"""Unit tests of the comparison suite's bookkeeping (standard library only, no engine runs):
    /usr/bin/python3 -m unittest discover -s bench/testing -p 'test_*.py'
plus one end-to-end run of compare_onnxruntime.py with fake_octet.py standing in for BOTH engines, which
checks the plumbing (rounds, alternation, error rows, RESULTS.md) in about a second."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TESTING = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(TESTING)
sys.path.insert(0, BENCH)

import compare_onnxruntime  # noqa: E402
import results_report  # noqa: E402


def engine(medians, error="", compile_ms=None):
    return {"medians": medians, "compile_ms": compile_ms or [], "error": error, "runs": []}


def row(name, octet, ort, shape="static", octet_int8=None, ort_int8=None, **extra):
    r = {"name": name, "shape": shape, "octet": octet, "ort": ort, **extra}
    if octet_int8 is not None:
        r.update(octet_int8=octet_int8, ort_int8=ort_int8)
    return r


def args_for(models, **overrides):
    """The argparse namespace compare_onnxruntime's helpers read."""
    values = dict(models=models, shared="/nonexistent", only="", no_int8=False, time=2.0, nthreads=2,
                  octet="octet", node="node")
    values.update(overrides)
    return type("Args", (), values)()


class ReportTest(unittest.TestCase):
    def test_fmt_ms_keeps_three_significant_digits(self):
        self.assertEqual([results_report.fmt_ms(v) for v in (1234.5, 45.67, 3.456, 0.05123, None)],
                         ["1234", "45.7", "3.46", "0.051", "-"])

    def test_fmt_ratio_shows_tiny_ratios(self):
        self.assertEqual([results_report.fmt_ratio(r) for r in (1.234, 0.1, 0.00987, None)],
                         ["1.23", "0.10", "0.00987", "-"])

    def test_ratio_is_ort_over_octet_median_of_medians(self):
        # Octet rounds 10, 30, 20 -> median 20; ORT 25, 35, 30 -> median 30; 30 / 20 = 1.5.
        r = row("m", engine([10.0, 30.0, 20.0]), engine([25.0, 35.0, 30.0]))
        self.assertAlmostEqual(results_report.ratio(r), 1.5)
        self.assertIsNone(results_report.ratio(row("m", engine([], "boom"), engine([1.0]))))

    def test_table_shows_errors_and_spreads(self):
        rows = [row("resnet50", engine([20.0, 10.0, 30.0], compile_ms=[400.0]), engine([30.0, 25.0, 35.0])),
                row("vww", engine([], "node 'x' (Foo): unsupported | op"), engine([0.5]))]
        lines = results_report.table(rows).splitlines()
        self.assertEqual(lines[2],
                         "| resnet50 | static | 20.0 | 10.0..30.0 | 30.0 | 25.0..35.0 | 1.50 | 400 | - | - "
                         "| - | - | - | - | - |")
        self.assertIn("error: node 'x' (Foo): unsupported \\| op", lines[3])
        self.assertEqual(lines[3].count(" | "), lines[2].count(" | "))  # the escaped | keeps the columns

    def test_targets_say_by_how_much_a_target_is_missed(self):
        rows = [row("resnet50", engine([10.0], compile_ms=[600.0]), engine([8.0])),
                row("mobilenet_v2", engine([4.0]), engine([5.0]))]
        text = results_report.targets(rows)
        self.assertIn("ResNet-50: ORT/Octet = 0.80 (target >= 1.0): **missed**, Octet is 25% slower", text)
        self.assertIn("MobileNet v2: ORT/Octet = 1.25 (target >= 1.0): **met**", text)
        self.assertIn("ResNet-50 compile: 600 ms (target < 500 ms): **missed**", text)

    def test_int8_columns(self):
        # Octet fp32 10, Octet int8 rounds 4, 6, 5 -> median 5: speedup 10 / 5 = 2.0; ORT int8 7.5 -> 1.5.
        r = row("resnet50", engine([10.0]), engine([12.0]), octet_int8=engine([4.0, 6.0, 5.0]),
                ort_int8=engine([7.5]), i8_layers="55/60")
        self.assertAlmostEqual(results_report.int8_speedup(r), 2.0)
        self.assertAlmostEqual(results_report.int8_ratio(r), 1.5)
        line = results_report.table([r]).splitlines()[2]
        self.assertTrue(line.endswith("| 5.00 (4.00..6.00) | 2.00 | 7.50 (7.50..7.50) | 1.50 | 55/60 |"),
                        line)
        header = results_report.table([r]).splitlines()[0]
        for column in ("Octet int8 ms", "int8/fp32 speedup (Octet)", "ORT int8 ms", "ORT-int8/Octet-int8"):
            self.assertIn(column, header)
        self.assertEqual(line.count(" | "), header.count(" | "))

    def test_int8_cells_without_qdq_model_or_with_an_error(self):
        plain = row("vww", engine([1.0]), engine([1.0]))
        self.assertTrue(results_report.table([plain]).splitlines()[2].endswith("| - | - | - | - | - |"))
        failed = row("m", engine([10.0]), engine([9.0]),
                     octet_int8=engine([], "node 'q' (QLinearConv): boom"), ort_int8=engine([3.0]))
        line = results_report.table([failed]).splitlines()[2]
        self.assertIn("| error: node 'q' (QLinearConv): boom | - | 3.00 (3.00..3.00) | - |", line)
        self.assertIsNone(results_report.int8_speedup(failed))

    def test_int8_targets(self):
        rows = [row("resnet50", engine([20.0]), engine([20.0]), octet_int8=engine([10.0]),
                    ort_int8=engine([15.0]), i8_layers="70/72"),
                row("mobilenet_v2", engine([6.0]), engine([6.0]), octet_int8=engine([5.0]),
                    ort_int8=engine([7.0]))]
        text = results_report.int8_targets(rows)
        # ResNet-50: 20 / 10 = 2.00 >= 1.9 met; 15 / 10 = 1.50 >= 1.25 met.
        self.assertIn("- ResNet-50 int8: Octet fp32/int8 = 2.00 (target >= 1.90): **met**; "
                      "ORT-int8/Octet-int8 = 1.50 (target >= 1.25): **met**; layers computing in int8 "
                      "(`-pc`, exec type `*_I8`): 70/72.", text)
        # MobileNet v2: 6 / 5 = 1.20 < 1.6 missed; 7 / 5 = 1.40 >= 1.3 met.
        self.assertIn("Octet fp32/int8 = 1.20 (target >= 1.60): **missed**", text)
        self.assertIn("ORT-int8/Octet-int8 = 1.40 (target >= 1.30): **met**", text)
        self.assertIn("- ResNet-50 int8: no QDQ model", results_report.int8_targets(rows[1:]))


class CompareHelpersTest(unittest.TestCase):
    def test_first_line_drops_tool_prefixes(self):
        text = "\n octet: error: node 'a': bad\nmore"
        self.assertEqual(compare_onnxruntime.first_line(text), "node 'a': bad")
        self.assertEqual(compare_onnxruntime.first_line(""), "")
        log = "[ WARNING ] hint not given\n[Step 4/11] Reading\noctet: error: x.onnx: cannot open\n"
        self.assertEqual(compare_onnxruntime.first_line(log), "x.onnx: cannot open")
        crash = "[ INFO ] a\nSegmentation fault\n"
        self.assertEqual(compare_onnxruntime.first_line(crash), "Segmentation fault")

    def test_record_takes_the_median_or_the_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            good = os.path.join(tmp, "good.json")
            with open(good, "w") as f:
                json.dump({"iterations": 3, "compile_ms": 12.0, "latency_ms": {"median": 4.5}}, f)
            bad = os.path.join(tmp, "bad.json")
            with open(bad, "w") as f:
                f.write("{not json")
            result = compare_onnxruntime.new_result()
            compare_onnxruntime.record(result, True, "", good)
            self.assertEqual((result["medians"], result["compile_ms"], result["error"]), ([4.5], [12.0], ""))
            compare_onnxruntime.record(result, True, "", bad)
            self.assertTrue(result["error"].startswith("bad JSON bad.json"))
            failed = compare_onnxruntime.new_result()
            compare_onnxruntime.record(failed, False, "timed out after 60 s", good)
            self.assertEqual((failed["medians"], failed["error"]), ([], "timed out after 60 s"))


class Int8HelpersTest(unittest.TestCase):
    def test_qdq_twin_drops_fp32_suffix_and_obeys_no_int8(self):
        with tempfile.TemporaryDirectory() as tmp:
            for f in ("resnet50.onnx", "resnet50.qdq.onnx", "mobilenet_v2_1.0_224.qdq.onnx"):
                open(os.path.join(tmp, f), "w").close()
            args = args_for(tmp)
            self.assertEqual(compare_onnxruntime.qdq_model(args, "resnet50"),
                             os.path.join(tmp, "resnet50.qdq.onnx"))
            self.assertEqual(compare_onnxruntime.qdq_model(args, "mobilenet_v2_1.0_224.fp32"),
                             os.path.join(tmp, "mobilenet_v2_1.0_224.qdq.onnx"))
            self.assertIsNone(compare_onnxruntime.qdq_model(args, "unet"))
            self.assertIsNone(compare_onnxruntime.qdq_model(args_for(tmp, no_int8=True), "resnet50"))
            # A QDQ twin is not a row of its own.
            names = [n for n, _ in compare_onnxruntime.model_list(args)]
            self.assertEqual(names, ["resnet50", "mobilenet_v2", "ssd_mobilenet", "unet"])

    def test_engine_commands_precision_flags(self):
        commands = compare_onnxruntime.engine_commands(args_for("/m"), "/m/a.onnx", "/m/a.qdq.onnx", "")
        self.assertEqual(sorted(commands), ["octet", "octet_int8", "ort", "ort_int8"])
        flag = "-infer_precision"
        self.assertEqual(commands["octet"][commands["octet"].index(flag) + 1], "f32")
        self.assertEqual(commands["octet_int8"][commands["octet_int8"].index(flag) + 1], "model")
        self.assertIn("/m/a.qdq.onnx", commands["octet_int8"])
        self.assertNotIn(flag, commands["ort_int8"])  # ORT runs the QDQ file as written
        self.assertIn("/m/a.qdq.onnx", commands["ort_int8"])
        self.assertEqual(sorted(compare_onnxruntime.engine_commands(args_for("/m"), "/m/a.onnx", None, "")),
                         ["octet", "ort"])

    def test_round_order_alternates(self):
        four = ["octet", "ort", "octet_int8", "ort_int8"]
        self.assertEqual(compare_onnxruntime.round_order(0, four), ["octet", "octet_int8", "ort", "ort_int8"])
        self.assertEqual(compare_onnxruntime.round_order(1, four), ["ort_int8", "ort", "octet_int8", "octet"])
        self.assertEqual(compare_onnxruntime.round_order(1, ["octet", "ort"]), ["ort", "octet"])

    def test_layer_counts(self):
        layers = [{"status": status, "exec_type": exec_type} for status, exec_type in [
            ("EXECUTED", "jit_avx2_I8"), ("EXECUTED", "ref_I8"), ("EXECUTED", "ref_FP32"),
            ("OPTIMIZED_OUT", "x_I8"), ("EXECUTED", "jit_avx2_FP32")]]
        self.assertEqual(compare_onnxruntime.layer_counts(layers), (4, 2, 2))  # executed, ref, int8


class EndToEndTest(unittest.TestCase):
    def test_suite_with_fake_engines(self):
        """fake_octet.py plays both engines; FAKE_OCTET_FAIL makes every run on model 'b' fail."""
        with tempfile.TemporaryDirectory() as tmp:
            models = os.path.join(tmp, "models")
            os.makedirs(models)
            for name in ("a", "b"):
                open(os.path.join(models, name + ".onnx"), "w").close()
            fake = os.path.join(TESTING, "fake_octet.py")
            results = os.path.join(tmp, "RESULTS.md")
            env = dict(os.environ, FAKE_OCTET_FAIL="b.onnx")
            # --node fake_octet.py makes the ORT command `fake_octet.py ort_benchmark.js -m ...`; the fake
            # treats a first argument ending in ort_benchmark.js as `benchmark`; --shape skips --list-inputs.
            subprocess.run([sys.executable, os.path.join(BENCH, "compare_onnxruntime.py"), "--octet", fake,
                            "--node", fake, "--models", models, "--shared", os.path.join(tmp, "none"),
                            "--rounds", "3", "--time", "1", "--out", os.path.join(tmp, "out"), "--results",
                            results, "--notes", os.path.join(tmp, "none.md"), "--shape", "a=input[1,3,8,8]",
                            "--shape", "b=input[1,3,8,8]", "--only", "a,b"],
                           check=True, capture_output=True, text=True, env=env)
            with open(results) as f:
                text = f.read()
            runs = sorted(os.listdir(os.path.join(tmp, "out", "a")))
            self.assertEqual(runs, sorted([f"round{k}.{e}.{x}" for k in (1, 2, 3) for e in ("octet", "ort")
                                           for x in ("json", "log")] + ["octet.pc.json", "octet.pc.log"]))
            self.assertIn("| a | input[1,3,8,8] |", text)
            self.assertIn("| 1/2 |", text)  # fake -pc: conv1 jit, relu1 fused into it, gather ref
            self.assertIn("| b | input[1,3,8,8] | error: node 'fake_0' (FakeOp): unsupported op | - |", text)
            self.assertIn("- ResNet-50: no ratio", text)
            # A failing engine runs once, not once per round.
            self.assertEqual(sorted(os.listdir(os.path.join(tmp, "out", "b"))),
                             ["round1.octet.log", "round1.ort.log"])


if __name__ == "__main__":
    unittest.main()


class EndToEndInt8Test(unittest.TestCase):
    def test_suite_runs_the_qdq_twin_interleaved(self):
        """Models 'a' and 'c' have QDQ twins; every run on a.qdq.onnx fails (FAKE_OCTET_FAIL, both engines go
        through the fake), which must show as error cells while a's fp32 runs go on; c's twin works."""
        with tempfile.TemporaryDirectory() as tmp:
            models = os.path.join(tmp, "models")
            os.makedirs(models)
            for name in ("a.onnx", "a.qdq.onnx", "c.onnx", "c.qdq.onnx"):
                open(os.path.join(models, name), "w").close()
            fake = os.path.join(TESTING, "fake_octet.py")
            results, log = os.path.join(tmp, "RESULTS.md"), os.path.join(tmp, "calls.log")
            env = dict(os.environ, FAKE_OCTET_LOG=log)
            command = [sys.executable, os.path.join(BENCH, "compare_onnxruntime.py"), "--octet", fake,
                       "--node", fake, "--models", models, "--shared", os.path.join(tmp, "none"), "--rounds",
                       "2", "--time", "1", "--out", os.path.join(tmp, "out"), "--results", results, "--notes",
                       os.path.join(tmp, "none.md"), "--shape", "a=input[1,3,8,8]", "--shape",
                       "c=input[1,3,8,8]", "--only", "a,c"]
            subprocess.run(command, check=True, capture_output=True, text=True,
                           env=dict(env, FAKE_OCTET_FAIL="a.qdq.onnx"))
            with open(log) as f:
                calls = [line.strip() for line in f]
            c_calls = [c for c in calls if " c." in c and not c.endswith("-pc")]
            self.assertEqual(c_calls, ["octet c.onnx f32", "octet c.qdq.onnx model", "ort c.onnx f32",
                                       "ort c.qdq.onnx -",  # round 1
                                       "ort c.qdq.onnx -", "ort c.onnx f32", "octet c.qdq.onnx model",
                                       "octet c.onnx f32"])  # round 2, reversed
            self.assertIn("octet c.qdq.onnx model -pc", calls)
            with open(results) as f:
                text = f.read()
            row_c = next(line for line in text.splitlines() if line.startswith("| c |"))
            self.assertTrue(row_c.endswith(" | 1/2 |"), row_c)  # fake int8 -pc: conv _I8, gather ref_FP32
            row_a = next(line for line in text.splitlines() if line.startswith("| a |"))
            self.assertIn("| error: node 'fake_0' (FakeOp): unsupported op |", row_a)
            self.assertIn("## Targets (issue 5, int8)", text)
            with open(os.path.join(tmp, "out", "summary.json")) as f:
                rows = {r["name"]: r for r in json.load(f)["rows"]}
            self.assertEqual(len(rows["c"]["octet_int8"]["medians"]), 2)
            self.assertEqual(rows["a"]["octet_int8"]["error"], rows["a"]["ort_int8"]["error"])
            self.assertEqual(len(rows["a"]["octet"]["medians"]), 2)  # the fp32 runs of 'a' are unaffected
