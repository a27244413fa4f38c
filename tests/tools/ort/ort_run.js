// Runs an ONNX model in ONNX Runtime (CPU, one intra-op thread) for cairn's tests.
// Usage: node ort_run.js MODEL.onnx INPUTS.json OUTPUTS.json
//   INPUTS.json:  {"X": {"type": "float32", "shape": [n, f], "data": [...]}, ...}
//   OUTPUTS.json: the same layout for every output; NaN is written as null,
//   int64 values as numbers.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

const kArrays = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

function toTensor(spec) {
  if (spec.type === 'string') return new ort.Tensor('string', spec.data, spec.shape);
  const Array_ = kArrays[spec.type];
  if (!Array_) throw new Error(`unsupported input type ${spec.type}`);
  const values = spec.data.map((v) => (v === null ? NaN : v));
  const data = spec.type === 'int64' ? BigInt64Array.from(values.map((v) => BigInt(v))) : Array_.from(values);
  return new ort.Tensor(spec.type, data, spec.shape);
}

function fromValue(value) {
  if (value instanceof ort.Tensor) {
    const data = Array.from(value.data, (v) => (typeof v === 'bigint' ? Number(v) : (Number.isNaN(v) ? null : v)));
    return { type: value.type, shape: value.dims, data };
  }
  return { type: 'other', value: JSON.parse(JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? Number(v) : v))) };
}

async function main() {
  const [model, inputsPath, outputsPath] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const specs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const feeds = {};
  for (const [name, spec] of Object.entries(specs)) feeds[name] = toTensor(spec);
  const results = await session.run(feeds);
  const out = {};
  for (const [name, value] of Object.entries(results)) out[name] = fromValue(value);
  fs.writeFileSync(outputsPath, JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(`ort_run: ${e.message}\n`);
  process.exit(1);
});
