#!/usr/bin/env node
// Runs an ONNX model with onnxruntime-node on every sample of a stacked input and writes every output stacked
// the same way: the batch twin of ort_infer.js, used by scripts/quantize_qdq.py for calibration (the model
// then carries ReduceMin/ReduceMax outputs added by the script) and for the fp32-vs-QDQ agreement check.
//   node bench/ort_batch.js MODEL --input [NAME=]FILE.npy --output-dir DIR [-nthreads N] [-opt disabled]
// FILE.npy holds N samples stacked on a new leading axis: [N, ...input shape]. Each sample runs on its own
// (batch-1 models); DIR/<output name>.npy gets shape [N, ...output shape].
'use strict';

const path = require('path');
const {loadOrt, sessionOptions, readNpy, writeNpy} = require('./ort_common');

const OPT_LEVELS = ['disabled', 'basic', 'extended', 'all'];

function parseArgs(argv) {
  const args = {model: '', inputs: [], outputDir: '', nthreads: 2, opt: 'all'};
  for (let i = 0; i < argv.length; ++i) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--input' || flag === '-i')
      args.inputs.push(value());
    else if (flag === '--output-dir' || flag === '-o')
      args.outputDir = value();
    else if (flag === '-nthreads')
      args.nthreads = Number(value());
    else if (flag === '-opt')
      args.opt = value();
    else if (!flag.startsWith('-') && !args.model)
      args.model = flag;
    else
      throw new Error(`unknown argument '${flag}'`);
  }
  if (!args.model || !args.outputDir || args.inputs.length === 0)
    throw new Error('usage: ort_batch.js MODEL --input [NAME=]FILE.npy --output-dir DIR [-opt LEVEL]');
  if (!OPT_LEVELS.includes(args.opt)) throw new Error(`-opt ${args.opt}: expected one of ${OPT_LEVELS}`);
  if (!Number.isInteger(args.nthreads) || args.nthreads < 1) throw new Error('-nthreads: expected N >= 1');
  return args;
}

// Sample i of a stacked tensor [N, ...] as a tensor [...] sharing no memory with the stack.
function sample(ort, stacked, i) {
  const dims = stacked.dims.slice(1);
  const size = dims.reduce((a, b) => a * b, 1);
  return new ort.Tensor(stacked.type, stacked.data.slice(i * size, (i + 1) * size), dims);
}

// Concatenates per-sample outputs (all of one shape) into one [N, ...] tensor.
function stack(ort, tensors) {
  const first = tensors[0];
  for (const t of tensors) {
    if (t.type !== first.type || t.dims.join(',') !== first.dims.join(','))
      throw new Error('outputs of different samples differ in type or shape; cannot stack them');
  }
  const data = new first.data.constructor(first.data.length * tensors.length);
  tensors.forEach((t, i) => data.set(t.data, i * first.data.length));
  return new ort.Tensor(first.type, data, [tensors.length, ...first.dims]);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(args.model, sessionOptions(args.nthreads, args.opt));
  const stacks = {};
  args.inputs.forEach((spec, position) => {
    const eq = spec.indexOf('=');
    const name = eq >= 0 ? spec.slice(0, eq) : session.inputNames[position];
    if (!session.inputNames.includes(name)) throw new Error(`the model has no input '${name}'`);
    stacks[name] = readNpy(ort, eq >= 0 ? spec.slice(eq + 1) : spec);
  });
  const missing = session.inputNames.filter((n) => !(n in stacks));
  if (missing.length) throw new Error(`no --input for ${missing.join(', ')}`);
  const counts = new Set(Object.values(stacks).map((t) => t.dims[0]));
  if (counts.size !== 1) throw new Error('the stacked inputs hold different numbers of samples');
  const count = [...counts][0];
  const collected = Object.fromEntries(session.outputNames.map((n) => [n, []]));
  for (let i = 0; i < count; ++i) {
    const feeds = {};
    for (const [name, stacked] of Object.entries(stacks)) feeds[name] = sample(ort, stacked, i);
    const outputs = await session.run(feeds);
    for (const name of session.outputNames) collected[name].push(outputs[name]);
  }
  for (const name of session.outputNames) {
    // Output names of QDQ/augmented graphs may hold '/'; the file name must not.
    const file = name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.npy';
    writeNpy(path.join(args.outputDir, file), stack(ort, collected[name]));
  }
  console.log(`ort_batch: ${count} samples, ${session.outputNames.length} outputs`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`ort_batch: ${e.message}`);
    process.exit(1);
  });
}

module.exports = {parseArgs, sample, stack};
