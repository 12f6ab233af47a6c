#!/usr/bin/env bash
# What the signed-in "for you" panel costs on a guide page: the same guide fetched
# anonymously (the cached body and nothing else) and by a signed-in user with a skills
# profile (session, account, profile query and the personal analysis on top).
# Needs wrk and curl (apt-get install -y wrk curl).
# Usage: scripts/bench-for-you.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-32}
SECONDS_PER_RUN=${2:-10}
GUIDE=/careers/data-analyst-to-data-scientist
PORT=18083
WORK=$(mktemp -d)
trap 'kill $APP_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y wrk curl)" >&2; exit 1; }
done
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
cargo build --release --quiet
CAREERSWITCH_BIND=127.0.0.1:$PORT CAREERSWITCH_DATA_DIR="$WORK/data" RUST_LOG=warn \
  CAREERSWITCH_RATE_LIMITS="sign-in=1000/min,register=1000/min,reset=1000/min" \
  "$TARGET_DIR/release/careerswitch" &
APP_PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

JAR="$WORK/jar"
token() { sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1; }
form() { # path field=value...
  local path=$1; shift
  local t; t=$(curl -sS -b "$JAR" -c "$JAR" "$BASE${FROM:-$path}" | token)
  local args=(-sS -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "csrf_token=$t")
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  curl "${args[@]}" "$BASE$path"
}
PASSWORD="violet harbour lantern"
form /register "email=bench@example.com" "password=$PASSWORD" "time_zone=Europe/London"
form /sign-in "email=bench@example.com" "password=$PASSWORD"
FROM=/account/skills form /account/skills/role "current_role=data-analyst" "start_from_role=on"
FROM=/account/skills form /account/skills/add "skill=Machine learning" "level=strong"
COOKIE=$(awk '$6 == "careerswitch_session" {print $7}' "$JAR")
curl -fsS -H "Cookie: careerswitch_session=$COOKIE" "$BASE$GUIDE" | grep -q "Your extra skills" \
  || { echo "the signed-in guide has no personal panel" >&2; exit 1; }

run() { # name header...
  local name=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d2s "$@" "$BASE$GUIDE" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@" "$BASE$GUIDE" > "$WORK/$name.txt"
  printf '%-22s %12s %10s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$WORK/$name.txt")"
}
echo "guide $GUIDE, $CONNECTIONS connections, ${SECONDS_PER_RUN}s each, $(nproc) cores, wrk on the same machine"
printf '%-22s %12s %10s\n' visitor "requests/s" p99
run anonymous
run "signed in + profile" -H "Cookie: careerswitch_session=$COOKIE"
echo "peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$APP_PID/status) / 1024 )) MiB"
