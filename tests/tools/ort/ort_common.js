// Tensor conversion and one model run in ONNX Runtime (CPU, one intra-op
// thread), shared by ort_run.js and ort_batch.js.
//   Inputs:  {"X": {"type": "float32", "shape": [n, f], "data": [...]}, ...}, NaN as null.
//   Outputs: the same layout for tensors (int64 as numbers, NaN as null); a
//   sequence of maps (ZipMap) as {"type": "seq_map", "data": [{key: value}, ...]}.
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

function plain(v) {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isNaN(v)) return null;
  return v;
}

function fromValue(value) {
  if (value instanceof ort.Tensor) {
    return { type: value.type, shape: value.dims, data: Array.from(value.data, plain) };
  }
  if (Array.isArray(value)) {
    const maps = value.map((m) => {
      const out = {};
      const entries = m instanceof Map ? m.entries() : Object.entries(m);
      for (const [k, v] of entries) out[String(plain(k))] = plain(v);
      return out;
    });
    return { type: 'seq_map', data: maps };
  }
  return { type: 'other', value: JSON.parse(JSON.stringify(value, (k, v) => plain(v))) };
}

// Runs MODEL on the inputs in INPUTS.json and returns the outputs in the layout above.
async function runModel(modelPath, inputsPath) {
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const specs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const feeds = {};
  for (const [name, spec] of Object.entries(specs)) feeds[name] = toTensor(spec);
  const results = await session.run(feeds);
  const out = {};
  for (const [name, value] of Object.entries(results)) out[name] = fromValue(value);
  return out;
}

module.exports = { runModel };
