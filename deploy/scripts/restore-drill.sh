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
# volume, a host with the volume mounted). The scratch directories are
# deleted at the end unless --keep.
#
# Prints one line per service (backup id, time, audit records checked) and
# exits 0 when every backup restored with an intact chain; 1 otherwise, after
# trying them all.
set -euo pipefail

anttctl="anttctl"
scratch=""
keep=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --anttctl) anttctl="$2"; shift 2 ;;
    --anttctl=*) anttctl="${1#*=}"; shift ;;
    --scratch) scratch="$2"; shift 2 ;;
    --scratch=*) scratch="${1#*=}"; shift ;;
    --keep) keep=yes; shift ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *=*) targets+=("$1"); shift ;;
    *) echo "restore-drill: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "restore-drill: name at least one SERVICE=BACKUP_DIR (see --help)" >&2
  exit 2
fi
command -v "$anttctl" >/dev/null || { echo "restore-drill: no anttctl at '$anttctl'" >&2; exit 2; }
command -v jq >/dev/null || { echo "restore-drill: needs jq" >&2; exit 2; }

if [ -z "$scratch" ]; then
  scratch="$(mktemp -d -t antt-restore-drill.XXXXXX)"
else
  mkdir -p "$scratch"
fi
[ -n "$keep" ] || trap 'rm -rf "$scratch"' EXIT

failed=0
for target in "${targets[@]}"; do
  service="${target%%=*}"
  backups="${target#*=}"
  db="$scratch/$service"
  rm -rf "$db"
  status=0
  "$anttctl" -o json admin restore --backup-dir "$backups" --db-path "$db" \
    --verify-audit >"$scratch/$service.json" 2>"$scratch/$service.err" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then
    echo "$service: NOT RESTORED (anttctl exit $status): $(cat "$scratch/$service.err")"
    failed=1
    continue
  fi
  # anttctl -o json prints uint64 fields as strings (protobuf's JSON mapping).
  report="$(jq -r '"backup \(.backup.backup_id) taken \(.backup.create_time), " +
    "\(.audit_check.records_checked) audit records through sequence " +
    "\(.backup.last_audit_sequence // 0)"' "$scratch/$service.json")"
  if [ "$(jq -r '.audit_check.intact' "$scratch/$service.json")" = true ]; then
    echo "$service: restored and intact: $report"
  else
    echo "$service: AUDIT CHAIN BROKEN at sequence" \
      "$(jq -r '.audit_check.first_broken_sequence' "$scratch/$service.json"):" \
      "$(jq -r '.audit_check.problem' "$scratch/$service.json") ($report)"
    failed=1
  fi
done
[ -z "$keep" ] || echo "restored stores kept in $scratch"
exit "$failed"
