"""Writes bench/RESULTS.md from the rows compare_onnxruntime.py collected: the machine, the date, the command,
the thread count, one table, and how the targets of issue 4 (fp32) and issue 5 (int8) fare. Standard library
only."""
import datetime
import os
import statistics
import subprocess

# (row name, label, target ratio ORT/Octet) of the models the issue sets a speed target for.
TARGETS = [("resnet50", "ResNet-50", 1.0), ("mobilenet_v2", "MobileNet v2", 1.0),
           ("mobilenet_v2_1.0_224.fp32", "MobileNet v2 (../shared, TFLite-converted)", 1.0)]
COMPILE_TARGET = ("resnet50", "ResNet-50", 500.0)  # ms
# Issue 5, on the QDQ models of the torchvision exports: (row name, label, minimum Octet int8/fp32 speedup,
# minimum ORT-int8/Octet-int8 ratio).
INT8_TARGETS = [("resnet50", "ResNet-50", 1.9, 1.25), ("mobilenet_v2", "MobileNet v2", 1.6, 1.3)]
CPU_FLAGS = ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8"]


def machine_info():
    """lscpu's model name, core counts and the ISA flags that matter to int8/fp32 kernels."""
    fields = {}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    flags = set(fields.get("Flags", "").split())
    return {
        "model_name": fields.get("Model name", "unknown"),
        "cpus": fields.get("CPU(s)", str(os.cpu_count())),
        "cores_per_socket": fields.get("Core(s) per socket", "?"),
        "sockets": fields.get("Socket(s)", "?"),
        "threads_per_core": fields.get("Thread(s) per core", "?"),
        "flags": {f: f in flags for f in CPU_FLAGS},
    }


def git_version(repo):
    def git(*args):
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return commit + (" (with uncommitted changes)" if dirty else "")


