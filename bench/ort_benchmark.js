#!/usr/bin/env node
// Times one ONNX model with onnxruntime-node the way `octet benchmark` times it with Octet, and writes the
// same JSON (per_layer empty), so that compare_onnxruntime.py can put the two side by side.
//
//   node bench/ort_benchmark.js -m MODEL [-nthreads 2] [-niter N] [-t SECONDS] [-shape "name[1,3,224,224]"]
//                               [-warmup 3] [-seed 1] [-opt all] [--json FILE] [--list-inputs]
//
// Flags mirror benchmark_app / `octet benchmark`; -nstreams, -nireq, -hint, -api and -infer_precision are
// accepted only with the values this runner implements (1, 1, latency, sync, f32), so that the comparison
// script can pass one flag set to both engines. --list-inputs prints the model's inputs as JSON and exits.
//
// Timing: load = reading the file, compile = InferenceSession.create on those bytes (ORT does its graph
// optimizations there), first inference reported on its own, then -warmup untimed runs, then timed runs until
// both -niter iterations and -t seconds are reached (benchmark_app's rule; -t 10 when neither is given).
'use strict';

const fs = require('fs');
const {loadOrt, sessionOptions, parseShapes, describeInputs, resolveShapes, makeRandom, randomTensor} =
    require('./ort_common');

const USAGE =
    'usage: ort_benchmark.js -m MODEL [-nthreads N] [-niter N] [-t SECONDS] [-shape SPEC] [--json FILE]';

function parseArgs(argv) {
  const args =
      {model: '', nthreads: 2, niter: 0, time: 0, shape: '', warmup: 3, seed: 1, opt: 'all', json: ''};
  args.listInputs = false;
  const fixed =
      {'-nstreams': '1', '-nireq': '1', '-hint': 'latency', '-api': 'sync', '-infer_precision': 'f32'};
  const integer = (min) => (v) => Math.floor(number(v, min));
  const number = (v, min) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`expected a number >= ${min}, got '${v}'`);
    return n;
  };
  const text = (v) => v;
  // flag -> [field, parser]
  const flags = {
    '-m': ['model', text],
    '-nthreads': ['nthreads', integer(1)],
    '-niter': ['niter', integer(0)],
    '-t': ['time', (v) => number(v, 0)],
    '-shape': ['shape', text],
    '-warmup': ['warmup', integer(0)],
    '-seed': ['seed', integer(0)],
    '-opt': ['opt', text],
    '--json': ['json', text],
  };
  for (let i = 0; i < argv.length; ++i) {
    const flag = argv[i];
    if (flag === '--list-inputs') {
      args.listInputs = true;
      continue;
    }
    if (flag === '-pc') continue;  // ORT has no per-layer counters here: per_layer stays empty
    if (!(flag in flags) && !(flag in fixed)) throw new Error(`unknown argument '${flag}'\n${USAGE}`);
    if (i + 1 >= argv.length) throw new Error(`${flag} needs a value\n${USAGE}`);
    const value = argv[++i];
    if (flag in fixed) {
      if (value !== fixed[flag])
        throw new Error(`${flag} ${value}: this runner only does ${flag} ${fixed[flag]}`);
      continue;
    }
    const [field, parse] = flags[flag];
    try {
      args[field] = parse(value);
    } catch (e) {
      throw new Error(`${flag}: ${e.message}`);
    }
  }
  if (!args.model) throw new Error(USAGE);
  if (args.niter === 0 && args.time === 0) args.time = 10;
  return args;
}

// Nearest-rank percentile of sorted values; the median is the usual middle (mean of the two middles).
function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function latencyStats(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    median,
    average: sorted.reduce((a, b) => a + b, 0) / n,
    min: sorted[0],
    max: sorted[n - 1],
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const ort = loadOrt();

  let start = nowMs();
  const bytes = fs.readFileSync(args.model);
  const loadMs = nowMs() - start;
  start = nowMs();
  const session = await ort.InferenceSession.create(bytes, sessionOptions(args.nthreads, args.opt));
  const compileMs = nowMs() - start;

  const inputs = describeInputs(session);
  if (args.listInputs) {
    console.log(JSON.stringify(inputs));
    return;
  }
  const shapes = resolveShapes(inputs, parseShapes(args.shape));
  const random = makeRandom(args.seed);
  const feeds = {};
  for (const input of inputs) feeds[input.name] = randomTensor(ort, input.type, shapes[input.name], random);

  start = nowMs();
  await session.run(feeds);
  const firstMs = nowMs() - start;
  for (let i = 0; i < args.warmup; ++i) await session.run(feeds);

  const latencies = [];
  const begin = nowMs();
  const limitMs = args.time * 1000;
  for (;;) {
    const elapsed = nowMs() - begin;
    const enoughIterations = args.niter === 0 || latencies.length >= args.niter;
    const enoughTime = args.time === 0 || elapsed >= limitMs;
    if (enoughIterations && enoughTime && latencies.length > 0) break;
    const t0 = nowMs();
    await session.run(feeds);
    latencies.push(nowMs() - t0);
  }
  const durationS = (nowMs() - begin) / 1000;

  const first = inputs[0] && shapes[inputs[0].name];
  const report = {
    model: args.model,
    api: 'sync',
    precision: 'f32',
    nthreads: args.nthreads,
    nstreams: 1,
    nireq: 1,
    batch: first && first.length ? first[0] : 1,
    iterations: latencies.length,
    duration_s: durationS,
    load_ms: loadMs,
    compile_ms: compileMs,
    first_inference_ms: firstMs,
    throughput_fps: latencies.length / durationS,
    latency_ms: latencyStats(latencies),
    per_layer: [],
    runtime: `onnxruntime-node ${ort.env.versions.node}`,
    shapes,
  };
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(report, null, 1) + '\n');
  const l = report.latency_ms;
  console.log(`${report.runtime}, ${args.nthreads} threads, ${JSON.stringify(shapes)}`);
  console.log(`compile ${compileMs.toFixed(1)} ms, first inference ${firstMs.toFixed(2)} ms`);
  console.log(
      `${latencies.length} iterations in ${durationS.toFixed(2)} s: median ${l.median.toFixed(3)} ms, ` +
      `average ${l.average.toFixed(3)}, min ${l.min.toFixed(3)}, max ${l.max.toFixed(3)}, ` +
      `p90 ${l.p90.toFixed(3)}, p99 ${l.p99.toFixed(3)}; ${report.throughput_fps.toFixed(2)} FPS`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`ort_benchmark: ${e.message}`);
    process.exit(1);
  });
}

module.exports = {parseArgs, latencyStats};
