#!/usr/bin/env bash
# Runs every test: installs dependencies, builds under AddressSanitizer and
# UndefinedBehaviorSanitizer with warnings as errors, then runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash tests/tools/ort/install.sh
bash scripts/build.sh build-test -DCMAKE_BUILD_TYPE=Debug -DCAIRN_SANITIZE=ON -DCAIRN_WERROR=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-test --output-on-failure -j2 "$@"
