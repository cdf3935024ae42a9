#!/usr/bin/env bash
# Benchmarks one award campaign through the three real services: starts a
# fresh antt-registry, antt-scoring (--registry_addr) and antt-awards
# (--registry_addr, --scoring_addr), plaintext on loopback with their data in
# a temp dir; runs antt-awards-load (N agencies imported, their 2018 and 2019
# assessments submitted, reviewed and recognised, then N collective
# nominations nominated, approved and issued, each phase timed); reads each
# server's VmHWM and VmRSS from /proc; stops the servers with SIGTERM (each
# must exit 0) and prints a Markdown report with the machine it ran on.
#
#   tests/load/run_awards_bench.sh [BUILD_DIR]     (default: build-i)
#
# Builds nothing: first run
#   ninja -C BUILD_DIR antt-registry antt-scoring antt-awards antt-awards-load
# Environment (optional): BENCH_UNITS (5000, at most 20000), BENCH_CONCURRENCY
# (4, at most 64), BENCH_BATCH (500), BENCH_DECISION_SIZE (10000),
# BENCH_WITH_2018 (1; 0 leaves BK_UBND_TINH nominations ineligible, approved
# with an override), BENCH_KEEP=1 keeps the work directory.
#
# Every step has a time limit (servers 10 s each to start and 15 s each to
# stop, the load tool 360 s), so the whole run ends within 8 minutes (≤ 440 s).
# Exit status 0 only when the load tool succeeded (every call OK and the
# campaign summary shows N issued) and every server exited 0.
set -euo pipefail

BUILD_DIR=${1:-build-i}
BIN="$BUILD_DIR/bin"
LOAD="$BIN/antt-awards-load"

clamp() { # clamp VALUE MIN MAX
  local v=$1
  [[ $v =~ ^[0-9]+$ ]] || v=$2
  ((v < $2)) && v=$2
  ((v > $3)) && v=$3
  echo "$v"
}
UNITS=$(clamp "${BENCH_UNITS:-5000}" 1 20000)
CONCURRENCY=$(clamp "${BENCH_CONCURRENCY:-4}" 1 64)
BATCH=$(clamp "${BENCH_BATCH:-500}" 1 500)
DECISION_SIZE=$(clamp "${BENCH_DECISION_SIZE:-10000}" 1 10000)
WITH_2018=true
[[ ${BENCH_WITH_2018:-1} == 0 ]] && WITH_2018=false
LOAD_TIMEOUT_S=360 # the tool gives up at 330 s; 30 s for its own drain

die() {
  echo "run_awards_bench: $*" >&2
  exit 2
}
command -v jq >/dev/null || die "jq is required to read the load tool's JSON"
for b in antt-registry antt-scoring antt-awards antt-awards-load; do
  [[ -x $BIN/$b ]] || die "$BIN/$b not found: ninja -C $BUILD_DIR $b"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/antt-awards-bench.XXXXXX")
