#!/usr/bin/env bash
# Serving throughput: wrk (2 threads, 64 keep-alive connections, 20 s) sends
# single-row predictions of a 300-tree GBDT to `cairn serve`, and in the same
# run fetches a static file of the same size from nginx (this machine's
# ceiling) and sends the same predictions to a Flask + XGBoost app under
# gunicorn with 2 workers (what users run today). Prints requests/s, p50 and
# p99 side by side, and cairn's ratios against the targets (>= 90% of nginx,
# >= 10x Flask, p99 < 10 ms).
# Usage: bench/serve_bench.sh [DURATION]    (default 20s; CAIRN_BIN to skip the build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-20s}
build=${CAIRN_BENCH_BUILD:-$root/build-bench}
py=/usr/bin/python3
for tool in wrk nginx gunicorn curl; do
  command -v "$tool" >/dev/null || { echo "serve_bench: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
if [ -z "${CAIRN_BIN:-}" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF >/dev/null
  ninja -C "$build" -j2 cairn >/dev/null
  CAIRN_BIN=$build/src/cairn/cli/cairn
fi

work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers run as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  echo "serve_bench: nothing answers on port $1" >&2
  exit 1
}

echo "== model"
$py "$root/bench/serve_gbdt_model.py" "$work"
body=$(cat "$work/row.json")
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA

# cairn, with its prediction log on, in a fresh workspace.
(cd "$work" && "$CAIRN_BIN" init >/dev/null)
cairn_port=$(free_port)
(cd "$work" && exec "$CAIRN_BIN" serve "$work/model.onnx" --port "$cairn_port" --threads 2 2>"$work/cairn.log") &
pids+=($!)
wait_port "$cairn_port"
answer=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$work/row.json" \
  "http://127.0.0.1:$cairn_port/invocations")
echo "cairn answers: $answer"

# nginx serving a static file of the same size.
nginx_port=$(free_port)
mkdir -p "$work/www"
printf '%s' "$answer" >"$work/www/invocations"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-body;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    default_type application/json;
  }
}
CONF
nginx -c "$work/nginx.conf" &
pids+=($!)
wait_port "$nginx_port"

# Flask + XGBoost under gunicorn, 2 workers.
flask_port=$(free_port)
(cd "$root/bench" && SERVE_BENCH_MODEL="$work/model.json" exec gunicorn -w 2 -b "127.0.0.1:$flask_port" \
  --log-level warning serve_flask_app:app) &
pids+=($!)
wait_port "$flask_port"
echo "flask answers: $(curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$work/row.json" \
  "http://127.0.0.1:$flask_port/invocations")"

run() {  # name port path [script]
  local out
  if [ -n "${4:-}" ]; then
    out=$(wrk -t2 -c64 -d"$duration" --latency -s "$4" "http://127.0.0.1:$2$3")
  else
    out=$(wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$2$3")
  fi
  echo "$out" >"$work/wrk-$1.txt"
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
  echo "$1 $rps $p50 $p99 ${errors:-none}" >>"$work/results.txt"
  echo "== $1: $rps req/s, p50 $p50, p99 $p99 ${errors}"
}

echo "== wrk: 2 threads, 64 connections, $duration each"
run nginx "$nginx_port" /invocations
run cairn "$cairn_port" /invocations "$work/post.lua"
run flask "$flask_port" /invocations "$work/post.lua"
curl -s "http://127.0.0.1:$cairn_port/metrics" | grep -E '^cairn_prediction_log_(written|dropped)_total' || true

$py - "$work/results.txt" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, *errors = line.split()
    rows[name] = (float(rps), p50, p99, " ".join(errors))
def ms(text):
    units = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    for unit in ("us", "ms", "s"):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * units[unit]
    return float(text)
print()
print(f"{'server':<8} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8}  errors")
for name in ("nginx", "cairn", "flask"):
    rps, p50, p99, errors = rows[name]
    print(f"{name:<8} {rps:>10.0f} {ms(p50):>8.3f} {ms(p99):>8.3f}  {errors}")
cairn, nginx, flask = rows["cairn"][0], rows["nginx"][0], rows["flask"][0]
p99 = ms(rows["cairn"][2])
print()
print(f"cairn / nginx: {cairn / nginx:6.1%}   (target >= 90%)  {'ok' if cairn >= 0.9 * nginx else 'MISSED'}")
print(f"cairn / flask: {cairn / flask:6.1f}x  (target >= 10x)  {'ok' if cairn >= 10 * flask else 'MISSED'}")
print(f"cairn p99:     {p99:6.2f} ms (target < 10 ms) {'ok' if p99 < 10 else 'MISSED'}")
PY
