"""Writes bench/RESULTS.md from the rows compare_onnxruntime.py collected: the machine, the date, the command,
the thread count, one table, and how the two targets of issue 4 fare. Standard library only."""
import datetime
import os
import statistics
import subprocess

# (row name, label, target ratio ORT/Octet) of the models the issue sets a speed target for.
TARGETS = [("resnet50", "ResNet-50", 1.0), ("mobilenet_v2", "MobileNet v2", 1.0),
           ("mobilenet_v2_1.0_224.fp32", "MobileNet v2 (../shared, TFLite-converted)", 1.0)]
COMPILE_TARGET = ("resnet50", "ResNet-50", 500.0)  # ms
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


def ratio(row):
    octet, ort = median_of(row["octet"]["medians"]), median_of(row["ort"]["medians"])
    if row["octet"]["error"] or row["ort"]["error"] or not octet or not ort:
        return None
    return ort / octet


def table(rows):
    lines = [
        "| model | input | Octet median ms | Octet spread | ORT median ms | ORT spread | ORT/Octet "
        "| Octet compile ms | ORT session ms | Octet ref nodes |",
        "|---|---|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        octet_median, octet_spread = engine_cells(row["octet"])
        ort_median, ort_spread = engine_cells(row["ort"])
        r = ratio(row)
        cells = [cell(row["name"]), cell(row["shape"]), octet_median, octet_spread, ort_median, ort_spread,
                 fmt_ratio(r), fmt_ms(median_of(row["octet"]["compile_ms"])),
                 fmt_ms(median_of(row["ort"]["compile_ms"])), cell(row.get("ref_nodes", "-"))]
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


def write_results(path, rows, settings, notes=""):
    machine = machine_info()
    flags = ", ".join(f"{f} {'yes' if on else 'no'}" for f, on in machine["flags"].items())
    ort_versions = sorted({row["ort"].get("runtime") for row in rows if row["ort"].get("runtime")})
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# Octet vs onnxruntime, fp32, batch 1

Written by `bench/compare_onnxruntime.py`; see `bench/README.md` for how to read it.

- Machine: {machine['model_name']}, {machine['cpus']} CPUs ({machine['sockets']} socket x \
{machine['cores_per_socket']} cores x {machine['threads_per_core']} threads); {flags}
- Load average when the run started: {settings['loadavg']}
- Date: {now}
- Command: `{settings['command']}`
- Threads: {settings['nthreads']} per engine (Octet `-nthreads {settings['nthreads']} -nstreams 1 -nireq 1 \
-hint latency -api sync -infer_precision f32`; ORT intra-op {settings['nthreads']}, inter-op 1, sequential, \
graph optimization all)
- Rounds: {settings['rounds']} per model, {settings['time']} s per engine per round, the order alternating \
(Octet first in round 1)
- Octet: commit {settings['octet_version']}; onnxruntime: {', '.join(ort_versions) or 'unknown'}
- Raw JSON: `bench/out/<model>/`

Medians are the median over rounds of each round's median latency; spread is the lowest..highest round
median. ORT/Octet > 1 means Octet is faster. "Octet ref nodes" counts executed nodes of the `-pc` run whose
exec type is a reference kernel.

{table(rows)}

## Targets (issue 4)
{targets(rows)}
"""
    if notes.strip():
        text += "\n## Notes (bench/RESULTS_NOTES.md, written by hand)\n" + notes.strip() + "\n"
    with open(path, "w") as f:
        f.write(text)
