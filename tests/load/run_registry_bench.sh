#!/usr/bin/env bash
# Benchmarks a fresh antt-registry on the loopback interface and prints a
# Markdown report: throughput, latency and errors of each load mode (health:
# the do-nothing callback handler; area: GetArea, a sync handler without
# storage; get: GetUnit, the sync handler plus a RocksDB read; import: one
# 100k-row ImportUnits stream), the
# server's CPU time and memory (VmHWM, VmRSS) per mode, the database size
# after the import, and the machine it ran on.
#
#   tests/load/run_registry_bench.sh [BUILD_DIR]     (default: build-bench)
#
# Builds nothing: first run
#   ninja -C BUILD_DIR antt-registry antt-registry-load
# Environment (optional): BENCH_SECONDS (10, at most 20) per timed mode,
# BENCH_CONCURRENCY (32), BENCH_UNITS (1000), BENCH_ROWS (100000, at most
# 200000), BENCH_CLIENT (async | sync), BENCH_MAX_THREADS (the server's
# --max_threads; default: the server's own), BENCH_KEEP=1 keeps the work
# directory.
#
# Every step has a time limit, so the whole run ends within 5 minutes.
# VmHWM is reset before each mode (/proc/PID/clear_refs), so each row shows
# that mode's own peak. Exit status 0 only when every mode succeeded without
# a single failed call and the server exited 0 on SIGTERM.
set -euo pipefail

BUILD_DIR=${1:-build-bench}
BIN="$BUILD_DIR/bin"
SERVER="$BIN/antt-registry"
LOAD="$BIN/antt-registry-load"

clamp() {  # clamp VALUE MIN MAX
  local v=$1
  [[ $v =~ ^[0-9]+$ ]] || v=$2
  ((v < $2)) && v=$2
  ((v > $3)) && v=$3
  echo "$v"
}
RUN_SECONDS=$(clamp "${BENCH_SECONDS:-10}" 1 20)
CONCURRENCY=$(clamp "${BENCH_CONCURRENCY:-32}" 1 1024)
UNITS=$(clamp "${BENCH_UNITS:-1000}" 1 100000)
ROWS=$(clamp "${BENCH_ROWS:-100000}" 1 200000)
CLIENT=${BENCH_CLIENT:-async}
[[ $CLIENT == async || $CLIENT == sync ]] || CLIENT=async
SERVER_FLAGS=(--drain_seconds=10)
THREADS_NOTE="the server's default max_threads (64)"
if [[ -n ${BENCH_MAX_THREADS:-} ]]; then
  SERVER_FLAGS+=(--max_threads="$(clamp "$BENCH_MAX_THREADS" 2 1024)")
  THREADS_NOTE="max_threads $(clamp "$BENCH_MAX_THREADS" 2 1024)"
fi

die() { echo "run_registry_bench: $*" >&2; exit 2; }
[[ -x $SERVER ]] || die "$SERVER not found: ninja -C $BUILD_DIR antt-registry"
[[ -x $LOAD ]] || die "$LOAD not found: ninja -C $BUILD_DIR antt-registry-load"
command -v jq >/dev/null || die "jq is required to read the load tool's JSON"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/antt-registry-bench.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

CLK_TCK=$(getconf CLK_TCK)
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# utime + stime of a process, in clock ticks (fields 14 and 15 after "comm").
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
dir_bytes() { du -sb "$1" | awk '{ print $1 }'; }

START_TIME=$SECONDS
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------ start server
# Port 0: the kernel picks a free loopback port, which the server logs.
"$SERVER" --db_path="$WORK/db" --listen=127.0.0.1:0 --insecure \
  --metrics_listen= --health_listen= \
  "${SERVER_FLAGS[@]}" 2>"$WORK/server.log" &
