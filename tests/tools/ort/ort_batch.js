// Runs many ONNX models in ONNX Runtime (CPU, one intra-op thread) in one
// process, so that a test suite pays node's start-up once.
// Usage: node ort_batch.js MANIFEST.json
//   MANIFEST.json: [{"model": "a.onnx", "inputs": "a.in.json", "outputs": "a.ort.json"}, ...]
//   Inputs and outputs use the layout described in ort_common.js. A model
//   that ONNX Runtime refuses gets {"error": "..."} as its outputs.
'use strict';
const fs = require('fs');
const { runModel } = require('./ort_common');

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const job of jobs) {
    let out;
    try {
      out = await runModel(job.model, job.inputs);
    } catch (e) {
      out = { error: String(e.message || e) };
    }
    fs.writeFileSync(job.outputs, JSON.stringify(out));
  }
}

main().catch((e) => {
  process.stderr.write(`ort_batch: ${e.message}\n`);
  process.exit(1);
});
