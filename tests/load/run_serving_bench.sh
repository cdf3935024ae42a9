#!/usr/bin/env bash
# Measures the serving core against the machine's limit (issue 13): starts a
# fresh antt-registry and antt-scoring (plaintext, loopback, data in a temp
# dir; scoring follows the registry with --registry_addr) and
# antt-echo-server (a do-nothing callback-API server), runs
# antt-serving-load, which alternates the echo with Score, GetUnit,
# CreateUnit and SubmitAssessment in rounds and prints each RPC as a ratio of
# the echo, stops everything with SIGTERM (each server must exit 0) and
# prints a Markdown report with the machine it ran on.
#
#   tests/load/run_serving_bench.sh [BUILD_DIR]     (default: build-bench)
#
# Builds nothing: first run
#   ninja -C BUILD_DIR antt-registry antt-scoring antt-echo-server \
#     antt-serving-load
# Environment (optional): BENCH_ROUNDS (3, at most 10), BENCH_SECONDS (3 per
# window, at most 20), BENCH_CONCURRENCY (32), BENCH_RPCS (the load tool's
# --rpcs; default all four), BENCH_KEEP=1 keeps the work directory.
#
# Every step has a time limit; the load tool's scales with the rounds and
# seconds (under 10 minutes with the defaults, which take about 3; an hour
# at the most). Exit status 0 only when every call succeeded and every
# server exited 0.
set -euo pipefail

BUILD_DIR=${1:-build-bench}
BIN="$BUILD_DIR/bin"
LOAD="$BIN/antt-serving-load"

clamp() { # clamp VALUE MIN MAX
  local v=$1
  [[ $v =~ ^[0-9]+$ ]] || v=$2
  ((v < $2)) && v=$2
  ((v > $3)) && v=$3
  echo "$v"
}
ROUNDS=$(clamp "${BENCH_ROUNDS:-3}" 1 10)
WINDOW_SECONDS=$(clamp "${BENCH_SECONDS:-3}" 1 20)
CONCURRENCY=$(clamp "${BENCH_CONCURRENCY:-32}" 1 1024)
RPCS=${BENCH_RPCS:-Score,GetUnit,CreateUnit,SubmitAssessment}
[[ $RPCS =~ ^[A-Za-z,]+$ ]] || RPCS=Score,GetUnit,CreateUnit,SubmitAssessment

die() {
  echo "run_serving_bench: $*" >&2
  exit 2
}
for b in antt-registry antt-scoring antt-echo-server antt-serving-load; do
  [[ -x $BIN/$b ]] || die "$BIN/$b not found: ninja -C $BUILD_DIR $b"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/antt-serving-bench.XXXXXX")
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

status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v kb="${1:-0}" 'BEGIN { printf "%.1f", kb / 1024 }'; }

START_TIME=$SECONDS
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# wait_port NAME FILE: the port from the JSON "listening" line the server
# writes to FILE (its log, or the echo server's stdout). Sets PORT.
wait_port() {
  local name=$1 file=$2
  PORT=""
  for _ in $(seq 150); do
    PORT=$(grep -m1 '"msg":"listening"' "$file" 2>/dev/null |
      sed -nE 's/.*"port":([0-9]+).*/\1/p' || true)
    [[ -n $PORT ]] && return 0
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      cat "$WORK/$name.log" >&2
      die "$name exited at start"
    fi
    sleep 0.1
  done
  die "$name did not print its port within 15 s"
}

# start_server NAME FLAGS...: an ANTT server on port 0 (the kernel picks a
# free loopback port), without metrics and health ports. Sets PORT.
start_server() {
  local name=$1
  shift
  "$BIN/$name" --listen=127.0.0.1:0 --insecure --db_path="$WORK/$name-db" \
    --metrics_listen= --health_listen= "$@" 2>"$WORK/$name.log" &
  PIDS[$name]=$!
  wait_port "$name" "$WORK/$name.log"
}

