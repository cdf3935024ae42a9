#!/usr/bin/env bash
# Makes the credentials of a new ANTT cluster and a kustomization of the
# Secrets the manifests refer to by name, in a directory OUTSIDE the
# repository (Secrets are never committed):
#
#   deploy/scripts/make-secrets.sh DIR [CLUSTER_DOMAIN]   (default cluster.local)
#   kubectl apply -k deploy/overlays/prod                  # namespace, services
#   kubectl apply -k DIR                                    # the Secrets
#   deploy/scripts/make-secrets.sh --names                  # the Secrets' names
#
# DIR gets a CA, a certificate per server with the Services' DNS names as
# subjectAltNames, a client certificate for the backup jobs and one for
# officers' anttctl, SERVICE tokens for scoring and awards, an ADMIN token
# for the backup jobs and one for the administrator (printed once, here).
# principals.json holds only the tokens' hashes. Run it again after deleting
# a file to issue that one anew (the CA and everything else is kept), then
# `kubectl apply -k DIR` and `kubectl -n antt rollout restart statefulset`.
# Move DIR/ca.key offline once done. Needs openssl and jq.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CREDENTIALS="$ROOT/scripts/antt-credentials"
NAMESPACE=antt
SERVERS=(registry scoring awards)

# The Secrets the manifests mount (deploy/test/policy.mjs refuses any other).
secret_names() {
  local s
  for s in "${SERVERS[@]}"; do echo "antt-tls-$s"; done
  echo antt-tls-backup
  echo antt-principals
  echo antt-token-scoring
  echo antt-token-awards
  echo antt-token-backup
}

die() { echo "make-secrets: $*" >&2; exit 2; }

if [ "${1:-}" = --names ]; then
  secret_names
  exit 0
fi
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: make-secrets.sh DIR [CLUSTER_DOMAIN] | --names"
out="$(realpath -m "$1")"
domain=${2:-cluster.local}
case "$out/" in
  "$(realpath "$ROOT")"/*) die "$out is inside the repository: Secrets are never committed" ;;
esac
command -v openssl >/dev/null && command -v jq >/dev/null || die "needs openssl and jq"
mkdir -p "$out"

# A CA is made once: with ca.crt there and ca.key moved offline, issuing
# anything anew stops with antt-credentials' "no CA" until ca.key is back.
[ -e "$out/ca.crt" ] || "$CREDENTIALS" ca "$out" >/dev/null
for s in "${SERVERS[@]}"; do
  host="antt-$s"
  [ -e "$out/$s.crt" ] || "$CREDENTIALS" cert "$out" "$s" "$host" "$host.$NAMESPACE" \
    "$host.$NAMESPACE.svc" "$host.$NAMESPACE.svc.$domain" >/dev/null
done
[ -e "$out/backup.crt" ] || "$CREDENTIALS" cert "$out" backup >/dev/null
[ -e "$out/officers.crt" ] || "$CREDENTIALS" cert "$out" officers >/dev/null
[ -e "$out/scoring.token" ] || "$CREDENTIALS" token "$out" scoring SERVICE >/dev/null
[ -e "$out/awards.token" ] || "$CREDENTIALS" token "$out" awards SERVICE >/dev/null
[ -e "$out/backup.token" ] || "$CREDENTIALS" token "$out" backup ADMIN >/dev/null
admin_token=""
[ -e "$out/quan-tri.token" ] || admin_token=$("$CREDENTIALS" token "$out" quan-tri ADMIN)

{
  echo "# Made by deploy/scripts/make-secrets.sh: the Secrets of namespace $NAMESPACE."
  echo "# Names without a hash suffix: the manifests refer to them by name."
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "namespace: $NAMESPACE"
  echo "generatorOptions:"
  echo "  disableNameSuffixHash: true"
  echo "  labels:"
  echo "    app.kubernetes.io/part-of: antt"
  echo "secretGenerator:"
  for s in "${SERVERS[@]}" backup; do
    echo "  - name: antt-tls-$s"
    echo "    type: kubernetes.io/tls"
    echo "    files: [tls.crt=$s.crt, tls.key=$s.key, ca.crt=ca.crt]"
  done
  echo "  - name: antt-principals"
  echo "    files: [principals.json]"
  for s in scoring awards backup; do
    echo "  - name: antt-token-$s"
    echo "    files: [token=$s.token]"
  done
} >"$out/kustomization.yaml"

echo "make-secrets: credentials and $out/kustomization.yaml written" >&2
echo "make-secrets: apply with 'kubectl apply -k $out'; then move $out/ca.key offline" >&2
echo "make-secrets: officers' anttctl: ANTT_CA=$out/ca.crt ANTT_CERT=$out/officers.crt ANTT_KEY=$out/officers.key" >&2
if [ -n "$admin_token" ]; then
  echo "make-secrets: the administrator 'quan-tri' (ADMIN) has this token; it is shown once:" >&2
  echo "$admin_token"
fi