def fmt_ms(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_ratio(r):
    if r is None:
        return "-"
    return f"{r:.2f}" if r >= 0.1 else f"{r:.3g}"  # 0.00 would hide how far off a tiny ratio is


def median_of(rounds):
    return statistics.median(rounds) if rounds else None


def spread(rounds):
    return f"{fmt_ms(min(rounds))}..{fmt_ms(max(rounds))}" if rounds else "-"


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def engine_cells(result):
    """(median, spread) cells for one engine: numbers, or the error that stopped it."""
    if result["error"]:
        return f"error: {cell(result['error'])}", "-"
    return fmt_ms(median_of(result["medians"])), spread(result["medians"])


def ratio_of(row, numerator, denominator):
    """median(numerator engine) / median(denominator engine), None when either is missing or failed."""
    if not row or numerator not in row or denominator not in row:
        return None
    top, bottom = median_of(row[numerator]["medians"]), median_of(row[denominator]["medians"])
    if row[numerator]["error"] or row[denominator]["error"] or not top or not bottom:
        return None
    return top / bottom


def ratio(row):
    """ORT fp32 / Octet fp32 (> 1: Octet is faster)."""
    return ratio_of(row, "ort", "octet")


def int8_speedup(row):
    """Octet fp32 / Octet int8: how much faster Octet runs the QDQ model than the float one."""
    return ratio_of(row, "octet", "octet_int8")


def int8_ratio(row):
    """ORT int8 / Octet int8 on the same QDQ file (> 1: Octet is faster)."""
    return ratio_of(row, "ort_int8", "octet_int8")


def int8_cell(row, engine):
    """'median (lo..hi)' of an int8 engine, its error, or '-' for a model without a QDQ twin."""
    if engine not in row:
        return "-"
    result = row[engine]
    if result["error"]:
        return f"error: {cell(result['error'])}"
    if not result["medians"]:
        return "-"
    return f"{fmt_ms(median_of(result['medians']))} ({spread(result['medians'])})"


def table(rows):
    lines = [
        "| model | input | Octet median ms | Octet spread | ORT median ms | ORT spread | ORT/Octet "
        "| Octet compile ms | ORT session ms | Octet ref nodes | Octet int8 ms | int8/fp32 speedup (Octet) "
        "| ORT int8 ms | ORT-int8/Octet-int8 | Octet I8 layers |",
        "|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        octet_median, octet_spread = engine_cells(row["octet"])
        ort_median, ort_spread = engine_cells(row["ort"])
        r = ratio(row)
        cells = [cell(row["name"]), cell(row["shape"]), octet_median, octet_spread, ort_median, ort_spread,
                 fmt_ratio(r), fmt_ms(median_of(row["octet"]["compile_ms"])),
                 fmt_ms(median_of(row["ort"]["compile_ms"])), cell(row.get("ref_nodes", "-")),
                 int8_cell(row, "octet_int8"), fmt_ratio(int8_speedup(row)), int8_cell(row, "ort_int8"),
                 fmt_ratio(int8_ratio(row)), cell(row.get("i8_layers", "-"))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows):
    by_name = {row["name"]: row for row in rows}
    lines = []
    for name, label, target in TARGETS:
        row = by_name.get(name)
        r = ratio(row) if row else None
        if r is None:
            lines.append(f"- {label}: no ratio (see the table).")
        elif r >= target:
            lines.append(f"- {label}: ORT/Octet = {r:.2f} (target >= {target:.1f}): **met**.")
        else:
            lines.append(f"- {label}: ORT/Octet = {r:.2f} (target >= {target:.1f}): **missed**, Octet is "
                         f"{(1 / r - 1) * 100:.0f}% slower than onnxruntime.")
    name, label, limit = COMPILE_TARGET
    row = by_name.get(name)
    compile_ms = median_of(row["octet"]["compile_ms"]) if row else None
    if compile_ms is None:
        lines.append(f"- {label} compile: no number.")
    else:
        verdict = "**met**" if compile_ms < limit else "**missed**"
        lines.append(f"- {label} compile: {fmt_ms(compile_ms)} ms (target < {limit:.0f} ms): {verdict}.")
    return "\n".join(lines)


def verdict(value, target, what):
    if value is None:
        return f"{what}: no number"
    met = "**met**" if value >= target else "**missed**"
    return f"{what} = {value:.2f} (target >= {target:.2f}): {met}"


def int8_targets(rows):
    """Issue 5: Octet int8 against Octet fp32 and against ORT int8, with the share of int8 layers."""
    by_name = {row["name"]: row for row in rows}
    lines = []
    for name, label, min_speedup, min_ratio in INT8_TARGETS:
        row = by_name.get(name)
        if not row or "octet_int8" not in row:
            lines.append(f"- {label} int8: no QDQ model was run (scripts/quantize_qdq.py --standard "
                         "bench/models).")
            continue
        speedup = verdict(int8_speedup(row), min_speedup, "Octet fp32/int8")
        versus = verdict(int8_ratio(row), min_ratio, "ORT-int8/Octet-int8")
        layers = row.get("i8_layers", "-")
        lines.append(f"- {label} int8: {speedup}; {versus}; layers computing in int8 (`-pc`, exec type "
                     f"`*_I8`): {layers}.")
    return "\n".join(lines)


def write_results(path, rows, settings, notes=""):
    machine = machine_info()
    flags = ", ".join(f"{f} {'yes' if on else 'no'}" for f, on in machine["flags"].items())
    ort_versions = sorted({row["ort"].get("runtime") for row in rows if row["ort"].get("runtime")})
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# Octet vs onnxruntime, fp32 and int8, batch 1

Written by `bench/compare_onnxruntime.py`; see `bench/README.md` for how to read it.

- Machine: {machine['model_name']}, {machine['cpus']} CPUs ({machine['sockets']} socket x \
{machine['cores_per_socket']} cores x {machine['threads_per_core']} threads); {flags}
- Load average when the run started: {settings['loadavg']}
- Date: {now}
- Command: `{settings['command']}`
- Threads: {settings['nthreads']} per engine (Octet `-nthreads {settings['nthreads']} -nstreams 1 -nireq 1 \
-hint latency -api sync -infer_precision f32`; ORT intra-op {settings['nthreads']}, inter-op 1, sequential, \
graph optimization all)
- int8: the QDQ twin `bench/models/<name>.qdq.onnx` (scripts/quantize_qdq.py: onnxruntime-style static \
quantization, u8 activations, s8 per-channel weights, MinMax calibration); Octet `-infer_precision model`, \
ORT the same session options on the same file
- Rounds: {settings['rounds']} per model, {settings['time']} s per engine per round, the order alternating \
(Octet first in round 1)
- Octet: commit {settings['octet_version']}; onnxruntime: {', '.join(ort_versions) or 'unknown'}
- Raw JSON: `bench/out/<model>/`

Medians are the median over rounds of each round's median latency; spread is the lowest..highest round
median. ORT/Octet > 1 means Octet is faster. "Octet ref nodes" counts executed nodes of the `-pc` run whose
exec type is a reference kernel. The int8 columns show "median (lowest..highest round median)"; int8/fp32
speedup = Octet fp32 median / Octet int8 median; ORT-int8/Octet-int8 > 1 means Octet is faster on the QDQ
file; "Octet I8 layers" counts executed nodes of the int8 `-pc` run whose exec type ends in `_I8`.

{table(rows)}

## Targets (issue 4, fp32)
{targets(rows)}

## Targets (issue 5, int8)
{int8_targets(rows)}
"""
    if notes.strip():
        text += "\n## Notes (bench/RESULTS_NOTES.md, written by hand)\n" + notes.strip() + "\n"
    with open(path, "w") as f:
        f.write(text)
