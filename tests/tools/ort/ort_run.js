// Runs an ONNX model in ONNX Runtime (CPU, one intra-op thread) for cairn's tests.
// Usage: node ort_run.js MODEL.onnx INPUTS.json OUTPUTS.json
// The JSON layouts are described in ort_common.js.
'use strict';
const fs = require('fs');
const { runModel } = require('./ort_common');

async function main() {
  const [model, inputsPath, outputsPath] = process.argv.slice(2);
  fs.writeFileSync(outputsPath, JSON.stringify(await runModel(model, inputsPath)));
}

main().catch((e) => {
  process.stderr.write(`ort_run: ${e.message}\n`);
  process.exit(1);
});
