#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium (Playwright's own browser download cannot work
# here) and need a CJK font, or Chinese renders as boxes in the screenshots. Installs both with
# apt-get when missing and running as root; otherwise says what to install. CHROMIUM_PATH overrides.
set -uo pipefail
browser=${CHROMIUM_PATH:-/usr/bin/chromium}
need=()
[ -x "$browser" ] || need+=(chromium)
fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|droid sans fallback' || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[browser] installing ${need[*]} (apt-get) for the console's browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 && exit 0
  echo "[browser] apt-get install ${need[*]} failed" >&2
  exit 1
fi
echo "[browser] missing ${need[*]}: install them (Debian: apt-get install ${need[*]}) or set CHROMIUM_PATH" >&2
exit 1
