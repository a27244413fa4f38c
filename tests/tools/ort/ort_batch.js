// Runs many ONNX models in ONNX Runtime (CPU, one intra-op thread) in one
// process, so that a test suite pays node's start-up once.
// Usage: node ort_batch.js MANIFEST.json
//   MANIFEST.json: [{"model": "a.onnx", "inputs": "a.in.json", "outputs": "a.ort.json"}, ...]
//   Inputs and outputs use ort_run.js's layout. A sequence of maps (ZipMap)
//   is written as {"type": "seq_map", "data": [{key: value, ...}, ...]}.
//   A model that ONNX Runtime refuses gets {"error": "..."} as its outputs.
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

async function runOne(job) {
  try {
    const session = await ort.InferenceSession.create(job.model, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const specs = JSON.parse(fs.readFileSync(job.inputs, 'utf8'));
    const feeds = {};
    for (const [name, spec] of Object.entries(specs)) feeds[name] = toTensor(spec);
    const results = await session.run(feeds);
    const out = {};
    for (const [name, value] of Object.entries(results)) out[name] = fromValue(value);
    fs.writeFileSync(job.outputs, JSON.stringify(out));
  } catch (e) {
    fs.writeFileSync(job.outputs, JSON.stringify({ error: String(e.message || e) }));
  }
}

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const job of jobs) await runOne(job);
}

main().catch((e) => {
  process.stderr.write(`ort_batch: ${e.message}\n`);
  process.exit(1);
});
