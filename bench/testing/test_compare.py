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


def row(name, octet, ort, shape="static"):
    return {"name": name, "shape": shape, "octet": octet, "ort": ort}


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
                         "| resnet50 | static | 20.0 | 10.0..30.0 | 30.0 | 25.0..35.0 | 1.50 | 400 | - | - |")
        self.assertIn("error: node 'x' (Foo): unsupported \\| op", lines[3])
        self.assertEqual(lines[3].count(" | "), lines[2].count(" | "))  # the escaped | keeps the columns

    def test_targets_say_by_how_much_a_target_is_missed(self):
        rows = [row("resnet50", engine([10.0], compile_ms=[600.0]), engine([8.0])),
                row("mobilenet_v2", engine([4.0]), engine([5.0]))]
        text = results_report.targets(rows)
        self.assertIn("ResNet-50: ORT/Octet = 0.80 (target >= 1.0): **missed**, Octet is 25% slower", text)
        self.assertIn("MobileNet v2: ORT/Octet = 1.25 (target >= 1.0): **met**", text)
        self.assertIn("ResNet-50 compile: 600 ms (target < 500 ms): **missed**", text)


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
