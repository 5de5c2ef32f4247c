#!/usr/bin/env bash
# The code and tests on Node 24 LTS, whatever node runs CI: gets Node 24 (scripts/node24.sh, from the
# npm registry), then, with it first on PATH, builds, runs the unit tier and one end-to-end file (every service booted).
#
#   bash scripts/node24-check.sh          JIESU_NODE24_DIR: where Node 24 is kept (default .data/node24)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(dirname "$(bash scripts/node24.sh)")"
export PATH="$bin:$PATH"
echo "[node24] $(command -v node): $(node --version)"
node -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' || { echo "[node24] node on PATH is not 24" >&2; exit 1; }
echo "[node24] build"
npm run build
echo "[node24] unit tier"
node node_modules/jest/bin/jest.js -c jest.unit.config.js
echo "[node24] end-to-end: test/e2e/edges.e2e-spec.ts"
node node_modules/jest/bin/jest.js -c jest.e2e.config.js --runInBand test/e2e/edges.e2e-spec.ts
