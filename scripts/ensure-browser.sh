#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium (Playwright's own browser download cannot work
# here) and need a CJK font, or Chinese renders as boxes in the screenshots (analytics draws its PDF
# reports with the same font, REPORT_PDF_FONT). The leaders' test reads the downloaded PDF back with
# poppler's pdftotext and pdftoppm. Installs what is missing with apt-get when running as root;
# otherwise says what to install. CHROMIUM_PATH overrides.
set -uo pipefail
browser=${CHROMIUM_PATH:-/usr/bin/chromium}
need=()
[ -x "$browser" ] || need+=(chromium)
# (grep without -q: an early exit would make fc-list's SIGPIPE fail the pipe under pipefail)
fc-list 2>/dev/null | grep -iE 'wqy|noto sans cjk|droid sans fallback' >/dev/null || need+=(fonts-wqy-microhei)
# The PDF reports' default font file (apps/analytics REPORT_PDF_FONT).
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || [[ " ${need[*]} " == *" fonts-wqy-microhei "* ]] || need+=(fonts-wqy-microhei)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[browser] installing ${need[*]} (apt-get) for the console's browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 && exit 0
  echo "[browser] apt-get install ${need[*]} failed" >&2
  exit 1
fi
echo "[browser] missing ${need[*]}: install them (Debian: apt-get install ${need[*]}) or set CHROMIUM_PATH" >&2
exit 1
