#!/usr/bin/env bash
# Node 24 LTS, the runtime of the services' image (Dockerfile: node:24-bookworm-slim), whatever node
# this machine has: installed from the npm registry (the `node` package fetches this platform's binary
# from `node-<os>-<arch>`, also from the registry) into JIESU_NODE24_DIR (default .data/node24) once;
# prints the binary's path.
#
#   bash scripts/node24.sh            → /…/.data/node24/node_modules/.bin/node
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${JIESU_NODE24_DIR:-.data/node24}
bin="$dir/node_modules/.bin/node"
if ! { [ -x "$bin" ] && "$bin" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)'; }; then
  echo "[node24] npm install node@24 into $dir" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund node@24 >&2
fi
realpath "$bin"
