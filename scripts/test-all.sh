#!/usr/bin/env bash
# Every test tier, in order: migrations agree with entities, unit, service (one service on real
# Postgres, the bus recorded), integration (real Postgres and
# NATS), end-to-end (the services booted, driven over HTTP). First it makes sure of what the tiers
# need, so a fresh clone needs nothing else: dependencies matching the lockfile (else `npm ci`),
# Postgres and NATS with JetStream (`node scripts/infra.js ensure`: used if running, started if
# not), and a build no older than the sources (later tiers run built code).
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/prepare.js deps || exit 1
node scripts/infra.js ensure || exit 1
node scripts/prepare.js build || exit 1
results=$(mktemp -d)
status=0

run() {
  local name=$1; shift
  echo "=== $name"
  "$@" || status=1
}

run "migrations agree with entities" npx ts-node -r tsconfig-paths/register --transpile-only scripts/migrate.ts check
run "unit" npx jest -c jest.unit.config.js --json --outputFile="$results/unit.json"
run "service" npx jest -c jest.service.config.js --json --outputFile="$results/service.json"
run "integration" npx jest -c jest.int.config.js --runInBand --json --outputFile="$results/int.json"
run "end-to-end" npx jest -c jest.e2e.config.js --runInBand --json --outputFile="$results/e2e.json"
# the console tier runs the built apps as processes (test/harness) and drives Debian's Chromium
run "console (built apps, browser)" bash -c "bash scripts/ensure-browser.sh && node scripts/prepare.js build && npx jest -c jest.console.config.js --runInBand --forceExit --json --outputFile=$results/console.json"

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
