#!/usr/bin/env bash
# Checks ANTT's gRPC contract (proto/) with buf; scripts/test runs it, and it
# runs alone.
#   1. `buf lint`: the STANDARD and COMMENTS rules of proto/buf.yaml, with the
#      exceptions listed (and justified) there;
#   2. `buf breaking`: proto/ against the newest released contract,
#      proto/releases/api-vX.Y.Z.binpb (FILE rules): nothing a client built
#      on a released version relies on may change. The image is checked in,
#      so a clone without tags checks the same;
#   3. docs/api.md is what tools/api/api_md.mjs renders from the protos and
#      their comments (the API reference is never a second text);
#   4. self-test, on copies of proto/ in a temporary directory: a message
#      without its comment fails lint, a new file whose rpc returns a
#      non-standard response fails lint (the exceptions are per file), and a
#      renumbered field fails breaking.
#
# buf is pinned in tools/api/package-lock.json (npm package @bufbuild/buf,
# which carries the upstream binary) and installed with `npm ci` into
# $ANTT_API_TOOLS_CACHE (default out/api-tools), again only when the lock
# changes. ANTT_API_AGAINST=/path/to/image.binpb checks against another image.
#
# A new release of the contract: `buf build proto --exclude-source-info -o
# proto/releases/api-vX.Y.Z.binpb` with this buf, commit it, tag api-vX.Y.Z.
set -euo pipefail
ANTT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ANTT_ROOT/scripts/lib/common.sh"

tools="$ANTT_ROOT/tools/api"
cache="${ANTT_API_TOOLS_CACHE:-$ANTT_ROOT/out/api-tools}"

# The pinned buf, installed again only when the lock file changes.
status=0
antt_npm_ci "$tools" "$cache" || status=$?
[ "$status" -le 1 ] || exit 1
buf="$cache/node_modules/.bin/buf"
# buf keeps a cache of its own; here, not in ~/.cache.
export BUF_CACHE_DIR="$cache/buf-cache"
pinned=$(node -p 'require(process.argv[1]).dependencies["@bufbuild/buf"]' "$tools/package.json")
version=$("$buf" --version 2>&1) || {
  echo "FAILED: $buf does not run: $version" >&2
  exit 1
}
if [ "$version" != "$pinned" ]; then
  echo "FAILED: buf $version in $cache, tools/api pins $pinned: delete $cache and run again" >&2
  exit 1
fi

