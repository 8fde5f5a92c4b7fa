#!/usr/bin/env node
// Runs an ONNX model once with onnxruntime-node on tensors from .npy files and writes every output as
// DIR/<output name>.npy: the ORT twin of `octet run MODEL --input NAME=FILE --output-dir DIR`, used by
// scripts/export_models.py --check to compare exports against torch.
//   node bench/ort_infer.js MODEL --input [NAME=]FILE.npy ... --output-dir DIR [-nthreads N]
'use strict';

const path = require('path');
const {loadOrt, sessionOptions, readNpy, writeNpy} = require('./ort_common');

function parseArgs(argv) {
  const args = {model: '', inputs: [], outputDir: '', nthreads: 1};
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
    else if (!flag.startsWith('-') && !args.model)
      args.model = flag;
    else
      throw new Error(`unknown argument '${flag}'`);
  }
  if (!args.model || !args.outputDir)
    throw new Error('usage: ort_infer.js MODEL --input [NAME=]FILE.npy --output-dir DIR');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(args.model, sessionOptions(args.nthreads));
  const feeds = {};
  args.inputs.forEach((spec, position) => {
    const eq = spec.indexOf('=');
    const name = eq >= 0 ? spec.slice(0, eq) : session.inputNames[position];
    if (!session.inputNames.includes(name)) throw new Error(`the model has no input '${name}'`);
    feeds[name] = readNpy(ort, eq >= 0 ? spec.slice(eq + 1) : spec);
  });
  const outputs = await session.run(feeds);
  for (const name of session.outputNames) {
    writeNpy(path.join(args.outputDir, `${name}.npy`), outputs[name]);
    console.log(`${name}: [${outputs[name].dims.join(',')}] ${outputs[name].type}`);
  }
}

main().catch((e) => {
  console.error(`ort_infer: ${e.message}`);
  process.exit(1);
});
