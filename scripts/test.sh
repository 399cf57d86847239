#!/usr/bin/env bash
# The whole check, as `npm test` runs it: lint, formatting, type-check, then every jest suite.
# Ends with one plain line, `tests: N passed, M failed`, and fails when any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
step() {
  local name=$1
  shift
  echo "== $name"
  local start=$SECONDS
  if ! "$@"; then
    echo "!! $name failed"
    status=1
  fi
  echo "   ($name: $((SECONDS - start))s)"
}

step lint npx eslint . --max-warnings 0
step format npx prettier --check --log-level warn .
step typecheck npx tsc --noEmit

report=$(mktemp)
echo "== jest"
npx jest --ci --json --outputFile="$report" || status=1
read -r passed failed total < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites, r.numTotalTests);
' "$report" 2>/dev/null || echo "0 1 0")
rm -f "$report"
if [ "$total" -eq 0 ]; then
  echo "!! jest ran no test"
  status=1
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