# The newest release of the contract, by version.
against="${ANTT_API_AGAINST:-}"
if [ -z "$against" ]; then
  against=$(find "$ANTT_ROOT/proto/releases" -maxdepth 1 -name 'api-v*.binpb' 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$against" ] || [ ! -f "$against" ]; then
  echo "FAILED: no released contract to check against (proto/releases/api-vX.Y.Z.binpb)" >&2
  exit 1
fi

antt_checks_begin

# Paths in buf's messages are relative to the repository (proto/antt/...).
cd "$ANTT_ROOT"
antt_log "api: buf $version lint and breaking against ${against#"$ANTT_ROOT"/}"
if "$buf" lint proto >"$work/out" 2>&1; then pass; else
  cat "$work/out" >&2
  fail "buf lint: proto/ breaks the rules of proto/buf.yaml (above). Every message, field," \
    "enum, enum value, oneof, service and rpc needs a leading comment for integrators;" \
    "an exception belongs in proto/buf.yaml with the AIP that justifies it"
fi
if "$buf" breaking proto --against "$against" >"$work/out" 2>&1; then pass; else
  cat "$work/out" >&2
  fail "buf breaking: proto/ is not compatible with the released contract" \
    "$(basename "$against" .binpb) (above). Released packages only grow: add fields," \
    "messages and rpcs, never renumber, rename, retype or remove; a change that needs" \
    "one goes into a new major package (antt.<service>.v2) next to v1"
fi

antt_log "api: docs/api.md rendered from the protos' comments (tools/api/api_md.mjs)"
if "$buf" build proto -o "$work/image.json" >"$work/out" 2>&1 &&
  node tools/api/api_md.mjs "$work/image.json" >"$work/api.md" 2>>"$work/out"; then
  if diff -u docs/api.md "$work/api.md" >"$work/api.diff"; then pass; else
    head -n 40 "$work/api.diff" >&2
    fail "docs/api.md is not what the protos say (above): render it again with" \
      "\`$buf build proto -o image.json && node tools/api/api_md.mjs image.json >docs/api.md\`"
  fi
else
  cat "$work/out" >&2
  fail "docs/api.md could not be rendered"
fi

antt_log "api: self-test, a missing comment, an exception outside its files and a renumbered field refused"
# expect_failure NAME WANT COMMAND...: COMMAND must fail, its output naming WANT.
expect_failure() {
  local name=$1 want=$2
  shift 2
  if "$@" >"$work/out" 2>&1; then
    fail "self-test $name: buf accepted it"
  elif ! grep -qF -- "$want" "$work/out"; then
    fail "self-test $name: buf refused it without '$want': $(cat "$work/out")"
  else
    pass
  fi
}
# mutate NAME FILE COMMAND...: a copy of proto/ in $work/NAME whose FILE is
# COMMAND's output (COMMAND reads the file on stdin); fails the self-test when
# that changed nothing (it would prove nothing).
mutate() {
  local name=$1 file=$2
  shift 2
  mkdir -p "$work/$name"
  cp -r proto "$work/$name/"
  "$@" <"proto/$file" >"$work/$name/proto/$file"
  if cmp -s "proto/$file" "$work/$name/proto/$file"; then
    fail "self-test $name: the edit of proto/$file changed nothing; update the self-test"
    return 1
  fi
}

# The leading comment of the first top-level message of registry.proto is
# deleted: lint must ask for it.
if mutate no-comment antt/registry/v1/registry.proto awk '
    /^\/\// { held = held $0 "\n"; next }
    /^message / && !done { held = ""; done = 1 }
    { printf "%s", held; held = ""; print }
    END { printf "%s", held }'; then
  expect_failure no-comment COMMENT_MESSAGE "$buf" lint --error-format=json "$work/no-comment/proto"
fi
# A new, fully commented file whose rpc returns a message named otherwise
# than <Rpc>Response: the exceptions of proto/buf.yaml do not cover it.
mkdir -p "$work/new-file/proto"
cp -r proto "$work/new-file/"
mkdir -p "$work/new-file/proto/antt/selftest/v1"
cat >"$work/new-file/proto/antt/selftest/v1/selftest.proto" <<'EOF'
// A file check_api.sh adds to a copy of proto/ only.
syntax = "proto3";

package antt.selftest.v1;

// A service of the self-test.
service SelfTestService {
  // Returns a thing.
  rpc GetThing(GetThingRequest) returns (Thing);
}

// Names a thing.
message GetThingRequest {
  // The thing's id.
  string id = 1;
}

// A thing.
message Thing {
  // The thing's id.
  string id = 1;
}
EOF
# The rule holds for the new file, and the released files keep their
# exceptions.
if "$buf" lint --error-format=json "$work/new-file/proto" >"$work/out" 2>&1; then
  fail "self-test exception-per-file: buf accepted it"
elif ! grep -F 'antt/selftest/v1/selftest.proto' "$work/out" | grep -q '"type":"RPC_RESPONSE_STANDARD_NAME"' ||
  grep -v -F 'antt/selftest/v1/selftest.proto' "$work/out" | grep -q '"type":"RPC_'; then
  fail "self-test exception-per-file: expected RPC_RESPONSE_STANDARD_NAME in the new file only: $(cat "$work/out")"
else
  pass
fi
# AwardType.code, field 1, renumbered: breaking must refuse it.
if mutate renumbered antt/awards/v1/awards.proto sed 's/^  string code = 1;$/  string code = 15;/'; then
  expect_failure renumbered FIELD_NO_DELETE "$buf" breaking --error-format=json "$work/renumbered/proto" --against "$against"
fi

antt_checks_done api
