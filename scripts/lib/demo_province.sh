#!/usr/bin/env bash
# The demo province, end to end, through the real services and anttctl:
#
#   demo_province.sh BIN_DIR OUT_DIR [--secure] [antt-demo-province flags...]
#
# Starts antt-registry, antt-scoring and antt-awards from BIN_DIR on free
# loopback ports, their data in a temporary directory: in plaintext local
# mode, or with --secure as in production — mutual TLS everywhere, a
# certificate authority, server and client certificates and bearer tokens
# issued by scripts/antt-credentials, the services calling each other with
# SERVICE tokens, the province's data loaded by an OFFICER limited to
# Quảng Trị and the awards run by the provincial emulation office's OFFICER,
# and every service's audit chain verified by an ADMIN at the end. Loads
# Quảng Trị (legacy province 45) as antt-demo-province generates it — units,
# people, six years of assessments and the decisions that recognise them,
# two award campaigns — only through anttctl; checks
# every figure the services report against what the generator planned
# (every year above 95 %, 94 / 58 / 41 awards); prints the five-year summary;
# writes the HTML report to OUT_DIR; takes and verifies a backup of each
# service, stops every process it started, and runs a restore drill
# (deploy/scripts/restore-drill.sh) on those backups. Exits
# non-zero on the first failed step or figure.
#
# scripts/demo runs it on the full province; the demo_province_e2e test on a
# small one (fewer communes and enterprises, the same award figures).
set -euo pipefail

bin="$(cd "$1" && pwd)"
out="$2"
shift 2
secure=""
if [ "${1:-}" = "--secure" ]; then
  secure=yes
  shift
fi
gen_flags=("$@")
credentials="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/antt-credentials"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

first_year=2014
last_year=2019
edition=2025-06 # legacy edition: the districts of 2014-2019
province=45

