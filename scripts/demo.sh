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

step "6. Training: two model types, each run tracked, each model one ONNX graph"
"$cairn" data add credit.csv --name credit-train >/dev/null
train() {  # prints the run's metrics; leaves the run id in $trained
  local out
  out=$("$cairn" --json train "$@")
  trained=$(printf '%s' "$out" | sed -n 's/.*"run_id": "\([0-9a-f]*\)".*/\1/p' | head -1)
  printf '%s\n' "$out" | sed -n 's/^    "\(roc_auc\|accuracy\|log_loss\)": \([^,]*\),\{0,1\}$/  \1 = \2/p'
}
sed 's/credit@latest/credit-train@latest/' "$repo/examples/train_gbdt.yaml" > train_gbdt.yaml
sed 's/credit@latest/credit-train@latest/' "$repo/examples/train_logistic.yaml" > train_logistic.yaml
sed 's/credit@latest/credit-train@latest/' "$repo/examples/train_mlp.yaml" > train_mlp.yaml
echo '$ cairn train train_gbdt.yaml'; train train_gbdt.yaml; gbdt_run=$trained
echo '$ cairn train train_logistic.yaml   (grid search over C, 5-fold CV; trials are child runs)'
train train_logistic.yaml; logistic_run=$trained
run runs list --experiment credit-risk --filter "name NOT LIKE '%trial%'" --sort -metrics.roc_auc

step "7. The registry: versions, a comparison with significance tests, a gated champion"
run models register "$gbdt_run" --name credit-risk
run models register "$logistic_run" --name credit-risk
run data synth credit --rows 3000 --seed 44 -o holdout.csv
run data add holdout.csv --name holdout
run models compare credit-risk@1 credit-risk@2 --data holdout@1
# The better model on ROC AUC becomes champion; the gate checks it is not
# significantly worse than any current champion on the same rows.
better=$("$cairn" --json models compare credit-risk@1 credit-risk@2 --data holdout@1 |
  awk '/"metric": "roc_auc"/ { m = 1 } m && /"a":/ { a = $2 } m && /"b":/ { b = $2; exit } END { print (b + 0 > a + 0) ? 2 : 1 }')
if [ "$better" = 2 ]; then
  # Version 1 becomes champion first, so the gate has a holder to compare with.
  run models promote credit-risk 1 --to champion
fi
run models promote credit-risk "$better" --to champion --data holdout@1
run models list
run eval credit-risk@champion --data holdout@1 -o evaluation.html
echo "HTML report with ROC, precision-recall, calibration and confusion matrix: $demo/evaluation.html"

step "8. The ONNX engine: inspect, batch-score, export an int8 copy checked on the holdout"
run models export credit-risk@champion -o champion.onnx
run onnx check champion.onnx
run predict credit-risk@champion --data holdout@1 -o scores.csv --json
head -3 scores.csv
echo '$ cairn train train_mlp.yaml'; train train_mlp.yaml; mlp_run=$trained
# The champion is a tree ensemble or a linear model, neither of which has a
# MatMul or Gemm to quantize: the MLP's Gemm layers are what int8 shrinks.
run models register "$mlp_run" --name credit-risk
run models export credit-risk@3 --quantize int8 -o mlp-int8.onnx
run predict mlp-int8.onnx --data holdout.csv -o scores-int8.csv --json

step "9. Serving: MLflow and KServe V2 protocols, metrics, a prediction log, feedback"
"$cairn" serve credit-risk@champion --port 0 --port-file serve.port --poll 1 > serve.log 2>&1 &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s serve.port ] && break; sleep 0.1; done
port=$(cat serve.port)
row='"age": 41, "income": 52000, "loan_amount": 15000, "debt_ratio": 0.45, "credit_history_months": 120,
  "open_accounts": 3, "late_payments": 2, "application_date": "2024-06-01", "employment": "contractor",
  "home_ownership": "rent", "purpose": "business", "region": "south"'
