# Shared by scripts/test and scripts/demo. Source it; do not run it.

# Debian 12 packages ANTT builds and tests with. Each is in the README's
# dependency table with the reason it is there.
ANTT_BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libutf8proc-dev nlohmann-json3-dev libcli11-dev
  libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev openssl jq
  unzip
)

antt_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs whichever of the packages given are missing; idempotent, no prompts.
antt_install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  antt_log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

antt_install_build_deps() { antt_install_packages "${ANTT_BUILD_PACKAGES[@]}"; }

# Installs the npm packages pinned in directory $1 (package.json,
# package-lock.json, .npmrc) with `npm ci` into $2, again only when those
# files change; Node.js and npm from Debian when the machine has none (a
# machine may have a newer Node.js of its own; Debian's npm would conflict
# with it). Returns 0 when it installed, 1 when $2 was already current, 2
# when npm failed (then $2 is not marked current, so the next run tries
# again).
antt_npm_ci() {
  local from=$1 into=$2 sum
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    antt_install_packages nodejs npm
  fi
  sum=$(cat "$from/package.json" "$from/package-lock.json" "$from/.npmrc" | sha256sum | cut -d' ' -f1)
  [ "$(cat "$into/.lock-sum" 2>/dev/null)" != "$sum" ] || return 1
  antt_log "installing ${from#"$ANTT_ROOT"/}'s npm packages into $into"
  rm -rf "$into"
  mkdir -p "$into"
  cp "$from/package.json" "$from/package-lock.json" "$from/.npmrc" "$into/"
  if ! (cd "$into" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "npm ci of ${from#"$ANTT_ROOT"/} into $into failed" >&2
    return 2
  fi
  echo "$sum" >"$into/.lock-sum"
}

# Configures ANTT in $1 with build type $2 and any extra CMake arguments.
antt_configure() {
  local dir=$1 type=$2
  shift 2
  cmake -S "$ANTT_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
}

# Configures and builds everything (tests and tools too).
antt_build() {
  antt_configure "$@"
  cmake --build "$1" -j "${ANTT_JOBS:-2}"
}

# For a script of checks: a scratch directory $work, removed on exit, and
# the tally `pass` / `fail MESSAGE...` that antt_checks_done reports.
antt_checks_begin() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  passed=0
  failed=0
}
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }
# Logs the tally under `$1:`; fails when any check failed.
antt_checks_done() {
  antt_log "$1: $passed checks passed, $failed failed"
  [ "$failed" -eq 0 ]
}