work="$(mktemp -d -t antt-demo.XXXXXX)"
pids=()
cleanup() {
  local rc=$? pid log
  # A failed run shows the end of each server's log: why a server stopped
  # answering is there, and the work directory goes with the exit.
  if [ "$rc" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -f "$log" ] || continue
      echo "--- last lines of $log" >&2
      tail -n 15 "$log" >&2
    done
  fi
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() {
  echo "demo: $*" >&2
  exit 1
}

# How the servers are secured (flags) and how anttctl reaches them (env).
pki="$work/pki"
if [ -n "$secure" ]; then
  step "secure mode: a certificate authority, certificates and tokens"
  "$credentials" ca "$pki" >/dev/null
  for name in registry scoring awards anttctl; do "$credentials" cert "$pki" "$name" >/dev/null; done
  "$credentials" token "$pki" scoring SERVICE >/dev/null
  "$credentials" token "$pki" awards SERVICE >/dev/null
  officer_token="$("$credentials" token "$pki" pv05-quang-tri OFFICER "$province" "$edition")"
  awards_token="$("$credentials" token "$pki" thi-dua-khen-thuong OFFICER)"
  admin_token="$("$credentials" token "$pki" quan-tri ADMIN)"
  export ANTT_CA="$pki/ca.crt" ANTT_CERT="$pki/anttctl.crt" ANTT_KEY="$pki/anttctl.key"
  export ANTT_TOKEN="$officer_token"
  echo "principals (token hashes only): $(jq -r '[.principals[] | "\(.name) \(.role)\(if .area_code then " " + .area_code else "" end)"] | join(", ")' "$pki/principals.json")"
fi
# An IP, not "localhost" (the certificates carry both): no name to resolve.
host=127.0.0.1
# The security flags of server $1.
security_flags() {
  if [ -z "$secure" ]; then
    echo --insecure
    return
  fi
  local name=${1#antt-}
  echo --tls_cert="$pki/$name.crt" --tls_key="$pki/$name.key" --tls_ca="$pki/ca.crt" \
    --principals_file="$pki/principals.json"
  [ "$name" = registry ] || echo --service_token_file="$pki/$name.token"
}

# Starts server $1 (more flags after it) on a free loopback port, in this
# shell so that `wait` works; sets server_pid and server_port, the port read
# from the server's JSON "listening" log line.
start_server() {
  local name=$1
  shift
  # shellcheck disable=SC2046 # one flag per word
  "$bin/$name" --listen=127.0.0.1:0 --metrics_listen= --health_listen= \
    --backup_dir="$work/backups/${name#antt-}" $(security_flags "$name") "$@" \
    2>"$work/$name.log" &
  server_pid=$!
  pids+=("$server_pid")
  server_port=""
  for _ in $(seq 1 100); do
    server_port="$(grep -o '"port":[0-9]*' "$work/$name.log" | head -1 | cut -d: -f2 || true)"
    [ -n "$server_port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/$name.log" >&2
  fail "$name did not start"
}

ctl() {
  if [ -n "$secure" ]; then "$bin/anttctl" "$@"; else "$bin/anttctl" --insecure "$@"; fi
}
# The awards are run province-wide (campaigns span every area), and the audit
# chains are read by an administrator.
ctl_awards() { ANTT_TOKEN="${awards_token:-}" ctl "$@"; }
ctl_admin() { ANTT_TOKEN="${admin_token:-}" ctl "$@"; }
gen() { "$bin/antt-demo-province" "${gen_flags[@]}" "$@"; }
# Column $2 (1-based) of CSV row $1 (1-based, after the header) on stdin;
# for anttctl's own CSV, whose cells here hold no comma.
cell() { sed -n "$(($1 + 1))p" | cut -d, -f"$2"; }

step "starting the services (data in $work)"
start_server antt-registry --db_path="$work/registry"
export ANTT_REGISTRY="$host:$server_port"
start_server antt-scoring --db_path="$work/scoring" --registry_addr="$ANTT_REGISTRY" \
  --registry_poll_ms=200
export ANTT_SCORING="$host:$server_port"
start_server antt-awards --db_path="$work/awards" --registry_addr="$ANTT_REGISTRY" \
  --scoring_addr="$ANTT_SCORING"
export ANTT_AWARDS="$host:$server_port"
echo "registry $ANTT_REGISTRY, scoring $ANTT_SCORING, awards $ANTT_AWARDS"

step "Quảng Trị: legacy province $province and its district-level units"
ctl areas list --edition "$edition" --parent "$province"

step "units: agencies, enterprises and schools of every district (generated, seeded)"
gen units --out "$work/units.csv"
ctl units import "$work/units.csv"
ctl units export --area "$province" --edition "$edition" >"$work/units-export.csv"
echo "$(($(wc -l <"$work/units-export.csv") - 1)) units in the registry"
ctl units list --area 465 --edition "$edition" --kind education --page-size 8
echo "search without accents: 'thpt le quy don'"
ctl units list --query "thpt le quy don" --area "$province" --edition "$edition"

step "people: every unit's leader, protection-team members"
gen persons --units "$work/units-export.csv" --out "$work/persons.csv"
ctl -o csv persons import "$work/persons.csv" >"$work/person-ids.csv"
echo "$(($(wc -l <"$work/person-ids.csv") - 1)) persons registered"

step "self-assessments $first_year-$last_year under Circular 23/2012 (entered late: flagged)"
gen assessments --units "$work/units-export.csv" --out "$work/assessments.csv"
ctl assess submit --file "$work/assessments.csv"

step "police review of every submitted assessment"
for year in $(seq "$first_year" "$last_year"); do
  ctl assess review --approve --year "$year" --area "$province" --edition "$edition" \
    --note "Đã thẩm định hồ sơ"
done

step "decisions of the Provincial People's Committee, one per district and year"
gen decisions --out "$work/decisions.csv"
while IFS=, read -r year area _ number date authority; do
  ctl assess recognize --year "$year" --area "$area" --edition "$edition" \
    --decision "$number" --date "$date" --authority "$authority"
  ctl assess recognize --not-recognized --year "$year" --area "$area" --edition "$edition" \
    --decision "$number" --date "$date" --authority "$authority"
done < <(tail -n +2 "$work/decisions.csv")

step "the five-year figures (scoring follows the registry's change feed)"
gen expect --what years >"$work/expected-years.csv"
expected_last="$(grep "^$last_year," "$work/expected-years.csv" | cut -d, -f2)"
caught_up=""
for _ in $(seq 1 150); do
  got="$(ctl -o csv stats --from "$last_year" --to "$last_year" --area "$province" \
    --edition "$edition" | cell 1 3)"
  if [ "$got" = "$expected_last" ]; then
    caught_up=yes
    break
  fi
  sleep 0.2
done
[ -n "$caught_up" ] ||
  fail "scoring still counts $got units in scope in $last_year after 30 s, the registry holds $expected_last"
# Columns of `anttctl -o csv stats`: GROUP,YEAR,IN SCOPE,ASSESSED,RECOGNISED,
# RATE,XUẤT SẮC,KHÁ,TRUNG BÌNH,YẾU,> TARGET (the group, an area name, holds
# no comma in the official lists).
ctl -o csv stats --from "$first_year" --to "$last_year" --area "$province" \
  --edition "$edition" --by year >"$work/stats.csv"
while IFS=, read -r year in_scope assessed recognized; do
  row="$(awk -F, -v y="$year" 'NR > 1 && $2 == y' "$work/stats.csv")"
  [ -n "$row" ] || fail "no statistics for $year"
  IFS=, read -r _ _ got_scope got_assessed got_recognized _ _ _ _ _ meets <<<"$row"
  [ "$got_scope/$got_assessed/$got_recognized" = "$in_scope/$assessed/$recognized" ] ||
    fail "$year: scoring reports $got_scope/$got_assessed/$got_recognized in scope/assessed/recognised, the province planned $in_scope/$assessed/$recognized"
  [ "$meets" = "yes" ] || fail "$year: not above the 95 % target"
done < <(tail -n +2 "$work/expected-years.csv")

deadline="$(date -d '+60 days' +%F)"
# Opens campaign $1 (title $2, years $3-$4), nominates what the generator
# plans for it, approves the eligible; sets `campaign` to its id.
open_campaign() {
  campaign="$(ctl_awards -o csv awards campaign create --deadline "$deadline" \
    --title "$2" --from "$3" --to "$4" | cell 1 1)"
  gen nominations --campaign "$1" --units "$work/units-export.csv" \
    --persons "$work/person-ids.csv" --out "$work/nominations-$1.csv"
  ctl_awards awards nominate --campaign "$campaign" --file "$work/nominations-$1.csv" >/dev/null
  ctl_awards awards approve --campaign "$campaign" --eligible
}

step "campaign $first_year: the yearly commendations (the medal needs an earlier one)"
open_campaign prior "Khen thưởng phong trào Toàn dân bảo vệ an ninh Tổ quốc năm $first_year" \
  "$first_year" "$first_year"
ctl_awards awards issue --campaign "$campaign" --type GK_CAT --number "356/QĐ-CAT" \
  --date "$first_year-12-26" --authority "Giám đốc Công an tỉnh Quảng Trị" \
  --signer "Giám đốc Công an tỉnh"
ctl_awards awards campaign close "$campaign" >/dev/null

step "campaign: Sơ kết 5 năm thực hiện Chỉ thị 07 ($first_year–$last_year)"
open_campaign review "Sơ kết 5 năm thực hiện Chỉ thị 07 ($first_year–$last_year)" \
  "$first_year" "$last_year"
review="$campaign"
ctl_awards awards reject --campaign "$review" --ineligible

step "refused nominations, with the rule that failed"
ctl_awards awards list --campaign "$review" --stage rejected

step "decisions: the medal by the Minister, certificates by their authorities"
ctl_awards awards issue --campaign "$review" --type KNC_ANTQ --number "6812/QĐ-BCA" \
  --date "$((last_year + 1))-03-12" --authority "Bộ trưởng Bộ Công an" --signer "Bộ trưởng"
ctl_awards awards issue --campaign "$review" --type BK_BCA --number "6813/QĐ-BCA" \
  --date "$((last_year + 1))-03-12" --authority "Bộ trưởng Bộ Công an" --signer "Bộ trưởng"
ctl_awards awards issue --campaign "$review" --type BK_UBND_TINH --number "412/QĐ-UBND" \
  --date "$((last_year + 1))-02-20" --authority "Chủ tịch Ủy ban nhân dân tỉnh Quảng Trị" \
  --signer "Chủ tịch UBND tỉnh"
ctl_awards awards issue --campaign "$review" --type GK_CAT --number "198/QĐ-CAT" \
  --date "$((last_year + 1))-01-15" --authority "Giám đốc Công an tỉnh Quảng Trị" \
  --signer "Giám đốc Công an tỉnh"

ctl_awards -o csv awards summary "$review" >"$work/summary.csv"
issued() { # $1: type regex, $2: recipient kind
  awk -F, -v type="$1" -v kind="$2" \
    'NR > 1 && $1 ~ type && $2 == kind && $3 == "issued" { n += $4 } END { print n + 0 }' \
    "$work/summary.csv"
}
knc="$(issued '^KNC_ANTQ$' individual)"
collectives="$(issued '^(BK_BCA|BK_UBND_TINH|GK_CAT)$' collective)"
individuals="$(issued '^(BK_BCA|BK_UBND_TINH|GK_CAT)$' individual)"
refused="$(awk -F, 'NR > 1 && $3 == "rejected" { n += $4 } END { print n + 0 }' \
  "$work/summary.csv")"
IFS=, read -r want_knc want_collectives want_individuals want_refused \
  < <(gen expect --what awards | tail -n +2)
[ "$knc/$collectives/$individuals/$refused" = \
  "$want_knc/$want_collectives/$want_individuals/$want_refused" ] ||
  fail "awards issued $knc/$collectives/$individuals and refused $refused, the province planned $want_knc/$want_collectives/$want_individuals and $want_refused"

report="$out/antt-report-quang-tri-$first_year-$last_year.html"
ctl_awards report --area "$province" --edition "$edition" --from "$first_year" --to "$last_year" \
  --campaign "$review" --out "$report" >/dev/null

step "five-year summary: Tỉnh Quảng Trị, $first_year–$last_year"
ctl stats --from "$first_year" --to "$last_year" --area "$province" --edition "$edition" --by year
echo
ctl_awards awards summary "$review"
echo
echo "Kỷ niệm chương \"Bảo vệ an ninh Tổ quốc\": $knc cá nhân"
echo "Bằng khen, giấy khen: $collectives tập thể, $individuals cá nhân"
grep -q "Tỉnh Quảng Trị" "$report" || fail "the report does not name the province"
echo "report: $report"

if [ -n "$secure" ]; then
  step "audit: every change of the demo, hash-chained in each service's store"
  for service in registry scoring awards; do
    ctl_admin audit verify --service "$service"
  done
  ctl_admin audit list --service awards --limit 5
  echo "a VIEWER may read but not write:"
  viewer_token="$("$credentials" token "$pki" viewer VIEWER)"
  kill -HUP "${pids[@]}" # servers reload the principals file
  sleep 1
  ANTT_TOKEN="$viewer_token" ctl units list --area "$province" --edition "$edition" \
    --page-size 1 >/dev/null || fail "a VIEWER could not read"
  status=0
  ANTT_TOKEN="$viewer_token" ctl units create --name "Không được phép" --kind agency \
    --legacy-province "$province" >/dev/null 2>"$work/denied.txt" || status=$?
  cat "$work/denied.txt"
  # anttctl's exit code 5: not allowed (UNAUTHENTICATED or PERMISSION_DENIED).
  if [ "$status" -ne 5 ] || ! grep -q PERMISSION_DENIED "$work/denied.txt"; then
    fail "a VIEWER's write ended with exit $status, not a refusal (5)"
  fi
fi

step "backups: each service's store, callers first (awards, scoring, registry), each verified"
for service in awards scoring registry; do
  ctl_admin admin backup --service "$service"
  ctl_admin admin verify-backup --service "$service"
done

step "stopping the services"
for pid in "${pids[@]}"; do
  kill -TERM "$pid"
  wait "$pid" || fail "a service did not stop cleanly"
done
pids=()

step "restore drill: the newest backups restored into scratch directories, audit chains walked"
"$(dirname "${BASH_SOURCE[0]}")/../../deploy/scripts/restore-drill.sh" --anttctl "$bin/anttctl" \
  --scratch "$work/restore-drill" registry="$work/backups/registry" \
  scoring="$work/backups/scoring" awards="$work/backups/awards" ||
  fail "the restore drill failed"
