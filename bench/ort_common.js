// Pieces shared by ort_benchmark.js and ort_infer.js: the onnxruntime-node session with Octet's benchmark
// settings, input shapes (benchmark_app's -shape syntax), seeded random inputs and .npy files.
'use strict';

const fs = require('fs');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    throw new Error(
        `onnxruntime-node is not installed (run: npm install --ignore-scripts in bench/): ${e.message}`);
  }
}

// Same knobs as `octet benchmark -nthreads N -nstreams 1 -api sync`: N intra-op threads, no inter-op
// parallelism, every graph optimization ORT has.
function sessionOptions(nthreads, optimization = 'all') {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: nthreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: optimization,
  };
}

// "name[1,3,224,224],other[1,10]" or "[1,3,224,224]" (applies to the only input) -> {name: [dims]}.
function parseShapes(spec) {
  const shapes = {};
  if (!spec) return shapes;
  const re = /([^\[\],]*)\[([0-9,\s]*)\]/g;
  let consumed = 0;
  let match;
  while ((match = re.exec(spec)) !== null) {
    const dims = match[2].split(',').filter((d) => d.trim() !== '').map((d) => Number(d));
    if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`-shape '${spec}': bad dimension`);
    shapes[match[1].trim()] = dims;
    consumed += match[0].length;
  }
  const rest = spec.replace(re, '').replace(/,/g, '').trim();
  if (rest !== '' || consumed === 0)
    throw new Error(`-shape '${spec}': expected name[d0,d1,...][,name[...]]`);
  return shapes;
}

// The model's inputs as [{name, type, shape}] where unknown dims are strings (symbolic) or -1.
function describeInputs(session) {
  const dim = (d) => (typeof d === 'string' || (typeof d === 'number' && d >= 0) ? d : -1);
  return session.inputMetadata.map((m) => {
    if (!m.isTensor) return {name: m.name, type: 'non-tensor', shape: []};
    return {name: m.name, type: m.type, shape: m.shape.map(dim)};
  });
}

// Concrete shape of every input: -shape wins; otherwise the model's static dims, with a dynamic leading
// (batch) dim set to 1. Any other dynamic dim is an error that names the input, since guessing would time a
// different workload than Octet's run.
function resolveShapes(inputs, overrides) {
  const names = Object.keys(overrides);
  if (names.length === 1 && names[0] === '' && inputs.length === 1)
    overrides = {[inputs[0].name]: overrides['']};
  for (const name of Object.keys(overrides)) {
    if (!inputs.some((i) => i.name === name)) throw new Error(`-shape: the model has no input '${name}'`);
  }
  const shapes = {};
  for (const input of inputs) {
    if (input.type === 'non-tensor') throw new Error(`input '${input.name}' is not a tensor`);
    if (overrides[input.name]) {
      shapes[input.name] = overrides[input.name];
      continue;
    }
    shapes[input.name] = input.shape.map((d, axis) => {
      if (typeof d === 'number' && d >= 0) return d;
      if (axis === 0) return 1;
      throw new Error(`input '${input.name}' has dynamic dim ${axis} (${d}): give it with -shape`);
    });
  }
  return shapes;
}

// mulberry32: small, seedable, and the same numbers in every node version.
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

// Floats uniform in [-1, 1), integers in [0, 10), bools 0/1: fine for timing, which is all this is for.
function randomTensor(ort, type, dims, random) {
  const Typed = TYPED_ARRAYS[type];
  if (!Typed) throw new Error(`input type ${type} is not supported by the benchmark`);
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Typed(count);
  for (let i = 0; i < count; ++i) {
    const r = random();
    if (type.startsWith('float'))
      data[i] = 2 * r - 1;
    else if (type === 'bool')
      data[i] = r < 0.5 ? 0 : 1;
    else if (Typed === BigInt64Array || Typed === BigUint64Array)
      data[i] = BigInt(Math.floor(r * 10));
    else
      data[i] = Math.floor(r * 10);
  }
  return new ort.Tensor(type, data, dims);
}

// ---- .npy (version 1.0 / 2.0, little-endian, C order) ----
const NPY_TYPES = {
  '<f4': 'float32',
  '<f8': 'float64',
  '|i1': 'int8',
  '|u1': 'uint8',
  '<i2': 'int16',
  '<u2': 'uint16',
  '<i4': 'int32',
  '<u4': 'uint32',
  '<i8': 'int64',
  '<u8': 'uint64',
  '|b1': 'bool',
};

function readNpy(ort, path) {
  const buf = fs.readFileSync(path);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shape) throw new Error(`${path}: bad .npy header`);
  if (order[1] === 'True') throw new Error(`${path}: Fortran order is not supported`);
  const type = NPY_TYPES[descr[1]];
  if (!type) throw new Error(`${path}: dtype ${descr[1]} is not supported`);
  const dims = shape[1].split(',').filter((d) => d.trim() !== '').map(Number);
  const Typed = TYPED_ARRAYS[type];
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length - start !== count * Typed.BYTES_PER_ELEMENT)
    throw new Error(`${path}: size does not match shape`);
  const data = new Typed(count);
  new Uint8Array(data.buffer).set(buf.subarray(start));
  return new ort.Tensor(type, data, dims);
}

function writeNpy(path, tensor) {
  const descr = Object.keys(NPY_TYPES).find((k) => NPY_TYPES[k] === tensor.type);
  if (!descr) throw new Error(`cannot write a ${tensor.type} tensor as .npy`);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';  // pad so that the data starts 64-aligned
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]));
}

module.exports = {
  loadOrt,
  sessionOptions,
  parseShapes,
  describeInputs,
  resolveShapes,
  makeRandom,
  randomTensor,
  readNpy,
  writeNpy,
};
