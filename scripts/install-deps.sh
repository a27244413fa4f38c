#!/usr/bin/env bash
# Installs every Debian package that cairn's build, tests, benchmarks and demo need.
# Idempotent: packages already present are skipped by apt; safe to re-run.
set -euo pipefail

BUILD_PKGS=(
  cmake ninja-build ccache mold pkg-config g++
  libsqlite3-dev libpq-dev libssl-dev libzstd-dev
  nlohmann-json3-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libfast-float-dev libeigen3-dev libboost-dev
  libxgboost-dev libonnx-dev libprotobuf-dev protobuf-compiler libdnnl-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
)
# Reference implementations and peers: used by tests and benchmarks only.
TEST_PKGS=(
  python3 python3-numpy python3-pandas python3-scipy python3-sklearn python3-xgboost python3-onnx
  libonnx-testdata sqlite3
  postgresql git curl
  wrk nginx python3-flask gunicorn
)

# Node.js and npm come with the machine image (Debian's nodejs conflicts with
# that npm); they run ONNX Runtime, the reference engine in tests.
for tool in node npm; do
  command -v "$tool" >/dev/null || echo "install-deps: warning: $tool not found; ONNX Runtime cross-checks will be skipped" >&2
done

missing=()
for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#BUILD_PKGS[@]} build and ${#TEST_PKGS[@]} test packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
