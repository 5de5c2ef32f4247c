#!/usr/bin/env bash
# Every test tier, in order: migrations agree with entities, unit, integration (real Postgres and
# NATS), end-to-end (the five services booted, driven over HTTP). Needs Postgres and NATS with
# JetStream on 127.0.0.1 (`node scripts/infra.js ensure` provides them).
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
status=0

run() {
  local name=$1; shift
  echo "=== $name"
  "$@" || status=1
}

run "migrations agree with entities" npx ts-node -r tsconfig-paths/register --transpile-only scripts/migrate.ts check
run "unit" npx jest -c jest.unit.config.js --json --outputFile="$results/unit.json"
run "integration" npx jest -c jest.int.config.js --runInBand --json --outputFile="$results/int.json"
run "end-to-end" npx jest -c jest.e2e.config.js --runInBand --json --outputFile="$results/e2e.json"
# the console tier runs the built apps as processes (test/harness): build first
run "console (built apps)" bash -c "npm run build >/dev/null && npx jest -c jest.console.config.js --runInBand --json --outputFile=$results/console.json"

node -e '
const fs = require("fs");
let passed = 0, failed = 0, suites = 0;
for (const f of fs.readdirSync(process.argv[1])) {
  const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; suites += r.numTotalTestSuites;
  console.log(`${f.replace(".json", "")}: ${r.numPassedTests} passed, ${r.numFailedTests} failed in ${r.numTotalTestSuites} suites`);
}
if (passed === 0) { console.log("no test ran"); process.exit(1); }
console.log(`${passed} passed, ${failed} failed`);
' "$results" || status=1
rm -rf "$results"
exit $status