"$BIN/antt-echo-server" --listen=127.0.0.1:0 >"$WORK/echo.out" \
  2>"$WORK/antt-echo-server.log" &
PIDS[antt-echo-server]=$!
wait_port antt-echo-server "$WORK/echo.out"
ECHO="127.0.0.1:$PORT"
start_server antt-registry
REGISTRY="127.0.0.1:$PORT"
start_server antt-scoring --registry_addr="$REGISTRY"
SCORING="127.0.0.1:$PORT"
echo "antt-echo-server on $ECHO, antt-registry on $REGISTRY, antt-scoring on" \
  "$SCORING; work dir $WORK"

LOAD_CMD=("$LOAD" --echo="$ECHO" --registry="$REGISTRY" --scoring="$SCORING"
  --rpcs="$RPCS" --concurrency="$CONCURRENCY" --rounds="$ROUNDS"
  --seconds_per_target="$WINDOW_SECONDS" --warmup_seconds=0.5
  --echo_pid="${PIDS[antt-echo-server]}" --registry_pid="${PIDS[antt-registry]}"
  --scoring_pid="${PIDS[antt-scoring]}")
echo "## ${LOAD_CMD[*]}"
# Setup and preparation (up to ~3 min), then 12 windows a round, each with
# its warm-up, waiting for idle servers (usually under a second) and drain.
LOAD_LIMIT=$((180 + ROUNDS * 12 * (WINDOW_SECONDS + 8)))
LOAD_RC=0
timeout --signal=TERM --kill-after=5 "$LOAD_LIMIT" "${LOAD_CMD[@]}" \
  >"$WORK/load.out" || LOAD_RC=$?
cat "$WORK/load.out"

declare -A HWM=()
for name in antt-registry antt-scoring antt-echo-server; do
  HWM[$name]=$(status_kb "${PIDS[$name]}" VmHWM)
done
declare -A RCS=()
ALL_OK=1
((LOAD_RC == 0)) || ALL_OK=0
for name in antt-scoring antt-registry antt-echo-server; do
  stop_server "${PIDS[$name]}"
  RCS[$name]=$STOP_RC
  [[ $STOP_RC == 0 ]] || ALL_OK=0
done
PIDS=()

BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
echo
echo "# Serving core against the machine's limit"
echo
echo "Servers: \`$BIN/antt-registry\` and \`$BIN/antt-scoring\` (${BUILD_TYPE:-unknown build type})," \
  "plaintext on loopback, fresh RocksDB in a temp dir, logs to a file; the limit:" \
  "\`$BIN/antt-echo-server\` (callback API, answers every method with an empty message)." \
  "Load: \`${LOAD_CMD[*]}\` (one process, callback API through a generic stub, one channel" \
  "per server). Client and servers share the machine."
echo
grep '^|' "$WORK/load.out" || echo "(no summary: the load tool exited $LOAD_RC)"
echo
echo "- Ratio: the RPC's OK calls/s ÷ the mean of the echo windows just before and after it," \
  "the echo sent the same request bytes; median over $ROUNDS rounds."
echo "- Peak resident memory (VmHWM): antt-registry $(mib "${HWM[antt-registry]}") MiB," \
  "antt-scoring $(mib "${HWM[antt-scoring]}") MiB, antt-echo-server $(mib "${HWM[antt-echo-server]}") MiB."
echo "- Exit status after SIGTERM: antt-registry ${RCS[antt-registry]}, antt-scoring" \
  "${RCS[antt-scoring]}, antt-echo-server ${RCS[antt-echo-server]}; load tool $LOAD_RC."
echo
echo "## Machine"
echo
echo "- nproc: $(nproc)"
echo "- CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
echo "- memory: $(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "- kernel: $(uname -sr)"
echo "- load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Total time: $((SECONDS - START_TIME)) s."
((ALL_OK == 1))
