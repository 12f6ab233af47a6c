#!/usr/bin/env bash
# Guide-page throughput and tail latency against nginx serving the very same bytes, in
# one run on this machine. Needs wrk and nginx (apt-get install -y wrk nginx).
# Usage: scripts/bench.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-32}
SECONDS_PER_RUN=${2:-15}
GUIDE=/careers/cloud-engineer-to-backend-developer
APP_PORT=18081
NGINX_PORT=18082
WORK=$(mktemp -d)
trap 'kill $APP_PID 2>/dev/null || true; nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench.sh needs $tool (apt-get install -y wrk nginx curl)" >&2; exit 1; }
done

cargo build --release --quiet
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
CAREERSWITCH_BIND=127.0.0.1:$APP_PORT CAREERSWITCH_DATA_DIR="$WORK/data" RUST_LOG=warn \
  "$TARGET_DIR/release/careerswitch" &
APP_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# nginx gets the exact bytes the app sends for this page.
chmod 755 "$WORK"
mkdir -p "$WORK/www/careers"
curl -fsS "http://127.0.0.1:$APP_PORT$GUIDE" -o "$WORK/www$GUIDE"
chmod -R a+rX "$WORK/www"
BYTES=$(wc -c < "$WORK/www$GUIDE")
cat > "$WORK/nginx.conf" <<CONF
worker_processes $(nproc);
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path $WORK/tmp-body;
  proxy_temp_path $WORK/tmp-proxy;
  fastcgi_temp_path $WORK/tmp-fastcgi;
  uwsgi_temp_path $WORK/tmp-uwsgi;
  scgi_temp_path $WORK/tmp-scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
CONF
nginx -c "$WORK/nginx.conf"
curl -fsS "http://127.0.0.1:$NGINX_PORT$GUIDE" -o /dev/null

run() { # name url
  wrk -t2 -c"$CONNECTIONS" -d2s "$2" >/dev/null # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$2" > "$WORK/$1.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$1.txt")
  echo "$1 $rps $p99"
}

APP=$(run careerswitch "http://127.0.0.1:$APP_PORT$GUIDE")
NGX=$(run nginx "http://127.0.0.1:$NGINX_PORT$GUIDE")
RSS_KB=$(awk '/VmRSS/ {print $2}' /proc/$APP_PID/status)
HWM_KB=$(awk '/VmHWM/ {print $2}' /proc/$APP_PID/status)

read -r _ app_rps app_p99 <<<"$APP"
read -r _ ngx_rps ngx_p99 <<<"$NGX"
echo
echo "guide page: $GUIDE ($BYTES bytes), $CONNECTIONS connections, ${SECONDS_PER_RUN}s, $(nproc) cores, wrk on the same machine"
printf '%-14s %12s %10s\n' server "requests/s" p99
printf '%-14s %12s %10s\n' careerswitch "$app_rps" "$app_p99"
printf '%-14s %12s %10s\n' nginx "$ngx_rps" "$ngx_p99"
awk -v a="$app_rps" -v n="$ngx_rps" 'BEGIN { printf "ratio careerswitch/nginx: %.2f (target >= 0.80)\n", a / n }'
echo "careerswitch memory: RSS $((RSS_KB / 1024)) MiB now, peak $((HWM_KB / 1024)) MiB"
