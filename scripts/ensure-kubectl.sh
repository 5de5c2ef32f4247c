#!/usr/bin/env bash
# `npm run k8s:check` renders deploy/k8s with `kubectl kustomize`, which needs kustomize v4 or later
# (components, `labels:`). Uses the kubectl on PATH when it has one; otherwise, as root, installs
# Debian's kubectl (apt-get) and checks its kustomize. Set KUSTOMIZE="kustomize build" to use a
# kustomize binary instead. Also installs Prometheus's promtool (Debian package prometheus) when it
# can, so the check parses the alert rules and dashboard queries; without it that part is skipped.
set -uo pipefail
if ! command -v promtool >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[kubectl] installing promtool (apt-get install prometheus) for npm run k8s:check"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >/dev/null 2>&1 ||
    echo "[kubectl] could not install prometheus: PromQL syntax will not be checked" >&2
fi
if [ -n "${KUSTOMIZE:-}" ]; then exit 0; fi
version() { kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p'; }
if ! command -v kubectl >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "[kubectl] installing kubectl (apt-get) for npm run k8s:check"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client) >/dev/null 2>&1
  fi
fi
if ! command -v kubectl >/dev/null; then
  echo "[kubectl] kubectl is missing: install it (Debian: apt-get install kubectl) or set KUSTOMIZE" >&2
  exit 1
fi
v=$(version)
if [ -z "$v" ] || [ "$v" -lt 4 ]; then
  echo "[kubectl] $(command -v kubectl) has kustomize '${v:-none}': deploy/k8s needs kustomize v4 or later (kubectl 1.21+), or set KUSTOMIZE=\"kustomize build\"" >&2
  exit 1
fi
