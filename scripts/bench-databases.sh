#!/usr/bin/env bash
# The same release binary on SQLite and on PostgreSQL, in one run: cold start (fresh
# database: migrations and catalogue load), warm start, and requests per second for the
# cached guide page, the anonymous sign-in page and a signed-in page that reads the
# session and the account. Needs wrk, curl and a PostgreSQL server (default: the local
# one, trust auth); the binary is built with --features postgres.
# Usage: scripts/bench-databases.sh [connections] [seconds] [postgres-server-url]
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-32}
SECONDS_PER_RUN=${2:-10}
PG_SERVER=${3:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=18085
WORK=$(mktemp -d)
PG_DB=cs_bench_$$
APP_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  psql "$PG_SERVER" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk curl psql python3; do
  command -v "$tool" >/dev/null || { echo "bench-databases.sh needs $tool" >&2; exit 1; }
done

cargo build --release --quiet --features postgres
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
BIN=$TARGET_DIR/release/careerswitch
BASE=http://127.0.0.1:$PORT

now_ms() { date +%s%3N; }
start() { # database-url; sets STARTED_MS: milliseconds until /healthz answers
  local t0; t0=$(now_ms)
  CAREERSWITCH_BIND=127.0.0.1:$PORT CAREERSWITCH_DATA_DIR="$WORK/data" \
    CAREERSWITCH_DATABASE_URL="$1" CAREERSWITCH_RATE_LIMITS="sign-in=100000/min,register=100000/min" \
    RUST_LOG=warn "$BIN" >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  until curl -fsS "$BASE/healthz" >/dev/null 2>&1; do
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; exit 1; }
    sleep 0.01
  done
  STARTED_MS=$(( $(now_ms) - t0 ))
}
stop() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=; }
csrf() { sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }
rps() { # url [cookie]
  local args=(-t2 -c"$CONNECTIONS" --latency)
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  wrk "${args[@]}" -d2s "$1" >/dev/null
  wrk "${args[@]}" -d"${SECONDS_PER_RUN}s" "$1" > "$WORK/wrk.txt"
  local r p e
  r=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  e=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
  echo "$r req/s, p99 $p${e:+, $e non-2xx}"
}

measure() { # name database-url
  rm -rf "$WORK/data"
  local cold warm
  start "$2"
  cold=$STARTED_MS
  # A signed-in session for the account page.
  local jar="$WORK/jar"
  rm -f "$jar"
  curl -fsS -c "$jar" -b "$jar" "$BASE/register" -o "$WORK/register.html"
  curl -fsS -c "$jar" -b "$jar" --data-urlencode "csrf_token=$(csrf "$WORK/register.html")" \
    --data-urlencode "email=bench@example.com" --data-urlencode "password=violet harbour lantern" \
    "$BASE/register" -o /dev/null
  curl -fsS -c "$jar" -b "$jar" "$BASE/sign-in" -o "$WORK/sign-in.html"
  curl -fsS -c "$jar" -b "$jar" --data-urlencode "csrf_token=$(csrf "$WORK/sign-in.html")" \
    --data-urlencode "email=bench@example.com" --data-urlencode "password=violet harbour lantern" \
    "$BASE/sign-in" -o /dev/null
  local cookie
  cookie="careerswitch_session=$(awk '$6 == "careerswitch_session" {print $7}' "$jar")"
  curl -fsS -H "Cookie: $cookie" "$BASE/account" | grep -q "bench@example.com"
  echo "$1: cold start (new database) ${cold} ms"
  echo "$1: guide page (cached)          $(rps "$BASE/careers/cloud-engineer-to-backend-developer")"
  echo "$1: sign-in page (anonymous)     $(rps "$BASE/sign-in")"
  echo "$1: account page (reads session) $(rps "$BASE/account" "$cookie")"
  echo "$1: resident memory $(( $(awk '/VmHWM/ {print $2}' /proc/$APP_PID/status) / 1024 )) MiB peak"
  stop
  start "$2"
  warm=$STARTED_MS
  stop
  echo "$1: warm start (existing database) ${warm} ms"
}

echo "$(nproc) cores, $CONNECTIONS connections, ${SECONDS_PER_RUN}s per page, wrk on the same machine"
measure sqlite "$WORK/data/careerswitch.db"
psql "$PG_SERVER" -qc "CREATE DATABASE $PG_DB" >/dev/null
PG_URL=$(python3 -c 'import sys; u=sys.argv[1]; print(u[:u.rfind("/")] + "/" + sys.argv[2])' "$PG_SERVER" "$PG_DB")
measure postgres "$PG_URL"
