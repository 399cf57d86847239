#!/usr/bin/env bash
# The real-engine check (`npm run e2e`): the `e2e` stack against the moto AWS emulator on
# 127.0.0.1, with a local file backend in a temporary directory: preview, up, a second preview
# that must show no changes, destroy. Prints what the real providers created and how long each
# step took.
#
# Safety: refuses to run unless Pulumi.e2e.yaml points every AWS endpoint at 127.0.0.1 with fake
# credentials and every credential/account check skipped; on top of that, the environment is
# emptied of AWS credentials, AWS_ENDPOINT_URL catches explicit providers, and any non-loopback
# HTTP(S) request goes to a dead proxy. Nothing in the repository is written: the project is
# copied to the temporary directory (stack init writes the passphrase salt into the stack file).
#
# Usage: bash scripts/engine/e2e.sh [--check-config]   (--check-config: only the safety check)
# PLATFORM_ENGINE_BIN=<dir> uses an engine installed elsewhere (a standard Pulumi install:
# ~/.pulumi/bin, with the AWS plugin in $PULUMI_HOME/plugins) instead of install.sh's build.
# Exit status: 0 passed; 1 a step failed; 2 refused (engine missing or unsafe config).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${PLATFORM_ENGINE_CACHE:-$HOME/.cache/platform-engine}"
BIN="${PLATFORM_ENGINE_BIN:-$CACHE/bin}"
# install.sh's build keeps its plugins to itself; a standard install keeps them in ~/.pulumi.
if [ -z "${PLATFORM_ENGINE_BIN:-}" ]; then PULUMI_HOME="$CACHE/pulumi-home"; fi
PULUMI_HOME="${PULUMI_HOME:-$HOME/.pulumi}"
STACK=e2e
STACK_FILE="$ROOT/Pulumi.$STACK.yaml"
# Every service the program calls; each needs an emulator endpoint (a missing one would go to AWS).
REQUIRED_ENDPOINTS="${E2E_REQUIRED_ENDPOINTS:-ec2 ecr eks iam kms logs sts}"

refuse() {
  echo "e2e: refused: $1" >&2
  exit 2
}