echo "\$ curl -s -X POST 127.0.0.1:$port/invocations -d '{\"dataframe_records\": [{...}]}'"
curl -s -D headers.txt -X POST "127.0.0.1:$port/invocations" -H 'Content-Type: application/json' \
  -d "{\"dataframe_records\": [{$row}]}"; echo
request_id=$(sed -n 's/^[Xx]-[Rr]equest-[Ii]d: *\([^[:space:]]*\).*/\1/p' headers.txt)
echo "\$ curl -s 127.0.0.1:$port/v2/models/credit-risk"
curl -s "127.0.0.1:$port/v2/models/credit-risk" | head -c 300; echo ...
echo "\$ curl -s -X POST 127.0.0.1:$port/feedback -d '{\"request_id\": \"$request_id\", \"label\": 1}'"
curl -s -X POST "127.0.0.1:$port/feedback" -H 'Content-Type: application/json' \
  -d "{\"request_id\": \"$request_id\", \"label\": 1}"; echo
echo "\$ curl -s 127.0.0.1:$port/metrics | grep cairn_requests_total"
curl -s "127.0.0.1:$port/metrics" | grep '^cairn_requests_total' | head -5

step "10. Monitoring closes the loop: drift, a performance drop, an alert, retraining, a gated promotion, a hot swap"
cat > policy.yaml <<'POLICY'
monitoring:
  drift_share: 0.5
  exclude: [applicant_id]
  performance: {metric: roc_auc, tolerance: 0.02}
  alerts:
    - {rule: drift_share, severity: critical}
    - {rule: metric_drop, severity: critical}
retrain:
  mode: on_alert     # an alert retrains the champion's config on the newest data
  data: latest
POLICY
echo "policy.yaml: drift and performance alerts; retrain: on_alert"
replay() {  # sends a labelled CSV as live traffic, then its labels as feedback
  printf '$ python3 python/cairn_client.py replay --data %s --target default\n' "$1"
  python3 "$repo/python/cairn_client.py" replay --url "http://127.0.0.1:$port" --data "$1" --target default \
    --drop applicant_id gender --batch 25
}
utc() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }
"$cairn" data synth credit --rows 1000 --seed 45 -o traffic_calm.csv >/dev/null
"$cairn" data synth credit --rows 1500 --seed 46 --drift 0.5 -o traffic_drifted.csv >/dev/null
calm_from=$(utc); replay traffic_calm.csv; calm_to=$(utc)
sleep 0.5   # the log writes in the background
run monitor run credit-risk --from "$calm_from" --to "$calm_to"
echo "New labelled data arrives (drifted), and so does drifted traffic:"
run data add credit_new.csv --name credit-train
drifted_from=$(utc); replay traffic_drifted.csv
sleep 0.5
run monitor run credit-risk --from "$drifted_from"
run monitor alerts credit-risk
champion=$("$cairn" --json models show credit-risk@champion | sed -n 's/^  "version": \([0-9]*\),$/\1/p')
for _ in $(seq 1 50); do
  served=$(curl -s "127.0.0.1:$port/v2/models/credit-risk" | sed -n 's/.*"versions":\["\([0-9]*\)"\].*/\1/p')
  [ "$served" = "$champion" ] && break; sleep 0.2
done
echo "\$ curl -s 127.0.0.1:$port/v2/models/credit-risk   # the server now answers with version $served"
grep 'moved from version' serve.log || true
run models lineage credit-risk
run monitor report credit-risk -o drift.html
echo "HTML drift report with reference and current distributions per feature: $demo/drift.html"
kill -TERM "$server"; wait "$server" || true
trap - EXIT
echo "server stopped on SIGTERM after flushing its prediction log"

step "11. Every change is in a tamper-evident audit chain"
run audit log --limit 8
run audit verify

printf '\nDemo workspace: %s\n' "$demo"