SERVER_PID=$!
PORT=""
for _ in $(seq 150); do
  PORT=$(grep -m1 '"msg":"listening"' "$WORK/server.log" 2>/dev/null |
    sed -nE 's/.*"port":([0-9]+).*/\1/p' || true)
  [[ -n $PORT ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "server exited at start"; }
  sleep 0.1
done
[[ -n $PORT ]] || die "server did not log its port within 15 s"
TARGET="127.0.0.1:$PORT"
echo "server pid $SERVER_PID listening on $TARGET, db $WORK/db"
echo "after start: VmRSS $(mib "$(status_kb "$SERVER_PID" VmRSS)") MiB"
echo

ALL_OK=1
declare -a ROW_LINES=()

# run_mode NAME TIMEOUT_S ARGS... : runs the load tool, samples the server.
run_mode() {
  local name=$1 limit=$2
  shift 2
  kill -0 "$SERVER_PID" 2>/dev/null || die "server died before $name"
  # Reset the peak so VmHWM is this mode's own (needs Linux >= 4.0).
  local hwm_note=""
  { echo 5 >"/proc/$SERVER_PID/clear_refs"; } 2>/dev/null || hwm_note=" (cumulative)"
  local ticks0 ticks1 rc=0
  ticks0=$(cpu_ticks "$SERVER_PID")
  echo "## $name: $LOAD --target=$TARGET $*"
  timeout --signal=TERM --kill-after=5 "$limit" \
    "$LOAD" --target="$TARGET" --server_pid="$SERVER_PID" "$@" \
    >"$WORK/$name.out" || rc=$?
  ticks1=$(cpu_ticks "$SERVER_PID")
  sed '$d' "$WORK/$name.out"
  local json
  json=$(tail -n1 "$WORK/$name.out")
  echo "$json" >"$WORK/$name.json"
  echo "$json" | jq -c . >/dev/null 2>&1 || json='{}'
  local hwm rss
  hwm=$(status_kb "$SERVER_PID" VmHWM)
  rss=$(status_kb "$SERVER_PID" VmRSS)
  local cpu_s
  cpu_s=$(awk -v t=$((ticks1 - ticks0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
  echo "server, whole mode (setup and warm-up included): CPU ${cpu_s} s, VmHWM $(mib "$hwm") MiB$hwm_note, VmRSS $(mib "$rss") MiB; load tool exit $rc"
  echo
  ((rc == 0)) || ALL_OK=0

  # One Markdown row. Throughput: calls/s (all, and OK only) or rows/s.
  # Server and client CPU are for the measured window only (read by the
  # load tool from /proc); memory is for the whole mode.
  local row
  row=$(echo "$json" | jq -r --arg name "$name" \
    --arg hwm "$(mib "$hwm")$hwm_note" --arg rss "$(mib "$rss")" --arg rc "$rc" '
    def f(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
    def ms: if . == null then "-" else (. / 1000 | f(3)) end;
    "| \($name) | \(.rpc // "-") | "
    + (if .mode == "import" then "\(.rows_per_s | f(0)) rows/s | - "
       else "\(.calls_per_s | f(0)) | \(.ok_calls_per_s | f(0)) " end)
    + "| \(.latency.p50_us | ms) | \(.latency.p99_us | ms) "
    + "| \(if .mode == "import" then .rejected else .errors end // "-") "
    + "| \(.server_cores | f(2)) | \(.server_cpu_us_per_call | f(0)) "
    + "| \(.client_cores | f(2)) | \(.server_threads // "-") "
    + "| \($hwm) | \($rss) | \(if $rc == "0" then "ok" else "FAIL (exit \($rc))" end) |"')
  ROW_LINES+=("$row")
}

run_mode health 35 --mode=health --seconds="$RUN_SECONDS" \
  --concurrency="$CONCURRENCY" --client="$CLIENT"
run_mode area 35 --mode=area --seconds="$RUN_SECONDS" \
  --concurrency="$CONCURRENCY" --client="$CLIENT"
run_mode get 60 --mode=get --seconds="$RUN_SECONDS" \
  --concurrency="$CONCURRENCY" --client="$CLIENT" --units="$UNITS" \
  --setup_timeout_s=20
run_mode import 110 --mode=import --rows="$ROWS" --import_timeout_s=100

DB_BYTES=$(dir_bytes "$WORK/db")
WAL_BYTES=$(find "$WORK/db" -name '*.log' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
LOG_LINES=$(wc -l <"$WORK/server.log")

# ------------------------------------------------------------ stop server
kill -TERM "$SERVER_PID"
STOP_START=$SECONDS
SERVER_RC=""
for _ in $(seq 250); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  SERVER_RC="killed: no exit within 25 s of SIGTERM"
  ALL_OK=0
  wait "$SERVER_PID" 2>/dev/null || true
else
  SERVER_RC=0
  wait "$SERVER_PID" || SERVER_RC=$?
  [[ $SERVER_RC == 0 ]] || ALL_OK=0
fi
STOP_SECONDS=$((SECONDS - STOP_START))
SERVER_PID=""
DB_BYTES_CLOSED=$(dir_bytes "$WORK/db")

# ------------------------------------------------------------ report
BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
echo "# antt-registry benchmark"
echo
echo "Server: \`$SERVER\` (${BUILD_TYPE:-unknown build type}), sync gRPC API, $THREADS_NOTE," \
  "plaintext on $TARGET, fresh RocksDB in a temp dir; one JSON log line per call to a file."
echo "Load: \`$LOAD\`, client=$CLIENT, concurrency $CONCURRENCY, ${RUN_SECONDS} s measured after 1 s warm-up;" \
  "get creates $UNITS units first; import streams $ROWS rows in one call. Client and server share the machine."
echo
echo "| mode | rpc | calls/s (all) or rows/s | OK calls/s | OK p50 ms | OK p99 ms | errors / rejected | server CPU, cores | server CPU µs per call or row | client CPU, cores | server threads | server VmHWM MiB | server VmRSS MiB | status |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROW_LINES[@]}"
echo
echo "- RocksDB directory after the import: $DB_BYTES bytes ($(awk -v b="$DB_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MiB, of which WAL $WAL_BYTES bytes);" \
  "after shutdown (memtables flushed): $DB_BYTES_CLOSED bytes ($(awk -v b="$DB_BYTES_CLOSED" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)."
echo "- Server exit status after SIGTERM: $SERVER_RC (in ${STOP_SECONDS} s). Server log: $LOG_LINES lines."
for mode in health area get import; do
  f="$WORK/$mode.json"
  [[ -s $f ]] || continue
  codes=$(jq -c '.error_codes // {} | select(length > 0)' "$f" 2>/dev/null || true)
  first=$(jq -r '.first_error // empty' "$f" 2>/dev/null || true)
  [[ -n $codes ]] && echo "- $mode: errors by status code $codes; first: $first"
  setup=$(jq -r '.setup // empty | "CreateUnit setup: \(.created) units in \(.seconds * 100 | round / 100) s (\(.units_per_s | round) units/s), \(.busy_rejections) calls turned away busy and retried"' "$f" 2>/dev/null || true)
  [[ -n $setup ]] && echo "- $mode: $setup"
done
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
