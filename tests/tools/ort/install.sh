#!/usr/bin/env bash
# Installs ONNX Runtime (npm onnxruntime-node, CPU) for the tests that compare
# cairn's outputs with it. The package's own download step is skipped: the CPU
# library ships inside the package, and the machine has no other network.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/onnxruntime-node/package.json ]; then exit 0; fi
ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error >/dev/null
echo "ort: onnxruntime-node installed"
