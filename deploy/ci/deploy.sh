#!/usr/bin/env bash
# Builds and pushes the ANTT image, deploys it to the cluster of $KUBECONFIG,
# waits for the rollout, checks every service's gRPC health, and rolls back
# when anything fails. CI (.github/workflows/deploy.yml) runs it after the
# tests; an operator can run it by hand from a clean checkout.
#
# Environment:
#   ANTT_IMAGE_REPO      where to push, e.g. registry.tinh.gov.vn/antt/antt (required)
#   ANTT_OVERLAY         deploy/overlays/NAME to apply (default prod)
#   ANTT_REGISTRY_USER, ANTT_REGISTRY_PASSWORD
#                        log in to the image registry first (optional)
#   ANTT_SOURCE_URL      the repository's URL, for the image's source label
#   ANTT_ROLLOUT_TIMEOUT per StatefulSet (default 300s)
#   ANTT_SKIP_BUILD=1    deploy an image already pushed for this revision
#   KUBECONFIG           the cluster (kubectl's own variable)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAMESPACE=antt
SERVICES=(registry scoring awards)
HEALTH_PORTS=(7101 7102 7103)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'deploy: %s\n' "$*" >&2; exit 1; }

repo=${ANTT_IMAGE_REPO:?set ANTT_IMAGE_REPO to the image repository, e.g. registry.example.vn/antt/antt}
overlay=${ANTT_OVERLAY:-prod}
timeout=${ANTT_ROLLOUT_TIMEOUT:-300s}
[ -d "$ROOT/deploy/overlays/$overlay" ] || die "no overlay deploy/overlays/$overlay"
command -v kubectl >/dev/null || die "kubectl is not installed"

# The image tag is the git revision: the same commit always deploys the same
# image, and the tag says which commit runs. A dirty tree is refused, so the
# tag never lies.
cd "$ROOT"
[ -z "$(git status --porcelain --untracked-files=no)" ] || die "uncommitted changes: commit or stash them first"
revision=$(git rev-parse HEAD)
tag=git-$(git rev-parse --short=12 HEAD)
version=$(sed -n 's/^project(antt VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
image="$repo:$tag"

if [ "${ANTT_SKIP_BUILD:-0}" != 1 ]; then
  if command -v podman >/dev/null; then tool=podman
  elif command -v docker >/dev/null; then tool=docker
  else die "neither podman nor docker is installed"
  fi
  if [ -n "${ANTT_REGISTRY_USER:-}" ]; then
    log "logging in to ${repo%%/*} as $ANTT_REGISTRY_USER"
    printf '%s' "${ANTT_REGISTRY_PASSWORD:?set ANTT_REGISTRY_PASSWORD too}" |
      "$tool" login --username "$ANTT_REGISTRY_USER" --password-stdin "${repo%%/*}"
  fi
  log "building $image with $tool"
  "$tool" build -f deploy/Dockerfile \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" \
    --build-arg SOURCE="${ANTT_SOURCE_URL:-}" -t "$image" .
  log "pushing $image"
  "$tool" push "$image"
fi

# The committed overlay with the image set to this revision, in a directory
# of its own: nothing in the checkout is edited. (kustomize takes a relative
# path only.)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$work" "$ROOT/deploy/overlays/$overlay")
images:
  - name: antt
    newName: $repo
    newTag: $tag
EOF
kubectl kustomize "$work" >"$work/rendered.yaml"
awk -v image="$image" '$1 == "image:" && $2 == image { found = 1 } END { exit !found }' \
  "$work/rendered.yaml" || die "the rendered manifests do not use $image"

# What runs now, to tell whether this deployment changed a StatefulSet.
declare -A before
for s in "${SERVICES[@]}"; do
  before[$s]=$(kubectl -n "$NAMESPACE" get statefulset "antt-$s" \
    -o jsonpath='{.status.updateRevision}' 2>/dev/null || true)
done

# Puts back the previous pod template of every StatefulSet this deployment
# changed. A StatefulSet whose new pod never became ready does not replace it
# by itself (Kubernetes documents this as "forced rollback"): such a pod is
# deleted, and the StatefulSet starts it again from the previous revision.
rollback() {
  log "deployment failed: rolling back"
  local s
  for s in "${SERVICES[@]}"; do
    [ -n "${before[$s]}" ] || continue
    local now
    now=$(kubectl -n "$NAMESPACE" get statefulset "antt-$s" -o jsonpath='{.status.updateRevision}')
    [ "$now" != "${before[$s]}" ] || continue
    kubectl -n "$NAMESPACE" rollout undo "statefulset/antt-$s" || true
    if [ "$(kubectl -n "$NAMESPACE" get pod "antt-$s-0" \
      -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" != True ]; then
      kubectl -n "$NAMESPACE" delete pod "antt-$s-0" --wait=false || true
    fi
  done
  for s in "${SERVICES[@]}"; do
    [ -n "${before[$s]}" ] || continue
    kubectl -n "$NAMESPACE" rollout status "statefulset/antt-$s" --timeout="$timeout" ||
      log "antt-$s did not come back: look at it by hand"
  done
  exit 1
}

log "applying deploy/overlays/$overlay with $image"
kubectl apply -f "$work/rendered.yaml" || rollback

# The registry first: scoring and awards call it as they start.
for s in "${SERVICES[@]}"; do
  log "waiting for antt-$s"
  kubectl -n "$NAMESPACE" rollout status "statefulset/antt-$s" --timeout="$timeout" || rollback
done

# Smoke test through gRPC health on the plaintext health ports. With
# grpc_health_probe installed, each pod is asked directly through a
# port-forward; without it, the pod's Ready condition is the kubelet's own
# gRPC probe of the same port. Either way the pod must run the new image.
smoke() {
  local i s port pod_image
  for i in "${!SERVICES[@]}"; do
    s=${SERVICES[$i]}
    port=${HEALTH_PORTS[$i]}
    pod_image=$(kubectl -n "$NAMESPACE" get pod "antt-$s-0" -o jsonpath='{.spec.containers[0].image}')
    [ "$pod_image" = "$image" ] || { log "antt-$s-0 runs $pod_image, not $image"; return 1; }
    if command -v grpc_health_probe >/dev/null; then
      local local_port=$((port + 20000))
      kubectl -n "$NAMESPACE" port-forward "pod/antt-$s-0" "$local_port:$port" >"$work/pf-$s.log" 2>&1 &
      local pf=$!
      local ok=1
      for _ in $(seq 1 20); do
        if grpc_health_probe -addr="127.0.0.1:$local_port" -connect-timeout 2s -rpc-timeout 2s; then
          ok=0
          break
        fi
        sleep 1
      done
      kill "$pf" 2>/dev/null || true
      wait "$pf" 2>/dev/null || true
      [ "$ok" = 0 ] || { log "antt-$s: gRPC health is not SERVING"; return 1; }
    else
      kubectl -n "$NAMESPACE" wait --for=condition=Ready "pod/antt-$s-0" --timeout=60s ||
        { log "antt-$s-0 is not ready"; return 1; }
    fi
    log "antt-$s: SERVING ($image)"
  done
}
smoke || rollback
log "deployed $image to namespace $NAMESPACE"
