#!/usr/bin/env bash
# What --state-dir costs (docs/state.md, "Costs"): fsync latency of the disk under the state
# directory; ChiefOnboarding user creates and employee list reads at c=8 with and without the
# flag; the start of a 100,000-user state. One server core (taskset -c 0), wrk on the other,
# loopback only, bounded (a few runs of DURATION seconds). Run under the build lock:
#   flock /work/.build.lock bench/durable.sh [target/release/hr-sandbox]
set -euo pipefail
BIN=${1:-target/release/hr-sandbox}
DURATION=${DURATION:-5}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
times = []
for _ in range(300):
    os.write(fd, b"x" * 600)
    t = time.perf_counter(); os.fdatasync(fd); times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(f"fsync (fdatasync of a 600-byte append): median {times[150]:.3f} ms, p99 {times[296]:.3f} ms")
PY

start() { # start PORT [flags...] -> waits for the listening line
  local port=$1; shift
  taskset -c 0 "$BIN" --port "$port" --workers 1 --rate-limits off "$@" >"$work/out-$port" 2>&1 &
  for _ in $(seq 200); do grep -q listening "$work/out-$port" 2>/dev/null && return; sleep 0.05; done
  echo "server did not start" >&2; cat "$work/out-$port" >&2; exit 1
}
auth() { curl -s "http://127.0.0.1:$1/__admin/credentials" | python3 -c "import json,sys;print(json.load(sys.stdin)['chiefonboarding']['admin']['authorization'])"; }
cat >"$work/create.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  wrk.body = string.format('{"first_name":"W","last_name":"R","email":"w%d-%d@acme.test","role":0}', math.random(1, 1000000000), n)
  return wrk.format()
end
LUA
rate() { grep Requests/sec | awk '{print $2}'; }
measure() { # measure LABEL [flags...]
  local label=$1; shift
  local port=$((20000 + RANDOM % 20000))
  start "$port" "$@"
  local a; a=$(auth "$port")
  local reads writes
  reads=$(taskset -c 1 wrk -t1 -c8 -d"${DURATION}s" -H "Authorization: $a" "http://127.0.0.1:$port/chiefonboarding/api/employees/" | rate)
  writes=$(taskset -c 1 wrk -t1 -c8 -d"${DURATION}s" -H "Authorization: $a" -s "$work/create.lua" "http://127.0.0.1:$port/chiefonboarding/api/users/" | rate)
  echo "$label: reads ${reads} req/s, user creates ${writes} req/s"
  kill %1 2>/dev/null || kill "$(jobs -p)" 2>/dev/null || true
  wait 2>/dev/null || true
}
for round in 1 2; do
  measure "round $round without --state-dir"
  rm -rf "$work/state"; measure "round $round with --state-dir" --state-dir "$work/state"
  ls -la "$work/state" | awk 'NR>1 {print "  " $5, $9}'
done

# 100,000 ChiefOnboarding users kept, then the start that restores them.
rm -rf "$work/big"
port=$((20000 + RANDOM % 20000)); start "$port" --state-dir "$work/big"
curl -s -XPATCH -H 'content-type: application/json' -d '{"seed_users": 100000}' "http://127.0.0.1:$port/__admin/vendors/chiefonboarding/settings" >/dev/null
kill %1; wait 2>/dev/null || true
du -sh "$work/big" | awk '{print "100,000-user state directory: " $1}'
t0=$(date +%s.%N); port=$((20000 + RANDOM % 20000)); start "$port" --state-dir "$work/big"; t1=$(date +%s.%N)
echo "start with 100,000 users kept: $(python3 -c "print(f'{$t1-$t0:.2f}')") s to the listening line; $(grep -o 'ms=[0-9]*' "$work/out-$port") in restore"
curl -s "http://127.0.0.1:$port/__admin/vendors" | python3 -c "import json,sys;print('users after restart:', [v['counts'] for v in json.load(sys.stdin) if v['id']=='chiefonboarding'])"