# --- The safety check: Pulumi.e2e.yaml must aim the AWS provider at the emulator only ---------
# Prints the emulator port on success.
check_config() {
  [ -f "$STACK_FILE" ] || refuse "$STACK_FILE does not exist (the lead owns it; its proposed content is in issue 10's notes)"
  (cd "$ROOT" && node - "$STACK_FILE" "$REQUIRED_ENDPOINTS" <<'JS'
const { parse } = require(require.resolve("yaml", { paths: [process.cwd()] }));
const fs = require("fs");
const [file, required] = process.argv.slice(2);
const config = (parse(fs.readFileSync(file, "utf8")) ?? {}).config ?? {};
const problems = [];
const endpoints = config["aws:endpoints"];
const ports = new Set();
if (!Array.isArray(endpoints) || endpoints.length === 0) {
  problems.push("aws:endpoints must be a list of service-to-URL maps");
} else {
  for (const entry of endpoints) {
    for (const [service, value] of Object.entries(entry ?? {})) {
      let url;
      try { url = new URL(String(value)); } catch { url = undefined; }
      if (!url || url.hostname !== "127.0.0.1" || url.protocol !== "http:") {
        problems.push(`aws:endpoints ${service} must be http://127.0.0.1:<port>; got ${value}`);
      } else ports.add(url.port || "80");
    }
  }
  const named = new Set(endpoints.flatMap((e) => Object.keys(e ?? {})));
  for (const service of required.split(/\s+/).filter(Boolean)) {
    if (!named.has(service)) problems.push(`aws:endpoints must name ${service} (the program calls it)`);
  }
  if (ports.size > 1) problems.push(`aws:endpoints must all use one emulator port; got ${[...ports].join(", ")}`);
}
for (const key of ["aws:skipCredentialsValidation", "aws:skipRequestingAccountId", "aws:skipMetadataApiCheck"]) {
  if (config[key] !== true && config[key] !== "true") problems.push(`${key} must be true; got ${config[key]}`);
}
for (const key of ["aws:accessKey", "aws:secretKey"]) {
  if (typeof config[key] !== "string" || config[key] === "") problems.push(`${key} must be set to a fake value`);
}
if (/^(AKIA|ASIA)[A-Z0-9]{16}$/.test(String(config["aws:accessKey"] ?? ""))) {
  problems.push("aws:accessKey looks like a real AWS access key; use a fake one such as 'test'");
}
for (const key of ["aws:profile", "aws:sharedCredentialsFiles", "aws:assumeRole", "aws:assumeRoleWithWebIdentity", "aws:token"]) {
  if (key in config) problems.push(`${key} must not be set in the e2e stack`);
}
if (!config["aws:region"]) problems.push("aws:region must be set");
if (problems.length > 0) {
  console.error(`${file} is not aimed at the local emulator only:\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}
console.log([...ports][0]);
JS
  ) || refuse "Pulumi.$STACK.yaml failed the emulator-only check (above)"
}

# --- The engine: the pieces install.sh builds, at the versions of package-lock.json -----------
check_engine() {
  local pulumi_version aws_version missing=()
  pulumi_version="$(node -p 'require(process.argv[1]).packages["node_modules/@pulumi/pulumi"].version' "$ROOT/package-lock.json")"
  aws_version="$(node -p 'require(process.argv[1]).packages["node_modules/@pulumi/aws"].version' "$ROOT/package-lock.json")"
  [ "$("$BIN/pulumi" version 2>/dev/null)" = "v$pulumi_version" ] || missing+=("pulumi v$pulumi_version")
  [ -x "$BIN/pulumi-language-nodejs" ] || missing+=("pulumi-language-nodejs v$pulumi_version")
  [ "$(cat "$BIN/pulumi-resource-aws.version" 2>/dev/null)" = "v$aws_version" ] ||
    [ -x "$PULUMI_HOME/plugins/resource-aws-v$aws_version/pulumi-resource-aws" ] ||
    missing+=("pulumi-resource-aws v$aws_version")
  [ -x "$CACHE/venv/bin/moto_server" ] || missing+=("moto")
  local joined
  joined="$(IFS=,; echo "${missing[*]}")"
  [ ${#missing[@]} -eq 0 ] ||
    refuse "engine not installed in $BIN (missing: ${joined//,/, }); run: bash scripts/engine/install.sh"
}

if [ "${1:-}" = "--check-config" ]; then
  port="$(check_config)" || exit 2
  echo "e2e: Pulumi.$STACK.yaml is aimed at the emulator on 127.0.0.1:$port only"
  exit 0
fi
check_engine
PORT="$(check_config)" || exit 2

# --- An isolated environment ----------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/platform-e2e.XXXXXX")"
for v in $(env | grep -oE '^AWS_[A-Z_]+' || true); do unset "$v"; done
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
export HTTP_PROXY="http://127.0.0.1:9" HTTPS_PROXY="http://127.0.0.1:9" NO_PROXY="127.0.0.1,localhost"
export http_proxy="$HTTP_PROXY" https_proxy="$HTTPS_PROXY" no_proxy="$NO_PROXY"
export PATH="$BIN:$PATH"
export PULUMI_HOME
export PULUMI_BACKEND_URL="file://$TMP/state"
export PULUMI_CONFIG_PASSPHRASE="e2e-not-a-secret"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$TMP/state" "$TMP/project" "$PULUMI_HOME"
tar -C "$ROOT" --exclude=./node_modules --exclude=./.git -cf - . | tar -C "$TMP/project" -xf -
ln -s "$ROOT/node_modules" "$TMP/project/node_modules"

# --- The emulator, on loopback only, stopped on exit ------------------------------------------
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  refuse "127.0.0.1:$PORT is already in use; stop what listens there or change the e2e endpoints"
fi
MOTO_IAM_LOAD_MANAGED_POLICIES=true "$CACHE/venv/bin/moto_server" -H 127.0.0.1 -p "$PORT" \
  >"$TMP/moto.log" 2>&1 &
MOTO_PID=$!
OK=0
cleanup() {
  kill "$MOTO_PID" 2>/dev/null
  wait "$MOTO_PID" 2>/dev/null
  if [ $OK -eq 1 ]; then rm -rf "$TMP"; else echo "e2e: logs and state kept in $TMP"; fi
}
trap cleanup EXIT
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/moto-api/" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/moto-api/" || { echo "e2e: moto did not start" >&2; exit 1; }

# --- The run --------------------------------------------------------------------------------
TIMINGS=()
FAILED_STEP=""
step() {
  local name="$1"
  shift
  echo "=== $name: pulumi $*"
  local start
  start=$(date +%s.%N)
  (cd "$TMP/project" && pulumi "$@" --stack "$STACK" --non-interactive) 2>&1 | tee "$TMP/$name.log"
  local rc=${PIPESTATUS[0]}
  TIMINGS+=("$(printf '%-18s %7.1f s  %s' "$name" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" \
    "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)")")")
  [ "$rc" -eq 0 ] || { [ -n "$FAILED_STEP" ] || FAILED_STEP="$name"; return 1; }
}

created() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  (cd "$TMP/project" && pulumi stack export --stack "$STACK") | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const resources = JSON.parse(s).deployment.resources ?? [];
      const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      console.log(`The providers created ${custom.length} resources:`);
      for (const r of custom) console.log(`  ${r.type.padEnd(40)} ${r.urn.split("::").pop().padEnd(36)} ${r.id ?? ""}`);
    });'
}

(cd "$TMP/project" && pulumi stack init "$STACK" --secrets-provider passphrase --non-interactive) ||
  { echo "e2e: stack init failed" >&2; exit 1; }
step preview preview --diff &&
  step up up --yes --skip-preview &&
  created &&
  step preview-again preview --expect-no-changes
step destroy destroy --yes --skip-preview

echo
echo "Timings:"
printf '  %s\n' "${TIMINGS[@]}"
if [ -n "$FAILED_STEP" ]; then
  echo "e2e: FAILED at $FAILED_STEP (log: $TMP/$FAILED_STEP.log)"
  exit 1
fi
OK=1
echo "e2e: passed"
