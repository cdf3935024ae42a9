#!/usr/bin/env bash
# Measures ScoringService/Score over gRPC: starts a fresh antt-registry and
# antt-scoring (plaintext, loopback, data in a temp dir; scoring follows the
# registry with --registry_addr), drives Score by unit_kind with
# antt-scoring-load, stops both with SIGTERM (each must exit 0) and prints a
# Markdown report with the machine it ran on.
#
#   tests/load/run_scoring_bench.sh [BUILD_DIR]     (default: build-f)
#
# Builds nothing: first run
#   ninja -C BUILD_DIR antt-registry antt-scoring antt-scoring-load
# Environment (optional): BENCH_SECONDS (10, at most 60), BENCH_CONCURRENCY
# (32), BENCH_KEEP=1 keeps the work directory.
#
# Every step has a time limit, so the whole run ends within 3 minutes.
# Exit status 0 only when every call succeeded and both servers exited 0.
set -euo pipefail

BUILD_DIR=${1:-build-f}
BIN="$BUILD_DIR/bin"
LOAD="$BIN/antt-scoring-load"

clamp() { # clamp VALUE MIN MAX
  local v=$1
  [[ $v =~ ^[0-9]+$ ]] || v=$2
  ((v < $2)) && v=$2
  ((v > $3)) && v=$3
  echo "$v"
}
RUN_SECONDS=$(clamp "${BENCH_SECONDS:-10}" 1 60)
CONCURRENCY=$(clamp "${BENCH_CONCURRENCY:-32}" 1 1024)

die() {
  echo "run_scoring_bench: $*" >&2
  exit 2
}
command -v jq >/dev/null || die "jq is required to read the load tool's JSON"
for b in antt-registry antt-scoring antt-scoring-load; do
  [[ -x $BIN/$b ]] || die "$BIN/$b not found: ninja -C $BUILD_DIR $b"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/antt-scoring-bench.XXXXXX")
declare -A PIDS=()
# Stops one server: SIGTERM, up to 25 s, then SIGKILL. Sets STOP_RC to its
# exit status. Not in a subshell: `wait` needs the shell that started it.
STOP_RC=""
stop_server() {
  local pid=$1
  STOP_RC=0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 250); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    STOP_RC="killed: no exit within 25 s of SIGTERM"
    return 0
  fi
  wait "$pid" || STOP_RC=$?
}
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do
    if kill -0 "${PIDS[$name]}" 2>/dev/null; then stop_server "${PIDS[$name]}"; fi
  done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

CLK_TCK=$(getconf CLK_TCK)
# utime + stime of a process, in clock ticks (fields 14 and 15 after "comm").
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

START_TIME=$SECONDS
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# start_server NAME FLAGS...: port 0, the kernel picks a free loopback port,
# read from the server's JSON "listening" log line (as scripts/demo does).
# Sets PORT.
start_server() {
  local name=$1
  shift
  "$BIN/$name" --listen=127.0.0.1:0 --insecure --db_path="$WORK/$name-db" \
    --metrics_listen= --health_listen= "$@" 2>"$WORK/$name.log" &
  PIDS[$name]=$!
  PORT=""
  for _ in $(seq 150); do
    PORT=$(grep -m1 '"msg":"listening"' "$WORK/$name.log" 2>/dev/null |
      sed -nE 's/.*"port":([0-9]+).*/\1/p' || true)
    [[ -n $PORT ]] && return 0
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      cat "$WORK/$name.log" >&2
      die "$name exited at start"
    fi
    sleep 0.1
  done
  die "$name did not log its port within 15 s"
}

start_server antt-registry
REGISTRY="127.0.0.1:$PORT"
start_server antt-scoring --registry_addr="$REGISTRY"
SCORING="127.0.0.1:$PORT"
SCORING_PID=${PIDS[antt-scoring]}
echo "antt-registry on $REGISTRY, antt-scoring (pid $SCORING_PID) on $SCORING; work dir $WORK"

LOAD_CMD=("$LOAD" --target="$SCORING" --concurrency="$CONCURRENCY"
  --seconds="$RUN_SECONDS" --warmup_seconds=1)
echo "## ${LOAD_CMD[*]}"
TICKS0=$(cpu_ticks "$SCORING_PID")
LOAD_RC=0
timeout --signal=TERM --kill-after=5 $((RUN_SECONDS + 40)) "${LOAD_CMD[@]}" \
  >"$WORK/load.out" || LOAD_RC=$?
TICKS1=$(cpu_ticks "$SCORING_PID")
RSS_KB=$(status_kb "$SCORING_PID" VmRSS)
THREADS=$(awk '$1 == "Threads:" { print $2 }' "/proc/$SCORING_PID/status")
cat "$WORK/load.out"
JSON=$(tail -n1 "$WORK/load.out")
echo "$JSON" | jq -e . >/dev/null 2>&1 || JSON='{}'

ALL_OK=1
((LOAD_RC == 0)) || ALL_OK=0
stop_server "$SCORING_PID"
SCORING_RC=$STOP_RC
stop_server "${PIDS[antt-registry]}"
REGISTRY_RC=$STOP_RC
PIDS=()
[[ $SCORING_RC == 0 && $REGISTRY_RC == 0 ]] || ALL_OK=0

# Server CPU over the whole load run (criteria read, 1 s warm-up, window and
# drain), divided by warm-up + window: a slight overestimate.
SERVER_CPU=$(awk -v t=$((TICKS1 - TICKS0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
ROW=$(echo "$JSON" | jq -r --arg cpu "$SERVER_CPU" --arg secs "$RUN_SECONDS" '
  def r(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
  "| Score (unit_kind, full answers) | \(.concurrency // "-") | \(.calls_per_s | r(0)) "
  + "| \(.ok_calls_per_s | r(0)) | \(.latency_ms.p50 | r(3)) | \(.latency_ms.p99 | r(3)) "
  + "| \(.errors // "-") (+\(.errors_outside_window // "-")) "
  + "| \(($cpu | tonumber) / (($secs | tonumber) + 1) | r(2)) | \(.client_cores | r(2)) |"')

BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
echo
echo "# antt-scoring Score benchmark"
echo
echo "Servers: \`$BIN/antt-scoring\` and \`$BIN/antt-registry\` (${BUILD_TYPE:-unknown build type})," \
  "plaintext on loopback, fresh RocksDB in a temp dir. Load: \`${LOAD_CMD[*]}\`" \
  "(async client, one thread, one channel; ${RUN_SECONDS} s measured after 1 s warm-up)." \
  "Client and servers share the machine."
echo
echo "| rpc | concurrency | calls/s | OK calls/s | OK p50 ms | OK p99 ms | errors (+ outside window) | server CPU, cores | client CPU, cores |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "$ROW"
echo
echo "- antt-scoring after the load: VmRSS $(awk -v kb="${RSS_KB:-0}" 'BEGIN { printf "%.1f", kb / 1024 }') MiB, $THREADS threads."
echo "- Exit status after SIGTERM: antt-scoring $SCORING_RC, antt-registry $REGISTRY_RC; load tool $LOAD_RC."
echo
echo "## Machine"
echo
echo "- nproc: $(nproc)"
echo "- CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
echo "- kernel: $(uname -sr)"
echo "- load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- free -g:"
echo
echo '```'
free -g
echo '```'
echo
echo "Total time: $((SECONDS - START_TIME)) s."
((ALL_OK == 1))
