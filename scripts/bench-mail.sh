#!/usr/bin/env bash
# How many queued emails per second one `send-reminders` run hands to an SMTP server on
# loopback (a counting sink from Python's standard library), on SQLite and PostgreSQL.
# Usage: scripts/bench-mail.sh [emails] [postgres-server-url]
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-2000}
PG_SERVER=${2:-postgres://postgres@127.0.0.1:5432/postgres}
SMTP_PORT=18025
WORK=$(mktemp -d)
PG_DB=cs_mailbench_$$
SINK_PID=
cleanup() {
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  psql "$PG_SERVER" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cargo build --release --quiet --features postgres
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
BIN=$TARGET_DIR/release/careerswitch

python3 -W ignore - "$SMTP_PORT" "$WORK/count" <<'PY' &
import asyncore, smtpd, sys
port, out = int(sys.argv[1]), sys.argv[2]
class Sink(smtpd.SMTPServer):
    n = 0
    def process_message(self, *args, **kwargs):
        Sink.n += 1
        open(out, "w").write(str(Sink.n))
Sink(("127.0.0.1", port), None)
asyncore.loop()
PY
SINK_PID=$!
sleep 0.5

queue() { # database-url: the same rows a request would add, each to its own address
  python3 - "$1" "$COUNT" <<'PY'
import datetime, sqlite3, subprocess, sys
url, n = sys.argv[1], int(sys.argv[2])
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
rows = [(f"bench:{i}", f"<bench.{i}@localhost>", f"reader{i}@example.org") for i in range(n)]
sql = ("INSERT INTO mail_outbox (idempotency_key, message_id, kind, recipient, subject, "
       "text_body, html_body, status, attempts, next_attempt_at, created_at) "
       "VALUES ({}, {}, 'bench', {}, 'A milestone is coming up', "
       "'Plain words about a milestone.', '<p>Plain words about a milestone.</p>', "
       "'pending', 0, '" + now + "', '" + now + "')")
if url.startswith("postgres"):
    values = "\n".join(sql.format(*("'" + v + "'" for v in r)) + ";" for r in rows)
    subprocess.run(["psql", url, "-q"], input=values.encode(), check=True)
else:
    db = sqlite3.connect(url)
    db.executemany(sql.format("?", "?", "?"), rows)
    db.commit()
PY
}

measure() { # name database-url
  local before; before=$(cat "$WORK/count" 2>/dev/null || echo 0)
  CAREERSWITCH_DATA_DIR="$WORK/data-$1" CAREERSWITCH_DATABASE_URL="$2" RUST_LOG=warn "$BIN" migrate >/dev/null
  queue "$2"
  local t0 t1
  t0=$(date +%s%3N)
  CAREERSWITCH_DATA_DIR="$WORK/data-$1" CAREERSWITCH_DATABASE_URL="$2" \
    CAREERSWITCH_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" RUST_LOG=warn "$BIN" send-reminders
  t1=$(date +%s%3N)
  local got; got=$(( $(cat "$WORK/count" 2>/dev/null || echo 0) - before ))
  awk -v n="$got" -v ms="$((t1 - t0))" -v name="$1" \
    'BEGIN { printf "%s: %d emails in %.2f s = %.0f per second\n", name, n, ms / 1000, n / (ms / 1000) }'
}

mkdir -p "$WORK/data-sqlite"
measure sqlite "$WORK/data-sqlite/careerswitch.db"
psql "$PG_SERVER" -qc "CREATE DATABASE $PG_DB" >/dev/null
PG_URL=$(python3 -c 'import sys; u=sys.argv[1]; print(u[:u.rfind("/")] + "/" + sys.argv[2])' "$PG_SERVER" "$PG_DB")
measure postgres "$PG_URL"
