#!/usr/bin/env bash
# The whole lifecycle on the embedded default store, in a fresh folder
# (demo-workspace/ by default, or $1). Each step prints what it shows.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
bash scripts/install-deps.sh
bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF
cairn="$repo/build/src/cairn/cli/cairn"

demo="${1:-$repo/demo-workspace}"
rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"
export CAIRN_ACTOR="${CAIRN_ACTOR:-demo}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ cairn %s\n' "$*"; "$cairn" "$@"; }

step "1. A workspace: SQLite store (WAL), object store, config"
run init .

step "2. Synthetic credit data: a reference population and a drifted one"
run data synth credit --rows 5000 --seed 42 -o credit.csv
run data synth credit --rows 5000 --seed 43 --drift 0.5 -o credit_new.csv
head -3 credit.csv

step "3. A versioned, profiled, content-addressed dataset"
run data add credit.csv --name credit
run data add credit.csv --name credit   # same bytes: no new version
run data show credit@1

step "4. A tracked run written as a shell script"
default_rate() { awk -F, 'NR > 1 { n++; d += $NF } END { printf "%.6f", d / n }' "$1"; }
rate=$(default_rate credit.csv)
run_a=$("$cairn" runs start --experiment credit-baselines --name majority-class)
"$cairn" runs log-param "$run_a" model=majority dataset=credit@1
"$cairn" runs log-metric "$run_a" default_rate="$rate" accuracy="$(awk -v r="$rate" 'BEGIN { printf "%.6f", 1 - r }')"
echo "{\"rule\": \"always predict no default\", \"default_rate\": $rate}" > rule.json
"$cairn" runs log-artifact "$run_a" rule.json --as model/rule.json
"$cairn" runs set-tag "$run_a" stage=baseline
"$cairn" runs end "$run_a"
echo "run $run_a: params, metrics, an artifact, a tag"

run_b=$("$cairn" runs start --experiment credit-baselines --name debt-ratio-rule)
"$cairn" runs log-param "$run_b" model=threshold dataset=credit@1
for threshold in 0.3 0.4 0.5; do
  acc=$(awk -F, -v t="$threshold" 'NR > 1 { n++; p = ($6 > t); c += (p == $NF) } END { printf "%.6f", c / n }' credit.csv)
  "$cairn" runs log-metric "$run_b" accuracy="$acc" --step "${threshold#0.}"
done
"$cairn" runs log-param "$run_b" feature=debt_ratio
"$cairn" runs end "$run_b"
run runs list --experiment credit-baselines --sort -metrics.accuracy
run runs list --filter "metrics.accuracy > 0.5 and params.model = 'majority'"
run runs compare "$run_a" "$run_b"
run runs show "$run_a"

step "5. New data arrives: version 2, and what changed"
run data add credit_new.csv --name credit
run data diff credit@1 credit@2
run data list

step "6. Every change is in a tamper-evident audit chain"
run audit log --limit 8
run audit verify

printf '\nDemo workspace: %s\n' "$demo"
