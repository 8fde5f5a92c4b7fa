// Unit tests of the ORT runner's helpers; they need neither onnxruntime-node nor a model:
//   node --test bench/testing/
'use strict';

const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {parseShapes, resolveShapes, makeRandom, randomTensor, readNpy, writeNpy} = require('../ort_common');
const {parseArgs, latencyStats} = require('../ort_benchmark');
const batch = require('../ort_batch');

// Stands in for ort.Tensor: the helpers only construct it and read type/data/dims back.
class FakeTensor {
  constructor(type, data, dims) {
    Object.assign(this, {type, data, dims});
  }
}
const fakeOrt = {
  Tensor: FakeTensor
};

test('parseShapes reads benchmark_app -shape syntax', () => {
  assert.deepStrictEqual(parseShapes('input[1,3,224,224]'), {input: [1, 3, 224, 224]});
  assert.deepStrictEqual(parseShapes('a[1,2],b[3]'), {a: [1, 2], b: [3]});
  assert.deepStrictEqual(parseShapes('[1,3,32,32]'), {'': [1, 3, 32, 32]});
  assert.deepStrictEqual(parseShapes(''), {});
  assert.throws(() => parseShapes('input'), /expected name\[/);
  assert.throws(() => parseShapes('input[1,x]'), /expected name\[|bad dimension/);
  assert.throws(() => parseShapes('a[1] junk'), /expected name\[/);
});

test('resolveShapes: batch 1 for a dynamic leading dim, an error for other dynamic dims', () => {
  const resnet20 = [{name: 'input', type: 'float32', shape: ['N', 3, 32, 32]}];
  assert.deepStrictEqual(resolveShapes(resnet20, {}), {input: [1, 3, 32, 32]});
  assert.deepStrictEqual(resolveShapes(resnet20, {'': [4, 3, 32, 32]}), {input: [4, 3, 32, 32]});
  const ocr = [{name: 'x', type: 'float32', shape: ['d0', 3, 'd1', -1]}];
  assert.throws(() => resolveShapes(ocr, {}), /input 'x' has dynamic dim 2/);
  assert.deepStrictEqual(resolveShapes(ocr, {x: [1, 3, 64, 96]}), {x: [1, 3, 64, 96]});
  assert.throws(() => resolveShapes(ocr, {y: [1]}), /no input 'y'/);
});

test('makeRandom is deterministic and in [0, 1)', () => {
  const a = makeRandom(7), b = makeRandom(7), c = makeRandom(8);
  const first = Array.from({length: 1000}, a);
  assert.deepStrictEqual(first.slice(0, 5), Array.from({length: 5}, b));
  assert.notDeepStrictEqual(first.slice(0, 5), Array.from({length: 5}, c));
  assert.ok(first.every((v) => v >= 0 && v < 1));
  const mean = first.reduce((x, y) => x + y, 0) / first.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test('randomTensor fills floats in [-1, 1) and 64-bit integers as BigInt', () => {
  const f = randomTensor(fakeOrt, 'float32', [2, 3], makeRandom(1));
  assert.ok(f.data instanceof Float32Array && f.data.length === 6);
  assert.ok(f.data.every((v) => v >= -1 && v < 1));
  const i = randomTensor(fakeOrt, 'int64', [4], makeRandom(1));
  assert.ok(i.data instanceof BigInt64Array);
  assert.throws(() => randomTensor(fakeOrt, 'string', [1], makeRandom(1)), /not supported/);
});

// Bytes of np.save(np.array([[1.5, -2, 0], [3, 4, 5]], dtype=np.float32)) with numpy 1.24 (/usr/bin/python3).
const NUMPY_F32_2X3 =
    '934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c' +
    '20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020' +
    '2020202020202020202020202020202020202020202020202020200a0000c03f000000c00000000000004040000080400000' +
    'a040';

test('.npy: reads numpy bytes and writes the same bytes back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ort-npy-'));
  try {
    const file = path.join(dir, 'a.npy');
    fs.writeFileSync(file, Buffer.from(NUMPY_F32_2X3, 'hex'));
    const t = readNpy(fakeOrt, file);
    assert.strictEqual(t.type, 'float32');
    assert.deepStrictEqual(t.dims, [2, 3]);
    assert.deepStrictEqual(Array.from(t.data), [1.5, -2, 0, 3, 4, 5]);
    const copy = path.join(dir, 'b.npy');
    writeNpy(copy, t);
    assert.strictEqual(fs.readFileSync(copy).toString('hex'), NUMPY_F32_2X3);
    fs.writeFileSync(file, Buffer.from(NUMPY_F32_2X3, 'hex').subarray(0, 130));
    assert.throws(() => readNpy(fakeOrt, file), /size does not match/);
  } finally {
    fs.rmSync(dir, {recursive: true});
  }
});

test('latencyStats: middle-average median, nearest-rank percentiles', () => {
  // numpy: np.median(1..10) = 5.5; np.percentile(1..10, [90, 99], method='inverted_cdf') = [9, 10].
  const s = latencyStats([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.deepStrictEqual(s, {median: 5.5, average: 5.5, min: 1, max: 10, p90: 9, p99: 10});
  assert.strictEqual(latencyStats([5, 1, 3]).median, 3);
});

test('parseArgs: benchmark_app flags, fixed values checked, -t 10 by default', () => {
  const a = parseArgs(['-m', 'x.onnx', '-nthreads', '2', '-nstreams', '1', '-api', 'sync', '-pc']);
  assert.strictEqual(a.model, 'x.onnx');
  assert.strictEqual(a.nthreads, 2);
  assert.strictEqual(a.time, 10);
  assert.strictEqual(parseArgs(['-m', 'x.onnx', '-niter', '5']).time, 0);
  assert.throws(() => parseArgs(['-m', 'x.onnx', '-api', 'async']), /only does -api sync/);
  assert.throws(() => parseArgs(['-m', 'x.onnx', '-nthreads', '0']), /-nthreads/);
  assert.throws(() => parseArgs(['-m', 'x.onnx', '--bogus']), /unknown argument/);
});

test('ort_batch: samples of a stack and the stack of outputs', () => {
  // A [3, 2] stack: sample 1 is [2, 3]; stacking the three samples back gives the original data and dims.
  const stacked = new FakeTensor('float32', Float32Array.from([0, 1, 2, 3, 4, 5]), [3, 2]);
  const samples = [0, 1, 2].map((i) => batch.sample(fakeOrt, stacked, i));
  assert.deepStrictEqual(samples[1].dims, [2]);
  assert.deepStrictEqual(Array.from(samples[1].data), [2, 3]);
  samples[1].data[0] = 99;  // a copy: the stack is untouched
  assert.strictEqual(stacked.data[2], 2);
  const back = batch.stack(fakeOrt, [batch.sample(fakeOrt, stacked, 0), batch.sample(fakeOrt, stacked, 2)]);
  assert.deepStrictEqual(back.dims, [2, 2]);
  assert.deepStrictEqual(Array.from(back.data), [0, 1, 4, 5]);
  const odd = new FakeTensor('float32', Float32Array.from([1]), [1]);
  assert.throws(() => batch.stack(fakeOrt, [samples[0], odd]), /differ in type or shape/);
});

test('ort_batch: parseArgs', () => {
  const a = batch.parseArgs(['m.onnx', '--input', 'x=a.npy', '--output-dir', 'o', '-opt', 'disabled']);
  assert.deepStrictEqual(
      [a.model, a.inputs, a.outputDir, a.opt, a.nthreads], ['m.onnx', ['x=a.npy'], 'o', 'disabled', 2]);
  assert.throws(
      () => batch.parseArgs(['m.onnx', '--input', 'a.npy', '--output-dir', 'o', '-opt', 'max']), /-opt max/);
  assert.throws(() => batch.parseArgs(['m.onnx', '--output-dir', 'o']), /usage/);
});
