// ONNX Runtime's side of bench/runtime_bench.sh: the same files and rows as
// cairn's runtime_bench, one intra-op thread, batches of 1000 rows.
// Usage: node runtime_ort_bench.js DIR [SECONDS_PER_CASE]; prints JSON.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '../tests/tools/ort/node_modules/onnxruntime-node'));

async function main() {
  const dir = process.argv[2];
  const seconds = Number(process.argv[3] || 2);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const raw = fs.readFileSync(path.join(dir, 'X.f32'));
  const x = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const labels = new BigInt64Array(fs.readFileSync(path.join(dir, 'y.i64')).buffer.slice(0));
  const batch = 1000;
  const feeds = [];
  for (let b = 0; b + batch <= manifest.rows; b += batch) {
    feeds.push(new ort.Tensor('float32', x.slice(b * manifest.features, (b + batch) * manifest.features),
                              [batch, manifest.features]));
  }
  const out = { version: require(path.join(__dirname, '../tests/tools/ort/node_modules/onnxruntime-node/package.json')).version, models: {} };
  for (const name of [...manifest.models, 'mlp_int8']) {
    const session = await ort.InferenceSession.create(path.join(dir, `${name}.onnx`),
                                                      { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
    const input = session.inputNames[0];
    const first = await session.run({ [input]: feeds[0] });
    let done = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < seconds) {
      for (const feed of feeds) await session.run({ [input]: feed });
      done += batch * feeds.length;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    // Accuracy and a copy of the first batch's outputs, to check agreement.
    let correct = 0;
    for (let b = 0; b < feeds.length; ++b) {
      const p = (await session.run({ [input]: feeds[b] }))[session.outputNames[0]];
      const k = p.dims[1];
      for (let r = 0; r < batch; ++r) {
        let best = 0;
        for (let c = 1; c < k; ++c) if (p.data[r * k + c] > p.data[r * k + best]) best = c;
        if (BigInt(best) === labels[b * batch + r]) ++correct;
      }
    }
    out.models[name] = { rows_per_second: done / elapsed, accuracy: correct / (feeds.length * batch),
                         first_rows: Array.from(first[session.outputNames[0]].data.slice(0, 8)) };
    process.stderr.write(`onnxruntime: ${name} done\n`);
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`runtime_ort_bench: ${e.message}\n`);
  process.exit(1);
});
