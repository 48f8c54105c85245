#!/usr/bin/env bash
# Schemathesis against the served OpenAPI document (issue 20 §6): a real `congvu serve` on a
# fresh SQLite data directory, an administrator's token, every operation but logout and disable
# (which would end the token), and the one check that matters here: no response is a 5xx.
# Schemathesis (pinned) is installed from PyPI into target/schemathesis-venv on first use.
# Usage: tests/schemathesis.sh [path to the congvu binary]; exits 1 on any server error.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/congvu}
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password="mật-khẩu-kiểm-thử-schemathesis-2026"
export CONGVU_PUBLIC_SUBMISSIONS_PER_HOUR=100000000 CONGVU_PUBLIC_STATUS_PER_MINUTE=100000000 \
  CONGVU_PUBLIC_WRONG_RECEIPTS_PER_DAY=100000000
unset CONGVU_DATABASE_URL DATABASE_URL
echo "$password" | "$bin" --data-dir "$data" admin create --username admin --password-stdin >/dev/null 2>&1
"$bin" --data-dir "$data" serve --port "$port" >"$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')

log="$data/schemathesis.log"
# Its exit code also counts schemas it cannot generate data for (three nested request bodies):
# the verdict is read from the report instead.
"$venv/bin/st" run "http://127.0.0.1:$port/api/v1/openapi.json" -H "Authorization: Bearer $token" \
  --checks not_a_server_error --max-examples 15 -w 2 --exclude-path-regex '/auth/logout|/disable$' \
  --seed 20261208 >"$log" 2>&1 || true
summary=$(grep -E '^\s*[0-9]+ generated' "$log" || true)
echo "schemathesis: ${summary:-no summary}"
if [ -z "$summary" ] || grep -qiE 'server error|not_a_server_error.*fail|[0-9]+ failed' "$log"; then
  sed -n '/FAILURES/,/SUMMARY/p' "$log" | head -80
  echo "schemathesis: server errors (above), or no report" >&2
  exit 1
fi