declare -A PIDS=()
# Stops one server: SIGTERM, up to 15 s (it drains for at most 10), then
# SIGKILL. Sets STOP_RC to its exit status. Not in a subshell: `wait` needs
# the shell that started it.
STOP_RC=""
stop_server() {
  local pid=$1
  STOP_RC=0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    STOP_RC="killed: no exit within 15 s of SIGTERM"
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

# start_server NAME FLAGS...: port 0, the kernel picks a free loopback port,
# read from the server's JSON "listening" log line (as scripts/demo does).
# Sets PORT.
start_server() {
  local name=$1
  shift
  "$BIN/$name" --listen=127.0.0.1:0 --insecure --db_path="$WORK/$name-db" \
    --metrics_listen= --health_listen= --drain_seconds=10 "$@" \
    2>"$WORK/$name.log" &
  PIDS[$name]=$!
  PORT=""
  for _ in $(seq 100); do
    PORT=$(grep -m1 '"msg":"listening"' "$WORK/$name.log" 2>/dev/null |
      sed -nE 's/.*"port":([0-9]+).*/\1/p' || true)
    [[ -n $PORT ]] && return 0
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      cat "$WORK/$name.log" >&2
      die "$name exited at start"
    fi
    sleep 0.1
  done
  die "$name did not log its port within 10 s"
}

start_server antt-registry
REGISTRY="127.0.0.1:$PORT"
start_server antt-scoring --registry_addr="$REGISTRY"
SCORING="127.0.0.1:$PORT"
start_server antt-awards --registry_addr="$REGISTRY" --scoring_addr="$SCORING"
AWARDS="127.0.0.1:$PORT"
echo "antt-registry (pid ${PIDS[antt-registry]}) on $REGISTRY," \
  "antt-scoring (pid ${PIDS[antt-scoring]}) on $SCORING," \
  "antt-awards (pid ${PIDS[antt-awards]}) on $AWARDS; work dir $WORK"

LOAD_CMD=("$LOAD" --registry="$REGISTRY" --scoring="$SCORING" --awards="$AWARDS"
  --units="$UNITS" --concurrency="$CONCURRENCY" --batch="$BATCH"
  --decision_size="$DECISION_SIZE" --with_2018="$WITH_2018" --timeout_s=330
  --registry_pid="${PIDS[antt-registry]}" --scoring_pid="${PIDS[antt-scoring]}"
  --awards_pid="${PIDS[antt-awards]}")
echo "## ${LOAD_CMD[*]}"
LOAD_RC=0
timeout --signal=TERM --kill-after=5 "$LOAD_TIMEOUT_S" "${LOAD_CMD[@]}" \
  >"$WORK/load.out" || LOAD_RC=$?
cat "$WORK/load.out"
JSON=$(tail -n1 "$WORK/load.out")
echo "$JSON" | jq -e . >/dev/null 2>&1 || JSON='{}'

# Peak and current memory, threads and database size, before the stop.
declare -A HWM=() RSS=() THREADS=() DB=()
for name in antt-registry antt-scoring antt-awards; do
  pid=${PIDS[$name]}
  if kill -0 "$pid" 2>/dev/null; then
    HWM[$name]=$(mib "$(status_kb "$pid" VmHWM)")
    RSS[$name]=$(mib "$(status_kb "$pid" VmRSS)")
    THREADS[$name]=$(status_kb "$pid" Threads)
  else
    HWM[$name]="-" RSS[$name]="-" THREADS[$name]="-"
  fi
  DB[$name]=$(du -sm "$WORK/$name-db" 2>/dev/null | cut -f1 || echo "-")
done

ALL_OK=1
((LOAD_RC == 0)) || ALL_OK=0
declare -A EXIT_RC=()
# Awards first: it calls the other two.
for name in antt-awards antt-scoring antt-registry; do
  stop_server "${PIDS[$name]}"
  EXIT_RC[$name]=$STOP_RC
  [[ $STOP_RC == 0 ]] || ALL_OK=0
done
PIDS=()

# One Markdown row per phase: items, wall time, rate, call latency, CPU.
phase_row() { # phase_row LABEL JQ_PATH
  echo "$JSON" | jq -r --arg title "$1" "
    def r(d): if . == null then \"-\" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
    ($2) as \$p | if \$p == null then empty else
    \"| \(\$title) | \(\$p.items // \"-\") | \(\$p.calls // \"-\") | \(\$p.wall_s | r(2)) \"
    + \"| \(\$p.items_per_s | r(1)) | \(\$p.call_latency.p50_ms | r(1)) | \(\$p.call_latency.p99_ms | r(1)) \"
    + \"| \(\$p.errors // \"-\") | \(\$p.client_cpu_s | r(2)) | \(\$p.server_cpu_s.registry | r(2)) \"
    + \"| \(\$p.server_cpu_s.scoring | r(2)) | \(\$p.server_cpu_s.awards | r(2)) |\" end"
}

BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
echo
echo "# antt-awards campaign benchmark"
echo
echo "Servers: \`$BIN/antt-registry\`, \`antt-scoring\`, \`antt-awards\` (${BUILD_TYPE:-unknown build type})," \
  "plaintext on loopback, fresh RocksDB each in a temp dir, default flags but \`--drain_seconds=10\`." \
  "Load: \`${LOAD_CMD[*]}\` (async client, one thread, one channel per service)." \
  "Client and servers share the machine."
echo
echo "| phase | items | calls | wall s | items/s | call p50 ms | call p99 ms | errors | client CPU s | registry CPU s | scoring CPU s | awards CPU s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
phase_row "setup: ImportUnits (1 stream)" ".setup.import"
phase_row "setup: ListUnits (ids by external id)" ".setup.import.list_units"
for y in 2018 2019; do
  phase_row "setup: SubmitAssessment $y" ".setup.submit_$y"
  phase_row "setup: ReviewAssessment $y" ".setup.review_$y"
  phase_row "setup: RecognizeAssessments $y" ".setup.recognize_$y"
done
phase_row "**nominate** (BatchNominate ×$BATCH, $CONCURRENCY in flight)" ".phases.nominate"
phase_row "**approve** (ApproveNomination, $CONCURRENCY outstanding)" ".phases.approve"
phase_row "**issue** (IssueDecision, ≤ $DECISION_SIZE each)" ".phases.issue"
echo
echo "$JSON" | jq -r '
  def r(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
  "- Campaign \(.campaign // "-"): \(.units // "-") nominations nominated, approved and issued in "
  + "\(.campaign_wall_s | r(2)) s of the three phases (\(if (.campaign_wall_s // 0) > 0 then (.units / .campaign_wall_s | r(1)) else "-" end) /s end to end); "
  + "GetCampaignSummary: \(.summary.issued // "-") ISSUED (\((.summary.rows // []) | map("\(.award_type) \(.stage | sub("NOMINATION_STAGE_"; "")) \(.count)") | join(", "))). "
  + "Not eligible at nomination: \(.phases.nominate.ineligible // "-"); approved with an override: \(.phases.approve.overrides // "-")."'
echo "$JSON" | jq -r '
  def r(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
  "- Setup \(.setup.wall_s | r(1)) s; whole tool \(.total_wall_s | r(1)) s. "
  + "BatchNominate p50 latency / batch size: \(.phases.nominate.batch_p50_ms_per_nomination | r(2)) ms per nomination (sequential inside a batch, with the other batches in flight)."'
echo
echo "| server | VmHWM MiB | VmRSS MiB (after the run) | threads | RocksDB MiB | exit status after SIGTERM |"
echo "|---|---|---|---|---|---|"
for name in antt-registry antt-scoring antt-awards; do
  echo "| $name | ${HWM[$name]} | ${RSS[$name]} | ${THREADS[$name]} | ${DB[$name]} | ${EXIT_RC[$name]} |"
done
echo
echo "- Load tool exit status: $LOAD_RC."
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
