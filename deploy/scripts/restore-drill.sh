#!/usr/bin/env bash
# A restore drill: proves that the newest backup of each service can be
# restored, and that what comes back is the store it claims to be.
#
#   restore-drill.sh [--anttctl PATH] [--scratch DIR] [--keep] SERVICE=BACKUP_DIR...
#
#   e.g. restore-drill.sh registry=/mnt/backups/registry \
#          scoring=/mnt/backups/scoring awards=/mnt/backups/awards
#
# For each SERVICE=BACKUP_DIR it runs `anttctl admin restore --verify-audit`
# on the newest backup in BACKUP_DIR (a server's --backup_dir, or a copy of
# it), into a scratch directory of its own: every file of the backup is
# checksummed before anything is written, then the restored store's whole
# audit chain is walked and must pass through the head the backup recorded
# when it was taken. Nothing is written to BACKUP_DIR and no server is
# involved, so it runs anywhere the backups can be read (a copy of the backup
# volume, a host with the volume mounted). The restored stores go into a new
# directory made inside --scratch (default $TMPDIR or /tmp), deleted at the
# end unless --keep; nothing else there is touched.
#
# Prints one line per service (backup id, time, audit records checked) and
# exits 0 when every backup restored with an intact chain; 1 otherwise, after
# trying them all.
set -euo pipefail

anttctl="anttctl"
scratch="${TMPDIR:-/tmp}"
keep=""
targets=()
usage() { echo "restore-drill: $*" >&2; exit 2; }
# The value of option $1, which must be there: $2 (the word after it).
value() { [ $# -ge 2 ] && [ -n "$2" ] || usage "$1 needs a value (see --help)"; echo "$2"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --anttctl) anttctl="$(value "$@")"; shift 2 ;;
    --anttctl=*) anttctl="${1#*=}"; shift ;;
    --scratch) scratch="$(value "$@")"; shift 2 ;;
    --scratch=*) scratch="${1#*=}"; shift ;;
    --keep) keep=yes; shift ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *=*) targets+=("$1"); shift ;;
    *) usage "unknown argument '$1' (see --help)" ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || usage "name at least one SERVICE=BACKUP_DIR (see --help)"
for target in "${targets[@]}"; do
  [[ "${target%%=*}" =~ ^(registry|scoring|awards)$ ]] ||
    usage "'${target%%=*}' is not a service (registry, scoring or awards)"
  [ -d "${target#*=}" ] || usage "${target#*=} is not a directory"
done
command -v "$anttctl" >/dev/null || usage "no anttctl at '$anttctl'"
command -v jq >/dev/null || usage "needs jq"

mkdir -p "$scratch"
work="$(mktemp -d "$scratch/antt-restore-drill.XXXXXX")"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

failed=0
for target in "${targets[@]}"; do
  service="${target%%=*}"
  backups="${target#*=}"
  db="$work/$service"
  status=0
  "$anttctl" -o json admin restore --backup-dir "$backups" --db-path "$db" \
    --verify-audit >"$work/$service.json" 2>"$work/$service.err" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then
    echo "$service: NOT RESTORED (anttctl exit $status): $(cat "$work/$service.err")"
    failed=1
    continue
  fi
  # anttctl -o json prints uint64 fields as strings (protobuf's JSON mapping).
  report="$(jq -r '"backup \(.backup.backup_id) taken \(.backup.create_time), " +
    "\(.audit_check.records_checked) audit records through sequence " +
    "\(.backup.last_audit_sequence // 0)"' "$work/$service.json" 2>&1)" ||
    report="anttctl's answer unreadable: $report"
  if [ "$(jq -r '.audit_check.intact' "$work/$service.json" 2>/dev/null)" = true ]; then
    echo "$service: restored and intact: $report"
  else
    echo "$service: AUDIT CHAIN BROKEN at sequence" \
      "$(jq -r '.audit_check.first_broken_sequence' "$work/$service.json" 2>/dev/null):" \
      "$(jq -r '.audit_check.problem' "$work/$service.json" 2>/dev/null) ($report)"
    failed=1
  fi
done
[ -z "$keep" ] || echo "restored stores kept in $work"
exit "$failed"
