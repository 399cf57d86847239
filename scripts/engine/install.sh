#!/usr/bin/env bash
# Builds the real Pulumi engine for `scripts/engine/e2e.sh` from the Go module proxy, at the
# versions of the npm SDKs in package-lock.json, and installs the moto AWS emulator from PyPI.
#
# Idempotent: everything is cached outside the repository, in $PLATFORM_ENGINE_CACHE
# (default ~/.cache/platform-engine); a piece already built at the right version is skipped.
# Never part of `npm test`: a cold build of the CLI takes tens of minutes on 2 cores.
#
# Exit status: 0 when the CLI, the Node.js language host, the AWS provider and moto are all
# installed; 1 otherwise, after a summary that names the exact command that failed and why.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${PLATFORM_ENGINE_CACHE:-$HOME/.cache/platform-engine}"
BIN="$CACHE/bin"
SRC="$CACHE/src"
LOGS="$CACHE/logs"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"

case "$CACHE/" in
  "$ROOT"/*)
    echo "install.sh: PLATFORM_ENGINE_CACHE must be outside the repository ($CACHE)" >&2
    exit 1
    ;;
esac
mkdir -p "$BIN" "$SRC" "$LOGS"

# Gentle on a shared 2-core machine: one package at a time, lowest priority.
export GOFLAGS="-p=1 -buildvcs=false"
export GOBIN="$BIN"
NICE=(nice -n 19)

lock_version() {
  node -e 'const l = require(process.argv[1]); const p = l.packages["node_modules/" + process.argv[2]];
    if (!p) { console.error("not in package-lock.json: " + process.argv[2]); process.exit(1); }
    console.log(p.version);' "$ROOT/package-lock.json" "$1"
}
PULUMI_VERSION="$(lock_version @pulumi/pulumi)" || exit 1
AWS_VERSION="$(lock_version @pulumi/aws)" || exit 1
K8S_VERSION="$(lock_version @pulumi/kubernetes)" || exit 1

SUMMARY=()
FAILED=0
note() { SUMMARY+=("$1"); echo "$1"; }
fail() { note "FAILED  $1"; FAILED=1; }

# Prints the last lines of a log, indented, so the exact error is in the output.
show_error() { tail -n "${2:-6}" "$1" | sed 's/^/          /'; }

# The version a plugin binary reports, or nothing.
binary_version() {
  [ -x "$1" ] || return 0
  case "$(basename "$1")" in
    pulumi) "$1" version 2>/dev/null ;;
    *) cat "$1.version" 2>/dev/null ;;
  esac
}

# go install <pkg>@<version>; on success records the version next to the binary.
# Returns 0, or 1 with the log in $LOGS/<name>.log; returns 2 when the module's go.mod has
# replace directives (go install refuses those: only a build inside a copy can work).
go_install() {
  local name="$1" pkg="$2" version="$3" log="$LOGS/$1.log"
  echo "  \$ go install $pkg@$version"
  if "${NICE[@]}" go install "$pkg@$version" >"$log" 2>&1; then
    echo "$version" >"$BIN/$name.version"
    return 0
  fi
  grep -q "replace directives" "$log" && return 2
  return 1
}

# Builds <pkg> inside a copy of its module from the module cache, when go install refuses the
# module for replace directives. Replaces that point into the same repository (../sdk) are
# dropped, so the version go.mod requires comes from the proxy; any other local-path replace
# (a patched upstream checkout that is not in the module zip) cannot be honoured: fail.
build_in_copy() {
  local name="$1" module="$2" pkg="$3" version="$4" ldflags="$5" log="$LOGS/$1.log"
  local dir
  echo "  \$ go mod download -json $module@$version"
  dir="$(go mod download -json "$module@$version" 2>>"$log" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})' 2>>"$log")" ||
    return 1
  local work="$SRC/$name-$version"
  rm -rf "$work" && cp -r "$dir" "$work" && chmod -R u+w "$work" || return 1
  local repl
  while read -r repl; do
    case "$repl" in
      github.com/pulumi/pulumi/sdk/v3 | github.com/pulumi/pulumi/pkg/v3)
        (cd "$work" && go mod edit -dropreplace="$repl") || return 1
        echo "  dropped local replace of $repl (the version go.mod requires comes from the proxy)"
        ;;
      *)
        echo "go.mod of $module@$version replaces $repl with a local path that is not in the module zip" >>"$log"
        return 1
        ;;
    esac
  done < <(cd "$work" && go mod edit -json | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const r of JSON.parse(s).Replace??[])if(!r.New.Version)console.log(r.Old.Path)})')
  echo "  \$ (cd $work && GOFLAGS='-p=1 -mod=mod' nice -n 19 go build -o $BIN/$name $pkg)"
  local start=$SECONDS
  (cd "$work" && GOFLAGS="$GOFLAGS -mod=mod" "${NICE[@]}" go build -p 1 -trimpath \
    -ldflags "$ldflags" -o "$BIN/$name" "$pkg") >>"$log" 2>&1 || return 1
  echo "$version" >"$BIN/$name.version"
  echo "  built in $((SECONDS - start)) s"
}

# --- Pulumi CLI ---------------------------------------------------------------------------
install_cli() {
  local want="v$PULUMI_VERSION" have
  have="$(binary_version "$BIN/pulumi")"
  if [ "$have" = "$want" ]; then note "ok      pulumi CLI $want (cached)"; return; fi
  echo "Pulumi CLI $want"
  : >"$LOGS/pulumi.log"
  go_install pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$want"
  case $? in
    0) note "ok      pulumi CLI $want (go install)" ;;
    2)
      echo "  go install refused: pkg/v3's go.mod replaces sdk/v3 => ../sdk; building in a copy"
      if build_in_copy pulumi github.com/pulumi/pulumi/pkg/v3 ./cmd/pulumi "$want" \
        "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want"; then
        note "ok      pulumi CLI $want (built in a copy of the proxy's module)"
      else
        fail "pulumi CLI $want: build in a copy failed ($LOGS/pulumi.log)"
        show_error "$LOGS/pulumi.log"
      fi
      ;;
    *)
      fail "pulumi CLI $want: go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$want"
      show_error "$LOGS/pulumi.log"
      ;;
  esac
}

# --- Language host and providers -------------------------------------------------------------
# install_go_binary <name> <module> <package in module> <version> <ldflags> <required|optional>
install_go_binary() {
  local name="$1" module="$2" rel="$3" want="v$4" ldflags="$5" required="$6"
  local pkg="$module${rel#.}"
  if [ "$(binary_version "$BIN/$name")" = "$want" ]; then note "ok      $name $want (cached)"; return; fi
  echo "$name $want"
  : >"$LOGS/$name.log"
  go_install "$name" "$pkg" "$want"
  local rc=$?
  if [ $rc -eq 2 ]; then
    echo "  go install refused: $module's go.mod has replace directives; building in a copy"
    build_in_copy "$name" "$module" "$rel" "$want" "$ldflags" && rc=0
  fi
  if [ $rc -eq 0 ]; then
    note "ok      $name $want"
  elif [ "$required" = required ]; then
    fail "$name $want: go install $pkg@$want"
    show_error "$LOGS/$name.log" 3
  else
    note "skipped $name $want (not needed while the e2e stack keeps its layer off): go install $pkg@$want failed"
    show_error "$LOGS/$name.log" 3
  fi
}

# --- moto ----------------------------------------------------------------------------------
install_moto() {
  local venv="$CACHE/venv"
  if [ -x "$venv/bin/moto_server" ] &&
    [ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$MOTO_VERSION" ]; then
    note "ok      moto $MOTO_VERSION (cached)"
    return
  fi
  echo "moto $MOTO_VERSION"
  echo "  \$ python3 -m venv $venv && $venv/bin/pip install 'moto[server]==$MOTO_VERSION'"
  if python3 -m venv "$venv" >"$LOGS/moto.log" 2>&1 &&
    "${NICE[@]}" "$venv/bin/pip" install -q "moto[server]==$MOTO_VERSION" >>"$LOGS/moto.log" 2>&1; then
    note "ok      moto $MOTO_VERSION ($venv/bin/moto_server)"
  else
    fail "moto $MOTO_VERSION: pip install 'moto[server]==$MOTO_VERSION'"
    show_error "$LOGS/moto.log"
  fi
}

echo "Engine for the e2e stack: @pulumi/pulumi $PULUMI_VERSION, @pulumi/aws $AWS_VERSION, @pulumi/kubernetes $K8S_VERSION (from package-lock.json)"
echo "Cache: $CACHE"
command -v go >/dev/null || { echo "install.sh: go is not installed" >&2; exit 1; }
install_moto
install_go_binary pulumi-language-nodejs github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 \
  . "$PULUMI_VERSION" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" required
install_go_binary pulumi-resource-aws github.com/pulumi/pulumi-aws/provider/v7 ./cmd/pulumi-resource-aws \
  "$AWS_VERSION" "-X github.com/pulumi/pulumi-aws/provider/v7/pkg/version.Version=v$AWS_VERSION" required
install_go_binary pulumi-resource-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4 \
  ./cmd/pulumi-resource-kubernetes "$K8S_VERSION" \
  "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=v$K8S_VERSION" optional
# The CLI last: it is the long build, and pointless to start when a required piece is missing
# unless asked for (PLATFORM_ENGINE_BUILD_CLI=always).
if [ $FAILED -eq 0 ] || [ "${PLATFORM_ENGINE_BUILD_CLI:-}" = always ] ||
  [ "$(binary_version "$BIN/pulumi")" = "v$PULUMI_VERSION" ]; then
  install_cli
else
  note "skipped pulumi CLI v$PULUMI_VERSION: a required piece above is missing (PLATFORM_ENGINE_BUILD_CLI=always builds it anyway)"
fi

echo
echo "Summary:"
printf '  %s\n' "${SUMMARY[@]}"
if [ $FAILED -ne 0 ]; then
  echo "Engine NOT installed: scripts/engine/e2e.sh cannot run. Logs: $LOGS"
  exit 1
fi
echo "Engine installed in $BIN; run: bash scripts/engine/e2e.sh"
